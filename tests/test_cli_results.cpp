// The results workflow end to end through the binary: shards and merge, compare, plot, progress.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <regex>

#include "base/sanitizers.hpp"
#include "cli_helpers.hpp"

using namespace ipcsim::test;
namespace report = ipcsim::report;

TEST_CASE("shards run by GNU parallel and merged give the single run's CSV") {
  TempDir dir;
  std::string sweep = dir.write("sweep.yaml", small_sweep);
  const std::string d = dir.path.string();
  REQUIRE(run_ipcsim("run -q " + sweep + " -o " + d + "/single.csv").exit_code == 0);
  // The README's form: one shard per job; here three jobs on this machine.
  Result shards = run_shell("parallel --will-cite --halt now,fail=1 " + ipcsim_binary + " run -q -j 1 " + sweep +
                            " --shard {}/3 -o " + d + "/shard-{}.csv ::: 0 1 2");
  INFO(shards.output);
  REQUIRE(shards.exit_code == 0);
  CHECK(read(d + "/shard-1.csv").find("\nsmall-sweep,2,") != std::string::npos);  // every third point from the 2nd
  Result merge =
      run_ipcsim("merge " + d + "/merged.csv " + d + "/shard-2.csv " + d + "/shard-0.csv " + d + "/shard-1.csv");
  INFO(merge.output);
  REQUIRE(merge.exit_code == 0);
  CHECK(without_wall_clock(read(d + "/merged.csv")) == without_wall_clock(read(d + "/single.csv")));
  // -o, as every verb spells its output.
  REQUIRE(
      run_ipcsim("merge -o " + d + "/merged-o.csv " + d + "/shard-0.csv " + d + "/shard-1.csv " + d + "/shard-2.csv")
          .exit_code == 0);
  CHECK(read(d + "/merged-o.csv") == read(d + "/merged.csv"));
  Result alone = run_ipcsim("merge " + d + "/only-output.csv");
  CHECK(alone.exit_code == 2);
  CHECK(!fs::exists(d + "/only-output.csv"));

  SECTION("a missing shard, bad shard flags and too many shards exit 2 and write nothing") {
    Result missing = run_ipcsim("merge " + d + "/m.csv " + d + "/shard-0.csv " + d + "/shard-1.csv");
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.output, Catch::Contains("2 of 6 points missing (3, 6)"));
    CHECK(!fs::exists(d + "/m.csv"));
    for (std::string flag : {"3/3", "1", "a/2", "-1/2", "0/0"}) {
      Result bad = run_ipcsim("run " + sweep + " --shard " + flag + " -o " + d + "/m.csv");
      CHECK(bad.exit_code == 2);
      CHECK_THAT(bad.output, Catch::Contains("--shard " + flag + ": expected K/N"));
    }
    Result too_many = run_ipcsim("run " + sweep + " --shard 0/7 -o " + d + "/m.csv");
    CHECK(too_many.exit_code == 2);
    CHECK_THAT(too_many.output, Catch::Contains("the sweep has 6 points, expected at most 6 shards"));
    CHECK(!fs::exists(d + "/m.csv"));
  }
}

TEST_CASE("compare against the reference results: same run exit 0, worse exit 1, bad file exit 2") {
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string reference = source_dir + "/results/reference/capacity-sweep.csv";
  REQUIRE(run_ipcsim("run -q " + source_dir + "/scenarios/capacity-sweep.yaml -o " + d + "/now.csv").exit_code == 0);
  // Simulated results are deterministic: today's run matches the committed one exactly.
  Result same = run_ipcsim("compare " + reference + " " + d + "/now.csv --threshold 0");
  INFO(same.output);
  CHECK(same.exit_code == 0);
  CHECK_THAT(same.output, Catch::Contains("84 values compared; 0 beyond 0%"));
  CHECK_THAT(same.output, Catch::Contains("capacity=unbounded mode=nonblocking  latency_p99_s"));

  // The first point's throughput 10% lower: flagged, exit 1.
  std::string text = read(d + "/now.csv");
  const std::string header = text.substr(0, text.find('\n'));
  const std::size_t columns = std::count(header.begin(), header.end(), ',') + 1;
  const std::size_t throughput_column =
      std::count(header.begin(), header.begin() + header.find(",throughput_msgs_per_s,"), ',') + 1;
  std::size_t row = header.size() + 1;
  std::size_t at = row;
  for (std::size_t commas = 0; commas < throughput_column; ++commas) at = text.find(',', at) + 1;
  const std::size_t end = text.find(',', at);
  REQUIRE(text.substr(at, end - at) == "1352.2");
  text.replace(at, end - at, "1216.98");
  dir.write("worse.csv", text);
  Result worse = run_ipcsim("compare " + reference + " " + d + "/worse.csv");
  CHECK(worse.exit_code == 1);
  // The table's columns are padded: compare the cells, one space apart.
  std::string cells = worse.output;
  cells.erase(std::unique(cells.begin(), cells.end(), [](char a, char b) { return a == ' ' && b == ' '; }),
              cells.end());
  CHECK_THAT(cells, Catch::Contains("throughput_msgs_per_s 1352.2 msg/s 1216.98 msg/s -135.22 msg/s 0.9000 !"));
  CHECK(run_ipcsim("compare " + reference + " " + d + "/worse.csv --threshold 10.5").exit_code == 0);

  dir.write("broken.csv", text.substr(0, text.find('\n', row + 1) + 1) + "capacity-sweep,2,0\n");
  Result broken = run_ipcsim("compare " + reference + " " + d + "/broken.csv");
  CHECK(broken.exit_code == 2);
  CHECK_THAT(broken.output, Catch::Contains(fmt::format(
                                "{}/broken.csv:3:1: error: expected {} fields as in the header, found 3", d, columns)));
  Result missing = run_ipcsim("compare " + reference + " " + d + "/nope.csv");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(
      missing.output,
      Catch::Contains("nope.csv: error: cannot open file (No such file or directory): expected a result CSV file"));
  CHECK(run_ipcsim("compare " + reference + " " + d + "/now.csv --threshold -1").exit_code == 2);
}

namespace {
// The titles of the series gnuplot drew, in order.
std::vector<std::string> svg_series(const std::string& svg) {
  std::vector<std::string> titles;
  const std::regex series(R"(<g id="gnuplot_plot_\d+[a-z]*" ><title>([^<]*)</title>)");
  for (std::sregex_iterator it(svg.begin(), svg.end(), series), end; it != end; ++it) titles.push_back((*it)[1]);
  return titles;
}
}  // namespace

TEST_CASE("plot draws a sweep's metrics and a trace's CDF to SVG, keeping the gnuplot script beside it") {
  TempDir dir;
  const std::string d = dir.path.string();
  Result plot = run_ipcsim("plot " + source_dir + "/results/reference/capacity-sweep.csv -o " + d + "/sweep.svg");
  INFO(plot.output);
  REQUIRE(plot.exit_code == 0);
  const std::string svg = read(d + "/sweep.svg");
  CHECK_THAT(svg, Catch::StartsWith("<?xml"));
  // Two panels (throughput, latency p99), each one series per send mode.
  CHECK(svg_series(svg) ==
        std::vector<std::string>{"mode=blocking", "mode=nonblocking", "mode=blocking", "mode=nonblocking"});
  CHECK_THAT(svg, Catch::Contains(">throughput (messages/s)<"));
  CHECK_THAT(svg, Catch::Contains(">latency p99 (s)<"));
  CHECK_THAT(svg, Catch::Contains(">unbounded<"));
  CHECK_THAT(read(d + "/sweep.gp"), Catch::Contains("$series2 << EOD"));

  std::string scenario = source_dir + "/scenarios/asymmetric-server.yaml";
  REQUIRE(run_ipcsim("run -q " + scenario + " -o " + d + "/one.csv --trace " + d + "/trace.csv").exit_code == 0);
  REQUIRE(run_ipcsim("plot " + d + "/trace.csv").exit_code == 0);  // default: beside the CSV, as .svg
  CHECK(svg_series(read(d + "/trace.svg")) == std::vector<std::string>{"requests", "replies"});

  SECTION("without gnuplot on PATH: a clear error, exit 1, no file") {
    Result r = run_shell("PATH=" + d + " " + ipcsim_binary + " plot " + d + "/trace.csv -o " + d + "/none.svg");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.output, Catch::Contains("gnuplot not found on PATH"));
    CHECK(!fs::exists(d + "/none.svg"));
    CHECK(!fs::exists(d + "/none.gp"));
  }
  SECTION("bad input exits 2: a single run has nothing to plot against, an unknown metric, a bad extension") {
    Result single = run_ipcsim("plot " + d + "/one.csv");
    CHECK(single.exit_code == 2);
    CHECK_THAT(single.output, Catch::Contains("one.csv: error: no swept parameter varies"));
    Result metric =
        run_ipcsim("plot " + source_dir + "/results/reference/capacity-sweep.csv --y speed -o " + d + "/x.svg");
    CHECK(metric.exit_code == 2);
    CHECK_THAT(metric.output, Catch::Contains("--y `speed`: expected a column of this file"));
    CHECK(run_ipcsim("plot " + d + "/trace.csv -o " + d + "/x.pdf").exit_code == 2);
    CHECK(!fs::exists(d + "/x.svg"));
  }
}

TEST_CASE("progress shows on a terminal only, and never with --quiet") {
  TempDir dir;
  std::string sweep = dir.write("sweep.yaml", small_sweep);
  const std::string d = dir.path.string();
  // `script` gives the command a terminal.
  Result tty = run_shell("script -qec '" + ipcsim_binary + " run " + sweep + " -o " + d + "/a.csv' /dev/null");
  INFO(tty.output);
  REQUIRE(tty.exit_code == 0);
  CHECK_THAT(tty.output, Catch::Contains("6/6 points done"));
  Result quiet = run_shell("script -qec '" + ipcsim_binary + " run -q " + sweep + " -o " + d + "/a.csv' /dev/null");
  CHECK(quiet.output.find("points done") == std::string::npos);
  Result piped = run_ipcsim("run " + sweep + " -o " + d + "/a.csv");
  CHECK(piped.output.find("points done") == std::string::npos);
  CHECK(piped.output.find('\r') == std::string::npos);
}

namespace {
// Runs until stopped from outside: a million simulated seconds take hours of wall time.
const std::string endless_scenario = R"(
name: endless
stop: {time: 1000000s}
channels:
  jobs: {addressing: mailbox, capacity: 4}
processes:
  producer: {program: [{repeat: forever, do: [{send: {to: jobs, size: 1B}}, {sleep: 1ms}]}]}
  consumer: {program: [{repeat: forever, do: [{recv: {from: jobs}}]}]}
)";
}  // namespace

TEST_CASE("max-wall stops a run cleanly with a partial result, and on a terminal progress shows simulated time") {
  TempDir dir;
  const std::string d = dir.path.string();
  std::string endless = dir.write("endless.yaml", endless_scenario);
  Result r = run_shell("script -qec '" + ipcsim_binary + " run " + endless + " --max-wall 1.2 -o " + d +
                       "/endless.csv' /dev/null");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("stopped by max_wall"));
  CHECK_THAT(r.output, Catch::Contains("s simulated, "));  // the progress line, every half second
  CHECK_THAT(r.output, Catch::Contains(", ETA "));
  const std::string csv = read(d + "/endless.csv");
  CHECK_THAT(csv, Catch::Contains(",max_wall,"));
  CHECK(run_ipcsim("run " + endless + " --max-wall 0 -o " + d + "/x.csv").exit_code == 2);
}

TEST_CASE("max-wall is heard when each step is slow: thousands of transfers sharing one link") {
  // Two senders start a 1 KiB transfer every microsecond over a 1 MB/s link: by 5 ms of
  // simulated time 10,000 transfers share it and each step costs SimGrid milliseconds, more as
  // they pile up. The wall clock was read every 4,096 steps: --max-wall 5 on such a run (the
  // random mixes' seed 58 as clang drew it) had not stopped after 30 s. Now it is read every
  // 16 steps, and the run stops within the first simulated milliseconds.
  TempDir dir;
  const std::string flood = dir.write("flood.yaml", R"(
name: flood
model: {network: {link: {latency: 1ms, bandwidth: 1MB/s}}, local: {send_overhead: 1us}}
stop: {time: 1s}
channels:
  box: {addressing: mailbox, owner: reader, capacity: unbounded}
processes:
  flooder: {host: a, count: 2, program: [{repeat: forever, do: [{send: {to: box, size: 1KiB, mode: nonblocking}}]}]}
  reader: {host: b, program: [{repeat: forever, do: [{recv: {from: box}}]}]}
)");
  Result r = run_ipcsim("run " + flood + " --max-wall 1 -o " + dir.path.string() + "/flood.csv");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("stopped by max_wall at t=0.0"));  // within the first 100 ms simulated
}

namespace {
// Shell text that prints "none left" once no process matches `pattern` (pgrep -f), looking
// every 0.1 s for 5 s (a killed process takes a moment to go, longer under a sanitizer);
// what still matches after that is listed.
std::string gone_within_5s(const std::string& pattern) {
  return "for i in $(seq 50); do pgrep -f " + pattern + " > /dev/null || break; sleep 0.1; done; pgrep -f " + pattern +
         " || echo none left";
}
}  // namespace

TEST_CASE("SIGINT, SIGTERM and SIGHUP stop every point: exit 128+signal, nothing written, the earlier result intact") {
  for (const auto& [signal, code] : {std::pair{"INT", 130}, std::pair{"TERM", 143}, std::pair{"HUP", 129}}) {
    INFO(signal);
    TempDir dir;
    const std::string d = dir.path.string();
    // Two endless points run at once: the signal goes to ipcsim alone, and both must stop.
    std::string endless = dir.write("endless.yaml", endless_scenario + "sweep:\n  channels.jobs.capacity: [1, 2]\n");
    dir.write("out.csv", "earlier result\n");
    // Its output goes to a file: a point left running would hold a pipe open, and the test hang.
    Result r = run_shell(ipcsim_binary + " run -j 2 " + endless + " -o " + d + "/out.csv > " + d +
                         "/log 2>&1 & pid=$!; " + "sleep 1; kill -" + signal + " $pid; wait $pid; echo exit=$?; cat " +
                         d + "/log; " + gone_within_5s("'^" + ipcsim_binary + " run .*" + d + "'"));
    INFO(r.output);
    CHECK_THAT(r.output, Catch::Contains(fmt::format("exit={}", code)));
    CHECK_THAT(r.output, Catch::Contains("interrupted: nothing written"));
    CHECK_THAT(r.output, Catch::Contains("none left"));
    CHECK(read(d + "/out.csv") == "earlier result\n");
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path)) ++files;
    CHECK(files == 3);  // endless.yaml, out.csv and log: no temporary file left behind
  }
}

TEST_CASE("SIGKILL to ipcsim leaves no simulation running") {
  TempDir dir;
  std::string endless = dir.write("endless.yaml", endless_scenario + "sweep:\n  channels.jobs.capacity: [1, 2]\n");
  // ipcsim and its forked points share a command line; the shell running this one does not start so.
  const std::string ours = "'^" + ipcsim_binary + " run .*" + dir.path.string() + "'";
  // Before the fix the two forked points were adopted by init and ran for ever.
  Result r = run_shell(ipcsim_binary + " run -q -j 2 " + endless + " -o " + dir.path.string() +
                       "/out.csv > /dev/null 2>&1 & pid=$!; sleep 1; pgrep -c -f " + ours + "; kill -KILL $pid; " +
                       gone_within_5s(ours) + "; pkill -KILL -f " + ours);
  INFO(r.output);
  CHECK_THAT(r.output, Catch::StartsWith("3\n"));  // ipcsim and its two points were running
  CHECK_THAT(r.output, Catch::Contains("none left"));
}

TEST_CASE("a run that would not fit in memory is refused up front, and one that outgrows it stops cleanly") {
  TempDir dir;
  const std::string d = dir.path.string();
  std::string crowd = dir.write("crowd.yaml", "processes:\n  p: {count: 2000, program: [{sleep: 1ms}]}\n");
  Result refused = run_ipcsim("run " + crowd + " --memory 16MiB -o " + d + "/crowd.csv");
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.output,
             Catch::Contains("2000 simulated processes need about 0.05 GiB (16 MiB and 16 KiB each), and "
                             "0.02 GiB is available per run"));
  CHECK(!fs::exists(d + "/crowd.csv"));
  CHECK(run_ipcsim("run " + crowd + " --memory lots -o " + d + "/crowd.csv").exit_code == 2);

  // A producer that never waits fills an unbounded mailbox nobody reads: the run stops when
  // the live messages reach the budget, and every message is still accounted for.
  std::string flood = dir.write("flood.yaml", R"(
name: flood
stop: {time: 2s}
channels:
  box: {addressing: mailbox}
processes:
  producer: {program: [{repeat: forever, do: [{send: {to: box, size: 64B}}]}]}
  consumer: {program: [{sleep: 1s}, {recv: {from: box}}]}
)");
  Result r = run_ipcsim("run " + flood + " --memory 48MiB -o " + d + "/flood.csv");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("stopped by memory"));
  const std::string csv = read(d + "/flood.csv");
  CHECK_THAT(csv, Catch::Contains(",memory,"));
  // sent, delivered, failed, lost: all queued at the end, none vanished.
  std::smatch counts;
  REQUIRE(std::regex_search(csv, counts, std::regex(R"(,memory,(\d+),0,0,(\d+),)")));
  CHECK(counts[1] == counts[2]);
  if (!ipcsim::sanitized_build) CHECK(std::stoull(counts[1]) > 100000);
}

namespace {
// Runs a command line, returning its exit code and the peak resident memory of the biggest
// process in its tree: the shell execs the command, and wait4's ru_maxrss covers the
// children it waited for.
std::pair<int, double> exit_and_peak_bytes(const std::string& command_line) {
  const pid_t child = ::fork();
  if (child == 0) {
    ::execl("/bin/sh", "sh", "-c", ("exec " + command_line + " >/dev/null 2>&1").c_str(), nullptr);
    ::_exit(127);
  }
  int status = 0;
  struct rusage usage {};
  ::wait4(child, &status, 0, &usage);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, static_cast<double>(usage.ru_maxrss) * 1024};
}
}  // namespace

TEST_CASE("a run stays under its memory budget: peak resident memory measured, with and without a trace") {
  if (ipcsim::sanitized_build) return;
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string flood = dir.write("flood.yaml", R"(
name: flood
stop: {time: 1000s}
channels:
  box: {addressing: mailbox}
processes:
  producer: {program: [{repeat: forever, do: [{send: {to: box, size: 64B}}]}]}
  consumer: {program: [{sleep: 1000s}, {recv: {from: box}}]}
)");
  for (const std::string& trace : {std::string(), " --trace " + d + "/trace.csv"}) {
    for (const double mib : {96.0, 256.0}) {
      INFO("--memory " << mib << "MiB" << trace);
      auto [code, peak] = exit_and_peak_bytes(
          fmt::format("{} run {} --memory {}MiB -o {}/out.csv{}", ipcsim_binary, flood, mib, d, trace));
      CHECK(code == 0);
      CHECK(peak <= mib * (1 << 20));
      CHECK(peak > mib * (1 << 20) / 3);  // the budget is used, not left idle
      CHECK_THAT(read(d + "/out.csv"), Catch::Contains(",memory,"));
    }
  }
}

TEST_CASE(
    "ulimit -v is a budget too: what cannot fit is refused up front, and a run stops before SimGrid would abort") {
  if (ipcsim::sanitized_build) return;  // they reserve terabytes of address space
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string crowd = dir.write("crowd.yaml", "processes:\n  p: {count: 50000, program: [{sleep: 1ms}]}\n");
  Result refused = run_shell("ulimit -v 4000000; " + ipcsim_binary + " run " + crowd + " -o " + d + "/crowd.csv");
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.output,
             Catch::Contains("50000 simulated processes need about 12.33 GiB of address space (256 KiB of "
                             "stack each), and ulimit -v allows 3.81 GiB"));
  const std::string flood = dir.write("flood.yaml",
                                      "stop: {time: 1000s}\nchannels:\n  box: {addressing: mailbox}\n"
                                      "processes:\n  producer: {program: [{repeat: forever, do: [{send: {to: "
                                      "box, size: 64B}}]}]}\n  consumer: {program: [{sleep: 1000s}]}\n");
  Result stopped = run_shell("ulimit -v 600000; " + ipcsim_binary + " run " + flood + " -o " + d + "/flood.csv");
  INFO(stopped.output);
  CHECK(stopped.exit_code == 0);
  CHECK_THAT(stopped.output, Catch::Contains("stopped by memory"));
}

TEST_CASE("a sweep over seed and model writes no repeated column, and merge, compare and plot take it") {
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string sweep = dir.write("seeds.yaml", std::string(R"(
name: seeds
stop: {time: 20ms}
channels:
  jobs: {addressing: mailbox, capacity: 2}
processes:
  producer: {program: [{repeat: forever, do: [{send: {to: jobs, size: 1B}}, {sleep: exp(1ms)}]}]}
  consumer: {program: [{repeat: forever, do: [{recv: {from: jobs}}, {compute: exp(1ms)}]}]}
sweep:
  seed: [1, 2, 3]
  model: [ideal, )") + source_dir + "/models/lan.yaml]\n");
  for (int shard = 0; shard < 2; ++shard)
    REQUIRE(run_ipcsim(fmt::format("run -q {} --shard {}/2 -o {}/shard-{}.csv", sweep, shard, d, shard)).exit_code ==
            0);
  Result merged = run_ipcsim("merge " + d + "/all.csv " + d + "/shard-1.csv " + d + "/shard-0.csv");
  INFO(merged.output);
  REQUIRE(merged.exit_code == 0);
  const report::Table table = report::parse_table(read(d + "/all.csv"), "all.csv");  // refuses a repeated column
  CHECK(table.rows.size() == 6);
  const std::size_t swept_seed = table.require_column("sweep.seed", "test");
  const std::size_t seed = table.require_column("seed", "test");
  for (const auto& row : table.rows) CHECK(row[swept_seed] == row[seed]);
  CHECK(table.column("sweep.model").has_value());
  CHECK(run_ipcsim("compare " + d + "/all.csv " + d + "/all.csv --threshold 0").exit_code == 0);
  Result plot = run_ipcsim("plot " + d + "/all.csv --x sweep.seed -o " + d + "/seeds.svg");
  INFO(plot.output);
  CHECK(plot.exit_code == 0);
  // --seed would override the seeds the sweep varies: refused.
  Result both = run_ipcsim("run -q " + sweep + " --seed 5 -o " + d + "/x.csv");
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.output, Catch::Contains("--seed: the scenario's sweep varies the seed"));
}
