// ipcsim run --measure and ipcsim calibrate, through the binary.
#include <catch2/catch.hpp>

#include "cli_helpers.hpp"
#include "report/table.hpp"
#include "scenario/timing_model.hpp"

using namespace ipcsim;
using namespace ipcsim::test;

namespace {

std::uint64_t count_cell(const report::Table& table, const std::string& column) {
  return std::stoull(cell(table, 0, column));
}

}  // namespace

TEST_CASE("run --measure adds measured columns beside the modeled ones, and the counts add up") {
  TempDir dir;
  std::string scenario = dir.write("pc.yaml", R"(
name: pc
stop: {messages: 3000}
channels:
  jobs: {addressing: mailbox, capacity: 8}
processes:
  producer: {count: 2, program: [{repeat: forever, do: [{send: {to: jobs, size: 1KiB}}]}]}
  consumer: {program: [{repeat: forever, do: [{recv: {from: jobs}}, {compute: 10us}]}]}
)");
  fs::path out = dir.path / "pc.csv";
  Result r = run_ipcsim("run --measure " + scenario + " -o " + out.string());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("measured on 3 threads"));
  report::Table table = report::read_table(out.string());
  CHECK(cell(table, 0, "measured_stop_reason") == "messages");
  const std::uint64_t sent = count_cell(table, "measured_messages_sent");
  CHECK(sent == count_cell(table, "measured_messages_delivered") + count_cell(table, "measured_messages_failed") +
                    count_cell(table, "measured_messages_lost"));
  CHECK(count_cell(table, "measured_messages_delivered") >= 3000);
  CHECK(std::stod(cell(table, 0, "measured_throughput_msgs_per_s")) > 0);
  CHECK(std::stod(cell(table, 0, "measured_latency_p50_s")) > 0);
  CHECK(!cell(table, 0, "measured_vs_modeled_throughput").empty());
  CHECK(cell(table, 0, "measured_threads") == "3");
  // The modeled columns are unchanged by measuring.
  Result plain = run_ipcsim("run -q " + scenario + " -o " + (dir.path / "plain.csv").string());
  REQUIRE(plain.exit_code == 0);
  report::Table modeled = report::read_table((dir.path / "plain.csv").string());
  CHECK(cell(modeled, 0, "throughput_msgs_per_s") == cell(table, 0, "throughput_msgs_per_s"));
  CHECK(!modeled.column("measured_throughput_msgs_per_s"));

  // Each group's wall-clock shares add up to 1 as the simulated ones do; the consumer, which
  // waits or computes, never sends; the producers' sends are the measured messages.
  const report::Table processes = report::read_table((dir.path / "pc.processes.csv").string());
  REQUIRE(processes.rows.size() == 2);
  std::uint64_t measured_sends = 0;
  for (std::size_t row = 0; row < processes.rows.size(); ++row) {
    double shares = 0;
    for (const char* share : {"measured_computing_fraction", "measured_sending_fraction", "measured_receiving_fraction",
                              "measured_sleeping_fraction", "measured_running_fraction"})
      shares += std::stod(cell(processes, row, share));
    CHECK(shares == Approx(1.0).epsilon(1e-6));
    measured_sends += std::stoull(cell(processes, row, "measured_sends"));
  }
  CHECK(cell(processes, 1, "measured_sends") == "0");
  CHECK(std::stod(cell(processes, 1, "measured_computing_fraction")) > 0);
  CHECK(measured_sends == sent);
  CHECK(!report::read_table((dir.path / "plain.processes.csv").string()).column("measured_sends"));
}

TEST_CASE("a scenario on several hosts is modeled only, its measured columns empty with the reason") {
  TempDir dir;
  fs::path out = dir.path / "apart.csv";
  Result r = run_ipcsim("run --measure " + source_dir + "/scenarios/rendezvous.yaml -o " + out.string());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  report::Table table = report::read_table(out.string());
  CHECK(cell(table, 0, "measured_throughput_msgs_per_s").empty());
  CHECK(cell(table, 0, "measured_latency_p50_s").empty());
  CHECK_THAT(cell(table, 0, "measured_note"), Catch::Contains("single-host scenarios only"));
}

TEST_CASE("a measured deadlock exits 3 and names who waits") {
  TempDir dir;
  std::string scenario = dir.write("stuck.yaml", R"(
name: stuck
measure: true
channels:
  box: {addressing: mailbox, capacity: 1}
processes:
  a: {program: [{recv: {from: box}}]}
)");
  Result r = run_ipcsim("run " + scenario + " -o " + (dir.path / "stuck.csv").string());
  INFO(r.output);
  CHECK(r.exit_code == 3);
  report::Table table = report::read_table((dir.path / "stuck.csv").string());
  CHECK(cell(table, 0, "measured_stop_reason") == "deadlock");
  CHECK_THAT(cell(table, 0, "measured_note"), Catch::Contains("a waits to receive from box"));
}

TEST_CASE("calibrate writes a model that loads, names its machine, and a scenario can use") {
  TempDir dir;
  fs::path model = dir.path / "local-here.yaml";
  Result r = run_ipcsim("calibrate --rounds 0.05 -o " + model.string());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  scenario::TimingModel loaded = scenario::load_timing_model(model.string());
  CHECK(loaded.name == "local-here");
  CHECK(loaded.local.send_overhead.count() > 0);
  CHECK(loaded.local.receive_overhead.count() > 0);
  CHECK(loaded.local.copy_bandwidth.bytes_per_s > 0);
  CHECK(loaded.local.wakeup.count() >= 0);
  CHECK_THAT(read(model), Catch::Contains("hardware threads"));
  std::string scenario = dir.write("uses.yaml", "name: uses\nmodel: " + model.string() +
                                                    "\nchannels:\n  q: {addressing: mailbox}\nprocesses:\n"
                                                    "  p: {program: [{send: {to: q, size: 1B}}]}\n"
                                                    "  c: {program: [{recv: {from: q}}]}\n");
  CHECK(run_ipcsim("validate " + scenario).exit_code == 0);
  CHECK(run_ipcsim("calibrate -o " + (dir.path / "model.txt").string()).exit_code == 2);
}
