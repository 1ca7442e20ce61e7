// ipcsim report: what the page says of a run worked out by hand, a sweep's page, hostile
// result files (escaped, never markup), and bad input (one line, exit 2, nothing written).
// (The page in a real browser: report/check_report.py, run by ./bootstrap.sh browser.)
#include <sys/stat.h>

#include <cctype>

#include "cli_helpers.hpp"
#include "helpers.hpp"
#include "report/csv.hpp"

using namespace ipcsim;
using namespace ipcsim::test;

namespace {

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// What a self-contained page must never hold: a script, an event handler, an address to fetch.
void check_self_contained(const std::string& html) {
  CHECK(count_of(html, "<script") == 0);
  for (std::size_t tag = html.find('<'); tag != std::string::npos; tag = html.find('<', tag + 1)) {
    const std::string markup = html.substr(tag, html.find('>', tag) - tag);
    for (std::size_t at = markup.find(" on"); at != std::string::npos; at = markup.find(" on", at + 1)) {
      std::size_t end = at + 3;
      while (end < markup.size() && std::isalpha(static_cast<unsigned char>(markup[end]))) ++end;
      CHECK_FALSE((end > at + 3 && end < markup.size() && markup[end] == '='));  // an event handler
    }
  }
  CHECK(count_of(html, "src=\"") == count_of(html, "src=\"data:image/svg+xml;base64,"));
  CHECK(count_of(html, "href=\"") == count_of(html, "href=\"#"));
  CHECK_THAT(html, Catch::Contains("content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\""));
}

}  // namespace

TEST_CASE("ipcsim report: the page of the hand-worked run says what happened to each message and each process") {
  TempDir dir;
  const std::string summary = (dir.path / "hand.csv").string(), events = (dir.path / "hand.events.csv").string(),
                    trace = (dir.path / "hand.trace.csv").string();
  REQUIRE(run_ipcsim("run -q " + source_dir + "/tests/timeline/hand.yaml -o " + summary + " --events " + events +
                     " --trace " + trace + " --series 1ms")
              .exit_code == 0);
  Result made = run_ipcsim("report " + summary + " --events " + events + " --trace " + trace);
  REQUIRE(made.exit_code == 0);
  CHECK(made.output == "wrote " + (dir.path / "hand.html").string() + "\n");
  const std::string html = read(dir.path / "hand.html");
  check_self_contained(html);
  for (const char* id : {"outcome", "channels", "processes", "series", "latency", "sequence", "columns"})
    CHECK(count_of(html, fmt::format("<section id=\"{}\">", id)) == 1);
  // tests/timeline/hand.yaml: 4 sent; two delivered 5 ms after their send call; the third
  // nonblocking send finds the one slot full (would_block); the fourth is queued at the end.
  CHECK_THAT(html, Catch::Contains("Every message is accounted for: 4 sent = 2 delivered + 1 failed + 1 lost."));
  CHECK_THAT(html, Catch::Contains("<tr><td>failed</td><td>would_block</td><td class=\"n\">1</td></tr>"));
  CHECK_THAT(html, Catch::Contains("<tr><td>lost</td><td>queued_at_end</td><td class=\"n\">1</td></tr>"));
  CHECK_THAT(html, Catch::Contains("<div class=\"value\">5 ms</div><div class=\"name\">latency_p50_s</div>"));
  CHECK_THAT(html, Catch::Contains("<div class=\"value\">25.0%</div><div class=\"name\">sends_blocked_fraction</div>"));
  // Of the run's 7 ms, p computes 1 ms (5-6), is in a send 5 ms (0-5, blocked), dead 1 ms;
  // q sleeps 5 ms and waits in receives 2 ms (the timed one).
  CHECK_THAT(html, Catch::Contains("width:14.29%;background:#1e88e5\" title=\"computing 14.3%\""));
  CHECK_THAT(html, Catch::Contains("width:71.43%;background:#e53935\" title=\"sending 71.4%\""));
  CHECK_THAT(html, Catch::Contains("width:14.29%;background:#212121\" title=\"dead 14.3%\""));
  CHECK_THAT(html, Catch::Contains("width:71.43%;background:#bdbdbd\" title=\"sleeping 71.4%\""));
  CHECK_THAT(html, Catch::Contains("width:28.57%;background:#fdd835\" title=\"receiving 28.6%\""));
  // The sequence chart inline (its titles show on hover), gnuplot's plots as images.
  CHECK(count_of(html, "<svg") == 1);
  CHECK(count_of(html, "class=\"message ") == 4);
  CHECK(count_of(html, "<img ") == 2);
}

TEST_CASE("ipcsim report: a sweep's page has a row per point and the plot of the sweep") {
  TempDir dir;
  const std::string scenario = dir.write("sweep.yaml", small_sweep), summary = (dir.path / "sweep.csv").string();
  REQUIRE(run_ipcsim("run -q " + scenario + " -o " + summary).exit_code == 0);
  REQUIRE(run_ipcsim("report " + summary + " -o " + (dir.path / "page.html").string()).exit_code == 0);
  const std::string html = read(dir.path / "page.html");
  check_self_contained(html);
  CHECK_THAT(html, Catch::Contains("6 points of"));
  CHECK_THAT(html, Catch::Contains("<th>capacity</th><th>mode</th><th>stop_<wbr>reason</th>"));
  CHECK_THAT(html, Catch::Contains("<td>unbounded</td><td>nonblocking</td><td>time</td>"));
  CHECK(count_of(html, "<img ") == 1);  // the sweep: throughput and latency against capacity
  CHECK(count_of(html, "<svg") == 0);
}

TEST_CASE("ipcsim report: hostile text in the result files reaches the page as text, never as markup") {
  TempDir dir;
  const std::string quoted = report::csv_field("<script>alert(1)</script>\"'><img src=x onerror=alert(2)>&amp;");
  std::string summary =
      "scenario,point,sweep_points,seed,model,stop_reason,messages_sent,messages_delivered,"
      "messages_failed,messages_lost,deadlock,scenario_file,overrides,ipcsim_version\n";
  summary += fmt::format("{0},1,1,7,{0},{0},1,1,0,0,{0},{0},{0},{0}\n", quoted);
  const std::string file = dir.write("evil.csv", summary);
  dir.write("evil.channels.csv", "scenario,point,sweep_points,seed,model,channel,messages_sent\n" +
                                     fmt::format("{0},1,1,7,{0},{0},1\n", quoted));
  dir.write("evil.processes.csv", "scenario,point,sweep_points,seed,model,process,instances,computing_fraction\n" +
                                      fmt::format("{0},1,1,7,{0},{0},1,0.5\n", quoted));
  dir.write("evil.events.csv", "time_s,process,kind,channel,message,detail\n" +
                                   fmt::format("0,{0},start,,,\n0,{0},send_call,{0},0,10\n", quoted));
  Result made = run_ipcsim("report " + file + " --events " + (dir.path / "evil.events.csv").string());
  REQUIRE(made.exit_code == 0);
  const std::string html = read(dir.path / "evil.html");
  check_self_contained(html);
  CHECK(count_of(html, "<img") == 0);
  CHECK(count_of(html,
                 "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&gt;&lt;img src=x onerror=alert(2)&gt;"
                 "&amp;amp;") >= 8);
}

TEST_CASE("ipcsim report: counts that do not add up are said not to (here the lost ones by reason)") {
  TempDir dir;
  const std::string summary =
      dir.write("edited.csv",
                "scenario,point,sweep_points,seed,model,messages_sent,messages_delivered,messages_failed,"
                "messages_lost,failed_timeout,lost_killed\nx,1,1,1,m,3,1,1,1,1,0\n");
  REQUIRE(run_ipcsim("report " + summary).exit_code == 0);
  CHECK_THAT(read(dir.path / "edited.html"),
             Catch::Contains("<p class=\"warning\">These counts do not add up (was the CSV edited?): 3 sent = 1 "
                             "delivered + 1 failed + 1 lost.</p>"));
}

TEST_CASE("ipcsim report: bad input exits 2 with one line and leaves the page as it was") {
  TempDir dir;
  const std::string summary = (dir.path / "hand.csv").string(), page = (dir.path / "page.html").string();
  REQUIRE(run_ipcsim("run -q " + source_dir + "/tests/timeline/hand.yaml -o " + summary).exit_code == 0);
  const std::string before = "an earlier page\n";
  dir.write("page.html", before);
  const std::string events = dir.write("events.csv", "time_s,process,kind,channel,message,detail\n0,p,boom,,,\n");
  const std::string text_count =
      dir.write("text.csv",
                "scenario,point,sweep_points,seed,model,messages_sent,messages_delivered,messages_failed,"
                "messages_lost\nx,1,1,1,m,many,0,0,0\n");
  struct Case {
    std::string name, arguments, says;
  };
  const std::vector<Case> cases{
      {"a missing summary", (dir.path / "none.csv").string() + " -o " + page, "none.csv: error: cannot open file"},
      {"an events CSV for a summary", events + " -o " + page, "events.csv:1:1: error: expected a column `point`"},
      {"a count that is text", text_count + " -o " + page, "text.csv:2:1: error: column `messages_sent` holds `many`"},
      {"a page that is no .html", summary + " -o " + (dir.path / "page.txt").string(),
       "-o " + (dir.path / "page.txt").string() + ": expected a file ending in .html"},
      {"a bad events file", summary + " --events " + events + " -o " + page, "events.csv:2:1: error: kind: unknown"},
      {"a summary for the events", summary + " --events " + summary + " -o " + page, "expected a column `time_s`"},
      {"a bad --from", summary + " --from soon -o " + page, "--from soon: expected a duration"},
      {"standard input without -o", "- < " + summary, "the summary comes from standard input: expected -o"},
      {"an input as the page", summary + " --trace " + page + " -o " + page,
       "-o: is also an input of this command: expected a different file for the output"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Result r = run_ipcsim("report " + c.arguments);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains(c.says));
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
    CHECK(read(dir.path / "page.html") == before);
    CHECK(!fs::exists(dir.path / "page.txt"));
  }
}

TEST_CASE("ipcsim report: a file beside the summary is read only when it is a regular file of the same run") {
  TempDir dir;
  const std::string scenario = source_dir + "/tests/timeline/hand.yaml", summary = (dir.path / "hand.csv").string();
  // A series CSV of another seed, left by an earlier run.
  REQUIRE(run_ipcsim("run -q " + scenario + " --seed 5 -o " + summary + " --series 1ms").exit_code == 0);
  REQUIRE(run_ipcsim("run -q " + scenario + " -o " + summary).exit_code == 0);
  Result made = run_ipcsim("report " + summary);
  REQUIRE(made.exit_code == 0);
  CHECK_THAT(made.output, Catch::Contains("left out " + (dir.path / "hand.series.csv").string() +
                                          ": its rows are of another run than " + summary));
  CHECK(count_of(read(dir.path / "hand.html"), "<section id=\"series\">") == 0);
  // A FIFO in its place is not opened (nobody writes to it: reading would wait for ever).
  fs::remove(dir.path / "hand.series.csv");
  REQUIRE(::mkfifo((dir.path / "hand.series.csv").c_str(), 0600) == 0);
  Result beside_fifo = run_shell("timeout 20 " + ipcsim_binary + " report " + summary);
  CHECK(beside_fifo.exit_code == 0);
  CHECK(count_of(read(dir.path / "hand.html"), "<section id=\"processes\">") == 1);
}
