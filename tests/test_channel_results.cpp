// What a run reports per declared channel, and which sends count as blocked: each worked by
// hand on the ideal model (no local costs, instant same-host hand-offs) or an exact link.
#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "measure/replay.hpp"
#include "report/csv.hpp"
#include "support/paths.hpp"

using namespace ipcsim;
using namespace ipcsim::test;

namespace {

// A producer held back by a one-slot buffer beside an unhindered logger: the pooled figures
// differ from either channel's.
const char* const two_channels = R"(
channels:
  jobs: {addressing: mailbox, capacity: 1}
  log: {addressing: mailbox, capacity: unbounded}
processes:
  producer: {program: [{repeat: 4, do: [{send: {to: jobs, size: 100B}}]}]}
  consumer: {program: [{repeat: 4, do: [{sleep: 10ms}, {recv: {from: jobs}}]}]}
  logger: {program: [{repeat: 2, do: [{send: {to: log, size: 10B}}]}]}
  reader: {program: [{repeat: 2, do: [{recv: {from: log}}]}]}
)";

}  // namespace

TEST_CASE("per channel: a producer blocked by a full buffer, apart from a channel that never fills") {
  Run run = run_yaml(two_channels);
  // jobs: m1 goes into the free slot at 0; m2 waits for it until the consumer takes m1 at 10 ms,
  // m3 (called at 10) until 20, m4 (called at 20) until 30; received at 10, 20, 30, 40 ms.
  REQUIRE(run.summary.channels.size() == 2);
  const report::ChannelSummary& jobs = run.summary.channels[0];
  CHECK(jobs.name == "jobs");
  CHECK(jobs.sent == 4);
  CHECK(jobs.delivered == 4);
  CHECK(jobs.sends_blocked == 3);
  CHECK(jobs.blocked_fraction() == Approx(0.75));
  CHECK(jobs.send_block_total == at(0.030));  // 0 + 10 + 10 + 10 ms
  CHECK(jobs.latency.mean == at(0.0175));     // (10 + 20 + 20 + 20) / 4 ms
  CHECK(jobs.latency.max == at(0.020));
  CHECK(jobs.receives.calls == 4);
  CHECK(jobs.occupancy_mean == Approx(1.0));  // one message in the slot from 0 to 40 ms
  CHECK(jobs.occupancy_max == 1);
  // log: both messages go at 0 into an unbounded buffer and are read at once.
  const report::ChannelSummary& log = run.summary.channels[1];
  CHECK(log.name == "log");
  CHECK(log.sent == 2);
  CHECK(log.sends_blocked == 0);
  CHECK(log.latency.max == at(0));
  CHECK(log.delivered_bytes == 20);
  // The run: 6 messages over 40 ms; pooled, 3 of 6 sends blocked and the latency mean mixes both.
  CHECK(run.summary.sim_time == at(0.040));
  CHECK(run.summary.sent == 6);
  CHECK(run.summary.sends_blocked == 3);
  CHECK(run.summary.blocked_fraction() == Approx(0.5));
  CHECK(run.summary.latency.mean == at(0.070 / 6));
  // Each blocked send is marked in the trace.
  std::size_t marked = 0;
  for (const model::MessageRecord& m : run.out.message_records) marked += m.send_blocked;
  CHECK(marked == 3);
}

TEST_CASE("per channel: the channels CSV has a row per channel with its own throughput") {
  Run run = run_yaml(two_channels);
  const std::vector<report::Columns> rows = report::channel_columns(run.summary);
  REQUIRE(rows.size() == 2);
  auto value = [&](std::size_t row, const std::string& column) {
    for (const report::Column& c : rows[row])
      if (c.name == column) return c.value;
    FAIL("no column " << column);
    return std::string{};
  };
  CHECK(value(0, "channel") == "jobs");
  CHECK(value(0, "throughput_msgs_per_s") == "100");  // 4 messages in 40 ms, not the pooled 150/s
  CHECK(value(0, "throughput_bytes_per_s") == "10000");
  CHECK(value(0, "sends_blocked") == "3");
  CHECK(value(0, "sends_blocked_fraction") == "0.75");
  CHECK(value(1, "channel") == "log");
  CHECK(value(1, "throughput_msgs_per_s") == "50");
  CHECK(value(1, "sends_blocked_fraction") == "0");
  // The same leading columns as the summary's row.
  const report::Columns summary = report::summary_columns(run.summary);
  for (std::size_t k = 0; k < 5; ++k) {
    CHECK(rows[0][k].name == summary[k].name);
    CHECK(rows[0][k].value == summary[k].value);
  }
}

TEST_CASE("blocked sends: carrying a message across a link is not blocking") {
  Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  inbox: {addressing: mailbox, host: beta}
processes:
  producer: {host: alpha, program: [{send: {to: inbox, size: 1000B}}]}
  consumer: {host: beta, program: [{recv: {from: inbox}}]}
)");
  // The send returns when the message reaches the buffer: 1 ms + 1000 B / 1 MB/s = 2 ms in the
  // call, and no other process held it up.
  CHECK(run.message(0).send_return == at(0.002));
  CHECK(run.summary.send_block_total == at(0.002));
  CHECK(run.summary.sends_blocked == 0);
}

TEST_CASE("blocked sends: a synchronous sender waits for a receiver when its message sits in the buffer") {
  Run run = run_yaml(R"(
channels:
  jobs: {addressing: mailbox, capacity: 2}
processes:
  producer: {program: [{repeat: 2, do: [{send: {to: jobs, size: 1B, mode: synchronous}}]}]}
  consumer: {program: [{sleep: 5ms}, {recv: {from: jobs}}, {recv: {from: jobs}}]}
)");
  // m1 sits in the buffer from 0 until the consumer takes it at 5 ms: its sender waited. m2,
  // sent at 5 ms, is taken at once by the consumer's next receive: no wait.
  CHECK(run.message(0).send_return == at(0.005));
  CHECK(run.message(0).send_blocked);
  CHECK(run.message(1).send_return == at(0.005));
  CHECK_FALSE(run.message(1).send_blocked);
  CHECK(run.summary.sends_blocked == 1);
}

TEST_CASE("per channel: the measured replay counts each channel's messages as the simulation does") {
  const scenario::Scenario scenario = scenario::parse_scenario(two_channels, "test.yaml");
  const model::Model model = model::build_model(scenario);
  measure::Options options;
  options.max_wall_seconds = 60;
  const model::MeasuredRun measured = measure::replay(model, options);
  check_channel_totals(measured.result);
  REQUIRE(measured.result.channels.size() == 2);
  CHECK(measured.result.channels[0].messages.sent == 4);
  CHECK(measured.result.channels[0].messages.count(Reason::none) == 4);
  CHECK(measured.result.channels[0].receives.calls == 4);
  CHECK(measured.result.channels[1].messages.sent == 2);
  CHECK(measured.result.channels[1].messages.count(Reason::none) == 2);
  CHECK(measured.result.channels[1].receives.calls == 2);
}

TEST_CASE("per process: each group's time computing, in send, in receive, sleeping and dead") {
  Run run = run_yaml(R"(
channels:
  jobs: {addressing: mailbox, capacity: 0}
processes:
  worker: {program: [{compute: 10ms}, {send: {to: jobs, size: 1B}}, {sleep: 5ms}]}
  boss: {program: [{sleep: 30ms}, {recv: {from: jobs}}]}
)");
  // worker: computes 0-10 ms, waits in its rendezvous send until the boss receives at 30 ms,
  // sleeps 30-35 ms, and ends the run. boss: sleeps 0-30 ms, receives at once, ends at 30 ms.
  REQUIRE(run.summary.sim_time == at(0.035));
  REQUIRE(run.summary.processes.size() == 2);
  const report::ProcessSummary& worker = run.summary.processes[0];
  CHECK(worker.name == "worker");
  CHECK(worker.instances == 1);
  CHECK(worker.computing == Approx(10.0 / 35));
  CHECK(worker.sending == Approx(20.0 / 35));
  CHECK(worker.sleeping == Approx(5.0 / 35));
  CHECK(worker.receiving == 0);
  CHECK(worker.dead == 0);
  CHECK(worker.running == 0);
  CHECK(worker.utilisation == Approx(10.0 / 35));
  CHECK(worker.sends == 1);
  const report::ProcessSummary& boss = run.summary.processes[1];
  CHECK(boss.sleeping == Approx(30.0 / 35));
  CHECK(boss.receiving == 0);
  CHECK(boss.dead == Approx(5.0 / 35));  // ended at 30 ms of 35
  CHECK(boss.utilisation == 0);
  CHECK(boss.receives == 1);
  CHECK(boss.messages_received == 1);
}

TEST_CASE("per process: a process killed with its host is dead until the host comes back") {
  Run run = run_yaml(one_ms_one_mbps + R"(
faults:
  - {at: 10ms, host_down: beta}
  - {at: 20ms, host_up: beta}
processes:
  sleeper: {host: beta, program: [{sleep: 30ms}]}
  other: {host: alpha, program: [{sleep: 1ms}]}
)");
  // Killed in its sleep at 10 ms, started again at 20 ms, slept 30 ms more: the run ends at
  // 50 ms; 10 + 30 ms asleep, 10 ms dead.
  REQUIRE(run.summary.sim_time == at(0.050));
  const report::ProcessSummary& sleeper = run.summary.processes.at(0);
  CHECK(sleeper.sleeping == Approx(40.0 / 50));
  CHECK(sleeper.dead == Approx(10.0 / 50));
  CHECK(sleeper.running == 0);
  const report::ProcessSummary& other = run.summary.processes.at(1);
  CHECK(other.sleeping == Approx(1.0 / 50));
  CHECK(other.dead == Approx(49.0 / 50));
}

TEST_CASE("per process: the processes CSV has a row per group, whose shares add up to 1") {
  Run run = run_yaml(two_channels);
  const std::vector<report::Columns> rows = report::process_columns(run.summary);
  REQUIRE(rows.size() == 4);
  for (const report::Columns& row : rows) {
    double shares = 0;
    for (const report::Column& c : row)
      if (c.name.ends_with("_fraction")) shares += std::stod(c.value);
    CHECK(shares == Approx(1.0));
  }
}

TEST_CASE("stop.messages with a channel counts only that channel's deliveries") {
  // A source sends every 10 ms; a stage passes each message on at once: deliveries on `a` and
  // on `b` at 10, 20, 30 ms. Counting both, the third comes at 20 ms; counting `b`, at 30 ms.
  const std::string pipeline = R"(
channels:
  a: {addressing: mailbox}
  b: {addressing: mailbox}
processes:
  source: {program: [{repeat: 10, do: [{sleep: 10ms}, {send: {to: a, size: 1B}}]}]}
  stage: {program: [{repeat: 10, do: [{recv: {from: a}}, {send: {to: b, size: 1B}}]}]}
  sink: {program: [{repeat: 10, do: [{recv: {from: b}}]}]}
)";
  Run pooled = run_yaml("stop: {messages: 3}\n" + pipeline);
  CHECK(pooled.summary.stop == model::StopReason::messages);
  CHECK(pooled.summary.sim_time == at(0.020));
  Run on_b = run_yaml("stop: {messages: 3, channel: b}\n" + pipeline);
  CHECK(on_b.summary.stop == model::StopReason::messages);
  CHECK(on_b.summary.sim_time == at(0.030));
  CHECK(on_b.summary.channels.at(1).delivered == 3);
}

TEST_CASE("scenarios/pipeline.yaml: each channel carries the item rate, end-to-end latency is the stages' work") {
  Run run = run_scenario(scenario::load_scenario(source_dir + "/scenarios/pipeline.yaml"));
  // Item k leaves the source at k ms, is parsed by k + 0.3 ms and rendered by k + 0.8 ms (the
  // stages never queue: each is done before the next item comes). The 1000th item comes out of
  // `out` at 1000.8 ms and stops the run.
  REQUIRE(run.summary.stop == model::StopReason::messages);
  REQUIRE(run.summary.sim_time == at(1.0008));
  for (const report::ChannelSummary& channel : run.summary.channels) {
    INFO(channel.name);
    CHECK(channel.delivered == 1000);
    CHECK(static_cast<double>(channel.delivered) / run.summary.sim_time == Approx(1000 / 1.0008));
  }
  CHECK(run.summary.throughput() == Approx(3000 / 1.0008));  // pooled: every item counted three times
  CHECK(run.summary.channels[0].end_to_end.count == 0);      // raw: nothing forwarded on it
  CHECK(run.summary.channels[1].end_to_end.mean == at(0.0003));
  CHECK(run.summary.channels[1].end_to_end.max == at(0.0003));
  CHECK(run.summary.channels[2].end_to_end.mean == at(0.0008));  // 0.3 + 0.5 ms of work
  CHECK(run.summary.channels[2].end_to_end.count == 1000);
  CHECK(run.summary.channels[2].latency.max == at(0));  // each hop alone takes no time
  // The run's end to end is the whole chain's, counted once per item where it comes out:
  // pooled with the 0.3 ms of the partial chain to `parse`'s output it would be 0.55 ms.
  CHECK(run.summary.end_to_end.count == 1000);
  CHECK(run.summary.end_to_end.mean == at(0.0008));
  CHECK(run.summary.end_to_end.p50 == at(0.0008));
  // The 1000th delivery, which stopped the run, is the sink's 1000th receipt.
  CHECK(run.summary.processes[3].name == "sink");
  CHECK(run.summary.processes[3].messages_received == 1000);
}

TEST_CASE("sends_blocked_fraction is the share of all send calls that blocked, returned or not") {
  // Four senders of one message into a one-slot mailbox nobody reads: the first fills the
  // slot and returns at once, the other three wait for room until the deadlock at 1 s.
  // 3 of 4 send calls blocked; over the one send that returned it would be 300%.
  Run four = run_yaml(R"(
channels:
  box: {addressing: mailbox, capacity: 1}
processes:
  sender: {count: 4, program: [{send: {to: box, size: 1B}}]}
  idle: {program: [{sleep: 1s}]}
)");
  REQUIRE(four.summary.stop == model::StopReason::deadlock);
  CHECK(four.summary.send_block.count == 1);
  CHECK(four.summary.sends_blocked == 3);
  CHECK(four.summary.blocked_fraction() == Approx(0.75));
  CHECK(four.summary.channels[0].blocked_fraction() == Approx(0.75));
  // Two messages each way on a symmetric link of capacity 1: each side's first send takes the
  // slot and returns, its second waits for room while the other side does the same. The two
  // that returned never blocked: 2 of 4 (over the returned ones, 100%).
  Run exchange = run_yaml(R"(
channels:
  link: {addressing: direct-symmetric, between: [a, b], capacity: 1}
processes:
  a: {program: [{repeat: 2, do: [{send: {to: b, size: 1B}}]}, {repeat: 2, do: [{recv: {from: b}}]}]}
  b: {program: [{repeat: 2, do: [{send: {to: a, size: 1B}}]}, {repeat: 2, do: [{recv: {from: a}}]}]}
)");
  REQUIRE(exchange.summary.stop == model::StopReason::deadlock);
  CHECK(exchange.summary.send_block.count == 2);
  CHECK(exchange.summary.sends_blocked == 2);
  CHECK(exchange.summary.blocked_fraction() == Approx(0.5));
}

TEST_CASE("scenarios/client-server.yaml: the response time of a closed loop is clients x service time") {
  Run run = run_scenario(scenario::load_scenario(source_dir + "/scenarios/client-server.yaml"));
  // Round one: the server answers the three requests of t = 0 at 2, 4 and 6 ms. From then on
  // each request queues behind the other two clients': answered 6 ms after it was sent, 4 ms
  // of that waiting in the mailbox. 30 requests: (2 + 4 + 6 + 27 x 6) / 30 = 5.8 ms.
  REQUIRE(run.summary.sim_time == at(0.060));
  const report::ChannelSummary& service = run.summary.channels.at(0);
  const report::ChannelSummary& answers = run.summary.channels.at(1);
  CHECK(service.response.count == 30);
  CHECK(service.response.mean == at(0.0058));
  CHECK(service.response.max == at(0.006));
  CHECK(service.latency.mean == at(0.0038));  // (0 + 2 + 4 + 27 x 4) / 30 ms
  CHECK(answers.response.count == 0);         // replies are answers, not requests
  CHECK(answers.latency.max == at(0));
  CHECK(run.summary.response.mean == at(0.0058));
}
