// ipcsim run --measure and ipcsim calibrate, through the binary.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <map>

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

namespace {

// An events CSV's rows by process, as (kind, channel, message, detail): what each did, in order.
std::map<std::string, std::vector<std::string>> steps_by_process(const report::Table& events, bool simulated) {
  std::map<std::string, std::vector<std::string>> steps;
  for (const auto& row : events.rows) {
    // The simulation also notes a receiver's wait and a waiter woken: the threads wait inside the queue.
    if (simulated && (row[2] == "woken" || (row[2] == "blocked" && row[5] == "message"))) continue;
    steps[row[1]].push_back(fmt::format("{} {} {} {}", row[2], row[3], row[4], row[5]));
  }
  return steps;
}

}  // namespace

TEST_CASE("run --measured-events: the replay's events are the simulation's, in wall-clock time") {
  TempDir dir;
  // tests/timeline/hand.yaml with margins that a thread's wake-up (tens of microseconds, more
  // on a loaded machine) cannot upset: p's second send blocks until q takes the first at 20 ms;
  // 100 ms later the slot is free for the third and full for the fourth (would_block); q's
  // timed receive times out at 220 ms with the third still queued (lost at the end).
  const std::string scenario = dir.write("margins.yaml", R"(
name: margins
channels:
  box: {addressing: mailbox, owner: os, capacity: 1}
  other: {addressing: mailbox, owner: os, capacity: 1}
processes:
  p:
    program:
      - send: {to: box, size: 1000B}
      - send: {to: box, size: 2000B}
      - sleep: 100ms
      - send: {to: box, size: 3000B, mode: nonblocking}
      - send: {to: box, size: 4000B, mode: nonblocking}
  q:
    program:
      - sleep: 20ms
      - recv: {from: box}
      - recv: {from: box}
      - recv: {from: other, mode: timeout, timeout: 200ms}
)");
  const std::string simulated = (dir.path / "sim.events.csv").string(), measured = (dir.path / "real.csv").string();
  Result r = run_ipcsim("run -q --measure " + scenario + " -o " + (dir.path / "hand.csv").string() + " --events " +
                        simulated + " --measured-events " + measured);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const report::Table real = report::read_table(measured), sim = report::read_table(simulated);
  // Each process does the same steps with the same messages and outcomes: only the times differ.
  CHECK(steps_by_process(real, false) == steps_by_process(sim, true));
  // Wall-clock times, in order, within the replay: q sleeps 20 ms before its first receive,
  // and p's blocked send is taken only once q receives.
  const report::Table summary = report::read_table((dir.path / "hand.csv").string());
  const double replay_time = std::stod(cell(summary, 0, "measured_time_s"));
  double last = 0, sleep_start = 0, sleep_end = 0, first_receive_call = 0, second_accepted = 0;
  for (std::size_t i = 0; i < real.rows.size(); ++i) {
    const double time = std::stod(real.rows[i][0]);
    CHECK(time >= last);
    CHECK(time <= replay_time);
    last = time;
    const std::string& kind = real.rows[i][2];
    const bool of_q = real.rows[i][1] == "q";
    if (of_q && kind == "sleep_start") sleep_start = time;
    if (of_q && kind == "sleep_end") sleep_end = time;
    if (kind == "receive_call" && first_receive_call == 0) first_receive_call = time;
    if (kind == "accepted" && real.rows[i][4] == "1") second_accepted = time;
  }
  CHECK(sleep_end - sleep_start >= 0.020);
  CHECK(second_accepted >= first_receive_call);
  CHECK(first_receive_call >= sleep_end);
}

TEST_CASE("run --measured-events: every message of a busy replay ends once, and the counts are the measured columns") {
  TempDir dir;
  const std::string scenario = dir.write("fan.yaml", R"(
name: fan
stop: {messages: 2000}
channels:
  jobs: {addressing: mailbox, capacity: 4, full: drop-newest}
processes:
  producer: {count: 3, program: [{repeat: forever, do: [{send: {to: jobs, size: 64B}}, {sleep: 2us}]}]}
  consumer: {program: [{repeat: forever, do: [{recv: {from: jobs}}, {compute: 10us}]}]}
)");
  const std::string events = (dir.path / "fan.events.csv").string();
  Result r = run_ipcsim("run -q --measure " + scenario + " -o " + (dir.path / "fan.csv").string() +
                        " --measured-events " + events);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const report::Table summary = report::read_table((dir.path / "fan.csv").string());
  const report::Table table = report::read_table(events);
  const std::uint64_t sent = count_cell(summary, "measured_messages_sent");
  std::vector<int> calls(sent, 0), returns(sent, 0), ends(sent, 0);
  std::uint64_t delivered = 0, failed = 0, lost = 0;
  for (const auto& row : table.rows) {
    if (row[4].empty()) continue;
    const std::uint64_t message = std::stoull(row[4]);
    REQUIRE(message < sent);
    const std::string& kind = row[2];
    if (kind == "send_call") ++calls[message];
    if (kind == "send_return") ++returns[message];
    const bool received = kind == "receive_return" && row[5] == "message";
    if (received || kind == "failed" || kind == "lost") ++ends[message];
    delivered += received;
    failed += kind == "failed";
    lost += kind == "lost";
  }
  CHECK(std::count(calls.begin(), calls.end(), 1) == static_cast<std::ptrdiff_t>(sent));
  CHECK(std::count(returns.begin(), returns.end(), 1) == static_cast<std::ptrdiff_t>(sent));
  CHECK(std::count(ends.begin(), ends.end(), 1) == static_cast<std::ptrdiff_t>(sent));
  CHECK(delivered == count_cell(summary, "measured_messages_delivered"));
  CHECK(failed == count_cell(summary, "measured_messages_failed"));
  CHECK(lost == count_cell(summary, "measured_messages_lost"));
  CHECK(lost > 0);  // drop-newest at capacity 4 with three producers
}

TEST_CASE("run --measured-events without a replay to record exits 2 and writes nothing") {
  TempDir dir;
  const std::string events = (dir.path / "events.csv").string(), summary = (dir.path / "out.csv").string();
  struct Case {
    std::string name, arguments, says;
  };
  const std::vector<Case> cases{
      {"no --measure", "tests/timeline/hand.yaml", "--measured-events records the replay on real threads: expected"},
      {"on several hosts", "scenarios/rendezvous.yaml --measure",
       "ipcsim: error: --measured-events: the run cannot be replayed on threads: processes and channels on 2 hosts"},
      {"a sweep", "scenarios/capacity-sweep.yaml --measure", "--measured-events records one run, and the sweep has"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Result r =
        run_ipcsim("run -q " + source_dir + "/" + c.arguments + " -o " + summary + " --measured-events " + events);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains(c.says));
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
    CHECK(!fs::exists(events));
    CHECK(!fs::exists(summary));
  }
}
