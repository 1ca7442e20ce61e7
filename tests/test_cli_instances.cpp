// run --instances: the channels and processes CSVs per instance, adding up to the declared
// channels and groups, and the sizes it refuses.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "cli_helpers.hpp"

using namespace ipcsim::test;
namespace report = ipcsim::report;

namespace {

// On the ideal model: a sends 10 B to b at 0, 10 and 20 ms; b takes each at once and at
// 20 ms sends 100 B back, which a receives when its last sleep ends, at 30 ms.
const char* one_link_two_ways = R"(
name: two-ways
channels:
  link: {addressing: direct-symmetric, between: [a, b]}
processes:
  a: {program: [{repeat: 3, do: [{send: {to: b, size: 10B}}, {sleep: 10ms}]}, {recv: {from: b}}]}
  b: {program: [{repeat: 3, do: [{recv: {from: a}}]}, {send: {to: a, size: 100B}}]}
  worker: {count: 3, program: [{repeat: 5, do: [{compute: exp(1ms)}, {sleep: exp(1ms)}]}]}
)";

}  // namespace

TEST_CASE("run --instances: a row per channel and process instance, adding up to the declared ones") {
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string scenario = dir.write("two.yaml", one_link_two_ways);
  Result detailed = run_ipcsim("run -q " + scenario + " --instances -o " + d + "/i.csv");
  INFO(detailed.output);
  REQUIRE(detailed.exit_code == 0);
  REQUIRE(run_ipcsim("run -q " + scenario + " -o " + d + "/g.csv").exit_code == 0);

  const report::Table channels = report::parse_table(read(d + "/i.channels.csv"), "i.channels.csv");
  REQUIRE(channels.rows.size() == 2);
  CHECK(cell(channels, 0, "channel") == "link");
  CHECK(cell(channels, 0, "instance") == "link:a->b");
  CHECK(cell(channels, 0, "messages_delivered") == "3");
  CHECK(cell(channels, 0, "throughput_bytes_per_s") == "1000");  // 30 B in 30 ms
  CHECK(cell(channels, 0, "latency_max_s") == "0");
  CHECK(cell(channels, 1, "instance") == "link:b->a");
  CHECK(cell(channels, 1, "messages_delivered") == "1");
  CHECK(cell(channels, 1, "latency_max_s") == "0.01");  // sent at 20 ms, received at 30 ms
  CHECK(cell(channels, 1, "throughput_bytes_per_s") == "3333.33333");
  // The declared channel without --instances: both directions together.
  const report::Table declared = report::parse_table(read(d + "/g.channels.csv"), "g.channels.csv");
  REQUIRE(declared.rows.size() == 1);
  CHECK(!declared.column("instance"));
  CHECK(cell(declared, 0, "messages_delivered") == "4");
  CHECK(cell(declared, 0, "latency_max_s") == "0.01");
  // The summary does not depend on --instances.
  CHECK(without_wall_clock(read(d + "/i.csv"), {"overrides"}) == without_wall_clock(read(d + "/g.csv"), {"overrides"}));

  const report::Table processes = report::parse_table(read(d + "/i.processes.csv"), "i.processes.csv");
  const report::Table groups = report::parse_table(read(d + "/g.processes.csv"), "g.processes.csv");
  REQUIRE(processes.rows.size() == 5);
  CHECK(cell(processes, 2, "process") == "worker");
  CHECK(cell(processes, 2, "instance") == "worker.0");
  CHECK(cell(processes, 4, "instance") == "worker.2");
  // The group's share is its instances' mean (each instance's time is the run's).
  double computing = 0;
  for (std::size_t r = 2; r < 5; ++r) computing += std::stod(cell(processes, r, "computing_fraction")) / 3;
  CHECK(std::stod(cell(groups, 2, "computing_fraction")) == Approx(computing).epsilon(1e-8));
  CHECK(cell(processes, 2, "computing_fraction") != cell(processes, 3, "computing_fraction"));
}

TEST_CASE("run --instances: too many instance rows or channel instances exit 2, writing nothing") {
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string many_processes =
      dir.write("many.yaml", "name: many\nprocesses:\n  p: {count: 100001, program: [{sleep: 1ms}]}\n");
  Result too_many = run_ipcsim("run " + many_processes + " --instances -o " + d + "/out.csv");
  CHECK(too_many.exit_code == 2);
  CHECK_THAT(too_many.output,
             Catch::Contains("--instances: 1 runs of up to 100001 process instances: expected at most 100000"));
  const std::string many_channels = dir.write("channels.yaml", R"(
name: wide
channels:
  inbox: {addressing: direct-asymmetric, receiver: r}
processes:
  r: {count: 10001, program: [{sleep: 1ms}]}
)");
  Result wide = run_ipcsim("run " + many_channels + " --instances -o " + d + "/out.csv");
  CHECK(wide.exit_code == 2);
  CHECK_THAT(wide.output, Catch::Contains("--instances: 10001 channel instances: expected at most 10000"));
  CHECK(!fs::exists(d + "/out.csv"));
  CHECK(!fs::exists(d + "/out.channels.csv"));
  // Without --instances the same scenario runs.
  CHECK(run_ipcsim("run -q " + many_channels + " -o " + d + "/out.csv").exit_code == 0);
}
