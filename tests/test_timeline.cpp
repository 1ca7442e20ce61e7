// ipcsim timeline's options and hostile events files: each refused with one line naming the
// file (and line), exit 2, nothing written. (What it draws: timeline/check_timeline.py.)
#include "cli_helpers.hpp"
#include "helpers.hpp"

using namespace ipcsim;
using namespace ipcsim::test;

namespace {

constexpr const char* events_header = "time_s,process,kind,channel,message,detail\n";

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// An events file with these rows after the header, drawn to out.svg with `options`.
Result draw(const TempDir& dir, const std::string& rows, const std::string& options = "") {
  const std::string events = dir.write("events.csv", events_header + rows);
  return run_ipcsim("timeline " + events + " -o " + (dir.path / "out.svg").string() + " " + options);
}

}  // namespace

TEST_CASE("ipcsim timeline: bad options and hostile events files exit 2 with one line, writing nothing") {
  TempDir dir;
  const std::string good = "0,p,start,,,\n0,p,send_call,box,0,10\n0.001,q,receive_return,box,0,message\n";
  REQUIRE(draw(dir, good).exit_code == 0);
  fs::remove(dir.path / "out.svg");
  struct Case {
    std::string name, rows, options, says;
  };
  const std::vector<Case> cases{
      {"a window after the events", good, "--from 1s", "--from 1 s is after the last event, at 1 ms"},
      {"a window with no events", good, "--from 0.2ms --to 0.5ms", "no events from 200 µs to 500 µs"},
      {"a --from that is no duration", good, "--from soon", "--from soon: expected a duration"},
      {"an unknown process", good, "--processes p,zz", "--processes: no process 'zz' in the events"},
      {"a time going back", "0.002,p,start,,,\n0.001,p,end,,,\n", "",
       "events.csv:3:1: error: time_s: 0.001 comes before"},
      {"a negative time", "-1,p,start,,,\n", "", "events.csv:2:1: error: time_s: expected a time in seconds"},
      {"an unknown kind", "0,p,explode,,,\n", "", "events.csv:2:1: error: kind: unknown event 'explode'"},
      {"a message that is no number", "0,p,send_call,box,=1+1,10\n", "", "message: expected a message number"},
      {"a row too short", "0,p,start\n", "", "events.csv:2"},
      {"no events", "", "", "no events"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Result r = draw(dir, c.rows, c.options);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains(c.says));
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
    CHECK(!fs::exists(dir.path / "out.svg"));
  }
  Result png = run_ipcsim("timeline " + dir.write("events.csv", events_header + good) + " -o " +
                          (dir.path / "out.png").string());
  CHECK(png.exit_code == 2);
  CHECK_THAT(png.output, Catch::Contains("expected a file ending in .svg (a sequence chart), .json"));
  CHECK(!fs::exists(dir.path / "out.png"));
  // Times far from 0 (a lone event at 1e12 s: a tick step below their precision) still draw.
  const std::string far = dir.write("far.csv", std::string(events_header) + "1e12,p,start,,,\n");
  Result drawn =
      run_shell("timeout 20 " + ipcsim_binary + " timeline " + far + " -o " + (dir.path / "far.svg").string());
  CHECK(drawn.exit_code == 0);
  CHECK(fs::exists(dir.path / "far.svg"));
  // Not an events CSV: a summary.
  const std::string summary = dir.write("summary.csv", "scenario,point\nx,1\n");
  Result r = run_ipcsim("timeline " + summary + " -o " + (dir.path / "out.svg").string());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains("expected a column `time_s` in an events CSV"));
  Result missing =
      run_ipcsim("timeline " + (dir.path / "none.csv").string() + " -o " + (dir.path / "out.svg").string());
  CHECK(missing.exit_code == 2);
  CHECK(!fs::exists(dir.path / "out.svg"));
}

TEST_CASE("ipcsim timeline: a large run draws its first messages and says so, a window draws what is in it") {
  TempDir dir;
  std::string rows = "0,p,start,,,\n0,q,start,,,\n";
  for (int i = 0; i < 1000; ++i)  // message i sent at i ms, received 0.5 ms later
    rows += fmt::format("{0},p,send_call,box,{1},10\n{2},q,receive_return,box,{1},message\n", i * 1e-3, i,
                        i * 1e-3 + 0.5e-3);
  Result all = draw(dir, rows);
  REQUIRE(all.exit_code == 0);
  CHECK_THAT(all.output, Catch::Contains("drew the first 500 of the 1000 messages sent in the window (up to 500 ms)"));
  const std::string svg = read(dir.path / "out.svg");
  CHECK(count_of(svg, "class=\"message buffered\"") == 500);
  Result window = draw(dir, rows, "--from 100ms --to 110ms --max-messages 20");
  REQUIRE(window.exit_code == 0);
  CHECK_THAT(window.output, !Catch::Contains("drew the first"));
  CHECK(count_of(read(dir.path / "out.svg"), "class=\"message buffered\"") == 11);  // sent at 100, 101, ..., 110 ms
}
