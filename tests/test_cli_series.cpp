// run --series through the binary: the channels over time worked by hand, plotted, and the
// input it refuses.
#include <catch2/catch.hpp>

#include "cli_helpers.hpp"
#include "support/gnuplot_script_check.hpp"

using namespace ipcsim::test;
namespace report = ipcsim::report;

namespace {

// On the ideal model (no costs): the producer sends at 0, 10, 20 and 30 ms and ends at 40 ms;
// the consumer takes all four at 35 ms. The mailbox holds 1 message from 0 to 10 ms, 2 to
// 20, 3 to 30, 4 to 35, then none.
const char* four_then_drain = R"(
name: series-check
channels:
  box: {addressing: mailbox}
processes:
  producer: {program: [{repeat: 4, do: [{send: {to: box, size: 100B}}, {sleep: 10ms}]}]}
  consumer: {program: [{sleep: 35ms}, {repeat: 4, do: [{recv: {from: box}}]}]}
)";

}  // namespace

TEST_CASE("run --series: each bin's occupancy and deliveries, worked by hand, and its plot") {
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string scenario = dir.write("s.yaml", four_then_drain);
  Result run = run_ipcsim("run " + scenario + " --series 20ms -o " + d + "/s.csv");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.output, Catch::Contains(d + "/s.series.csv"));
  const report::Table series = report::parse_table(read(d + "/s.series.csv"), "s.series.csv");
  REQUIRE(series.rows.size() == 2);
  // [0, 20 ms): 1 x 10 ms + 2 x 10 ms = 30 message-ms: mean 1.5, at most 2, nothing delivered.
  CHECK(cell(series, 0, "channel") == "box");
  CHECK(cell(series, 0, "start_s") == "0");
  CHECK(cell(series, 0, "end_s") == "0.02");
  CHECK(cell(series, 0, "occupancy_mean") == "1.5");
  CHECK(cell(series, 0, "occupancy_max") == "2");
  CHECK(cell(series, 0, "delivered") == "0");
  // [20, 40 ms): 3 x 10 ms + 4 x 5 ms = 50 message-ms: mean 2.5, at most 4; 4 delivered in
  // 20 ms: 200/s, 20,000 B/s.
  CHECK(cell(series, 1, "occupancy_mean") == "2.5");
  CHECK(cell(series, 1, "occupancy_max") == "4");
  CHECK(cell(series, 1, "delivered") == "4");
  CHECK(cell(series, 1, "throughput_msgs_per_s") == "200");
  CHECK(cell(series, 1, "throughput_bytes_per_s") == "20000");

  Result plot = run_ipcsim("plot " + d + "/s.series.csv -o " + d + "/s.svg");
  INFO(plot.output);
  REQUIRE(plot.exit_code == 0);
  const std::string script = read(d + "/s.gp");
  // Each bin's start, its occupancy and throughput; the last bin's end closes the steps.
  CHECK_THAT(script, Catch::Contains("$series1 << EOD\n0 1.5 0\n0.02 2.5 200\n0.04 2.5 200\nEOD"));
  CHECK_THAT(script, Catch::Contains("using 1:2 with steps linewidth 2 title 'box'"));
  CHECK_THAT(script, Catch::Contains("using 1:3 with steps linewidth 2 title 'box'"));
  CHECK(ipcsim::testing::gnuplot_script_violation(script).empty());
  CHECK_THAT(read(d + "/s.svg"), Catch::Contains("<svg"));
}

TEST_CASE("run --series: the bins add up to the run's deliveries, mean occupancy and maximum") {
  TempDir dir;
  const std::string d = dir.path.string();
  Result run = run_ipcsim("run -q " + source_dir + "/scenarios/bounded-buffer.yaml --series 50ms -o " + d + "/b.csv");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  const report::Table series = report::parse_table(read(d + "/b.series.csv"), "b.series.csv");
  const report::Table summary = report::parse_table(read(d + "/b.csv"), "b.csv");
  double delivered = 0, area = 0, highest = 0;
  for (std::size_t r = 0; r < series.rows.size(); ++r) {
    auto number = [&](const char* column) { return std::stod(series.rows[r][series.require_column(column, "")]); };
    delivered += number("delivered");
    area += number("occupancy_mean") * (number("end_s") - number("start_s"));
    highest = std::max(highest, number("occupancy_max"));
  }
  auto total = [&](const char* column) { return std::stod(summary.rows[0][summary.require_column(column, "")]); };
  CHECK(delivered == total("messages_delivered"));
  CHECK(area / total("sim_time_s") == Approx(total("occupancy_mean_jobs")).epsilon(1e-7));
  CHECK(highest == total("occupancy_max_jobs"));
}

TEST_CASE("run --series: bad widths, no channels, replications and no file to write beside exit 2, writing nothing") {
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string scenario = dir.write("s.yaml", four_then_drain);
  const std::string no_channels = dir.write("none.yaml", "name: none\nprocesses:\n  p: {program: [{sleep: 1ms}]}\n");
  const std::vector<std::pair<std::string, std::string>> cases{
      {scenario + " --series 0ms", "--series 0ms: expected a bin width such as 10ms or 1s, above 0"},
      {scenario + " --series -1ms", "--series -1ms: expected a bin width"},
      {scenario + " --series abc", "--series abc: expected a bin width"},
      {scenario + " --series 1e400s", "--series 1e400s: expected a bin width"},
      {scenario + " --series 10ms --replications 3", "--series records one run per point"},
      {no_channels + " --series 10ms", "--series: the scenario declares no channels"},
  };
  for (const auto& [arguments, message] : cases) {
    Result bad = run_ipcsim("run " + arguments + " -o " + d + "/out.csv");
    INFO(arguments << ": " << bad.output);
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.output, Catch::Contains(message));
    CHECK(!fs::exists(d + "/out.csv"));
    CHECK(!fs::exists(d + "/out.series.csv"));
  }
  Result to_stdout = run_ipcsim("run " + scenario + " --series 10ms -o -");
  CHECK(to_stdout.exit_code == 2);
  CHECK_THAT(to_stdout.output, Catch::Contains("--series writes beside the summary CSV, and -o - is no file"));
  // A width far below the run's length: the bins merge up to at most 10,000 per channel.
  Result fine = run_ipcsim("run -q " + scenario + " --series 1ns -o " + d + "/fine.csv");
  REQUIRE(fine.exit_code == 0);
  const report::Table series = report::parse_table(read(d + "/fine.series.csv"), "fine.series.csv");
  CHECK(series.rows.size() <= 10'000);
  CHECK(series.rows.size() > 5'000);
  CHECK(series.rows.back()[series.require_column("end_s", "")] == "0.04");
}
