// Faults (docs/faults.md): hosts and links going down and up, processes killed. Times are
// worked out by hand on the exact model: 1 ms latency, 1 MB/s, so 1000 B take 2 ms.
#include "helpers.hpp"
#include "support/paths.hpp"

using namespace ipcsim;
using namespace ipcsim::test;

namespace {

std::uint64_t sent_by(const Run& run, const std::string& sender) {
  std::uint64_t count = 0;
  for (std::size_t i = 0; i < run.out.message_records.size(); ++i) count += run.sender_of(i) == sender;
  return count;
}

}  // namespace

TEST_CASE("a host going down loses what travels to and from it, at that time, and kills its processes") {
  Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  inbox: {addressing: direct-asymmetric, receiver: server, capacity: 4}
  back: {addressing: direct-asymmetric, receiver: client, capacity: 4}
faults:
  - {at: 1.5ms, host_down: beta}
processes:
  client:
    host: alpha
    program:
      - send: {to: server, size: 1000B}
      - send: {to: server, size: 1000B}
      - recv: {from: any, mode: timeout, timeout: 5ms}
  server:
    host: beta
    program:
      - send: {to: client, size: 1000B, mode: nonblocking}
      - recv: {from: any}
)");
  check_conservation(run.summary);
  // 0: on its way 0..2 ms when beta goes down at 1.5 ms: the blocking send fails then.
  CHECK(run.sender_of(0) == "client");
  CHECK(run.message(0).reason == Reason::host_down);
  CHECK(run.message(0).send_return == at(0.0015));
  // 1: the server's nonblocking send was on its way from beta (0..2 ms): lost at 1.5 ms.
  CHECK(run.sender_of(1) == "server");
  CHECK(run.message(1).reason == Reason::host_down);
  // 2: sent at 1.5 ms to a host that is down: lost at once.
  CHECK(run.message(2).send_call == at(0.0015));
  CHECK(run.message(2).reason == Reason::host_down);
  CHECK(run.message(2).send_return == at(0.0015));
  CHECK(run.summary.count(Reason::host_down) == 3);
  // The client's receive times out at 1.5 + 5 ms; the server died waiting.
  CHECK(run.summary.receives.timed_out == 1);
  CHECK(run.out.result.duration == at(0.0065));
  CHECK(run.out.result.stop_reason == model::StopReason::completed);
}

TEST_CASE("a host going down destroys the mailboxes its processes own: queued lost, blocked and later senders told") {
  Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  service: {addressing: mailbox, owner: server, capacity: 1}
faults:
  - {at: 10ms, host_down: beta}
processes:
  client:
    host: alpha
    program:
      - repeat: 3
        do:
          - send: {to: service, size: 1000B}
  server:
    host: beta
    program:
      - sleep: 20ms
      - recv: {from: service}
)");
  check_conservation(run.summary);
  // 0 is queued at 2 ms and lost with the host at 10 ms.
  CHECK(run.message(0).accepted == at(0.002));
  CHECK(run.message(0).reason == Reason::host_down);
  // 1 waits for room from 2 ms; at 10 ms the mailbox is gone and the sender is told.
  CHECK(run.message(1).send_call == at(0.002));
  CHECK(run.message(1).reason == Reason::mailbox_destroyed);
  CHECK(run.message(1).send_return == at(0.010));
  // 2 finds no mailbox at 10 ms.
  CHECK(run.message(2).send_call == at(0.010));
  CHECK(run.message(2).reason == Reason::mailbox_destroyed);
  CHECK(run.summary.failed == 2);
  CHECK(run.summary.lost == 1);
  // The server's 20 ms sleep was cut short: the run ends at 10 ms.
  CHECK(run.out.result.duration == at(0.010));
}

TEST_CASE("a host coming up restarts the processes its crash killed, from the top, their mailboxes afresh") {
  Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  service: {addressing: mailbox, owner: server, capacity: 4}
  log: {addressing: mailbox, host: alpha}
faults:
  - {at: 3ms, kill: victim}
  - {at: 5ms, host_down: beta}
  - {at: 20ms, host_up: beta}
processes:
  client:
    host: alpha
    program:
      - sleep: 30ms
      - send: {to: service, size: 1000B}
  server:
    host: beta
    program:
      - send: {to: log, size: 0B, mode: nonblocking}
      - recv: {from: service}
  finished:
    host: beta
    program:
      - send: {to: log, size: 0B, mode: nonblocking}
  victim:
    host: beta
    program:
      - send: {to: log, size: 0B, mode: nonblocking}
      - sleep: 100ms
)");
  check_conservation(run.summary);
  // The server announced itself at 0 and again when it started over at 20 ms. A process
  // that had ended, and one killed for good, do not start again.
  CHECK(sent_by(run, "server") == 2);
  CHECK(sent_by(run, "finished") == 1);
  CHECK(sent_by(run, "victim") == 1);
  bool restarted_at_20ms = false;
  for (std::size_t i = 0; i < run.out.message_records.size(); ++i)
    restarted_at_20ms |= run.sender_of(i) == "server" && run.message(i).send_call == at(0.020);
  CHECK(restarted_at_20ms);
  // The client's request reaches the new server's new mailbox: sent at 30 ms, 2 ms on the way.
  CHECK(run.summary.delivered == 1);
  const std::size_t last = run.out.message_records.size() - 1;
  CHECK(run.sender_of(last) == "client");
  CHECK(run.receiver_of(last) == "server");
  CHECK(run.message(last).received == at(0.032));
  CHECK(run.out.result.duration == at(0.032));
}

TEST_CASE("a killed sender's message is lost (killed) and the slot it waited for goes to the next sender") {
  // Capacity 1; the consumer takes one message a millisecond. At 2 ms producer.1's second
  // message waits for room behind producer.0's third; producer.1 is killed at 2.5 ms.
  Run run = run_yaml(R"(
channels:
  box: {addressing: mailbox, capacity: 1}
faults:
  - {at: 2.5ms, kill: producer.1}
  - {at: 4.5ms, kill: consumer}
processes:
  producer:
    count: 2
    program:
      - repeat: 2
        do:
          - send: {to: box, size: 1000B}
  consumer:
    program:
      - repeat: 4
        do:
          - sleep: 1ms
          - recv: {from: box}
)");
  check_conservation(run.summary);
  REQUIRE(run.out.message_records.size() == 4);
  // producer.0: 0 at 0, 1 waits until the 1 ms receive frees the slot.
  CHECK(run.message(1).accepted == at(0.001));
  // producer.1: 2 waits from 0, accepted at 2 ms; 3 waits from 2 ms and dies with it.
  CHECK(run.message(2).accepted == at(0.002));
  CHECK(run.sender_of(3) == "producer.1");
  CHECK(run.message(3).reason == Reason::killed);
  CHECK(run.message(3).send_return == at(0.0025));
  // The consumer receives at 1, 2, 3 ms; killed in its fourth sleep (4..5 ms) at 4.5 ms.
  CHECK(run.summary.delivered == 3);
  CHECK(run.out.result.duration == at(0.0045));
}

TEST_CASE("a sender killed after it was granted a slot, before it used it, passes the slot on") {
  // Capacity 1, four producers with one message each, one receive a millisecond. A woken
  // sender pays 0.5 ms of wake-up before its message goes in: the receive at 2 ms grants
  // producer.2 the slot, and producer.2 is killed at 2.2 ms, still waking up.
  Run run = run_yaml(R"(
model: {local: {wakeup: 0.5ms}}
channels:
  box: {addressing: mailbox, capacity: 1}
faults:
  - {at: 2.2ms, kill: producer.2}
processes:
  producer:
    count: 4
    program:
      - send: {to: box, size: 1000B}
  consumer:
    program:
      - repeat: 3
        do:
          - sleep: 1ms
          - recv: {from: box}
)");
  check_conservation(run.summary);
  REQUIRE(run.out.message_records.size() == 4);
  CHECK(run.message(1).accepted == at(0.0015));  // granted at 1 ms, woken by 1.5 ms
  CHECK(run.message(2).reason == Reason::killed);
  CHECK(run.message(2).send_return == at(0.0022));
  // producer.3 gets the slot at 2.2 ms, is in by 2.7 ms; its message is taken at 3 ms.
  CHECK(run.message(3).accepted == at(0.0027));
  CHECK(run.message(3).received == at(0.003));
}

TEST_CASE("a kill stops a compute and frees its share of the core") {
  // Two 10 ms computes share one core: each runs at half speed. At 4 ms each has done 2 ms
  // of work; alone, the survivor does its last 8 ms by 12 ms.
  Run run = run_yaml(R"(
model: {network: {hosts: {solo: {cores: 1}}}}
channels:
  log: {addressing: mailbox}
faults:
  - {at: 4ms, kill: b}
processes:
  a:
    host: solo
    program:
      - compute: 10ms
      - send: {to: log, size: 0B, mode: nonblocking}
  b:
    host: solo
    program:
      - compute: 10ms
      - send: {to: log, size: 0B, mode: nonblocking}
)");
  check_conservation(run.summary);
  REQUIRE(run.out.message_records.size() == 1);
  CHECK(run.sender_of(0) == "a");
  CHECK(run.message(0).send_call == at(0.012));
}

TEST_CASE("a receiver killed after taking a message, before its receive returned, loses it (killed)") {
  SECTION("while the message travels to the receiver's host") {
    Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  box: {addressing: mailbox, host: alpha}
faults:
  - {at: 1ms, kill: reader}
processes:
  writer:
    host: alpha
    program:
      - send: {to: box, size: 1000B}
  reader:
    host: beta
    program:
      - recv: {from: box}
)");
    check_conservation(run.summary);
    // Queued at 0 on alpha, taken at 0, on its way to beta (0..2 ms) when the reader dies.
    CHECK(run.message(0).accepted == at(0));
    CHECK(run.message(0).reason == Reason::killed);
    CHECK(run.out.result.duration == at(0.001));
  }
  SECTION("while the receiver pays its receive overhead") {
    Run run = run_yaml(R"(
model: {local: {receive_overhead: 2ms}}
channels:
  box: {addressing: mailbox}
faults:
  - {at: 1ms, kill: reader}
processes:
  writer:
    program:
      - send: {to: box, size: 1000B}
  reader:
    program:
      - recv: {from: box}
)");
    check_conservation(run.summary);
    CHECK(run.message(0).reason == Reason::killed);
    CHECK(run.out.result.duration == at(0.001));
  }
}

TEST_CASE("a rendezvous broken mid-transfer: the message is lost and the partner's call fails") {
  SECTION("the receiver carries the message and is killed: the sender's send fails") {
    Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  meet: {addressing: mailbox, capacity: 0, host: gamma}
  log: {addressing: mailbox, host: alpha}
faults:
  - {at: 1ms, kill: b}
processes:
  a:
    host: alpha
    program:
      - send: {to: meet, size: 1000B}
      - send: {to: log, size: 0B, mode: nonblocking}
  b:
    host: beta
    program:
      - sleep: 0.5ms
      - recv: {from: meet}
)");
    check_conservation(run.summary);
    // b takes a's waiting message at 0.5 ms and carries it alpha -> gamma (0.5..2.5 ms).
    CHECK(run.message(0).reason == Reason::killed);
    CHECK(run.message(0).send_return == at(0.001));
    CHECK(run.message(1).send_call == at(0.001));  // a went on at once
  }
  SECTION("the sender carries the message and is killed: the receiver's receive fails") {
    Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  meet: {addressing: mailbox, capacity: 0, host: gamma}
  log: {addressing: mailbox, host: beta}
faults:
  - {at: 1ms, kill: a}
processes:
  a:
    host: alpha
    program:
      - sleep: 0.5ms
      - send: {to: meet, size: 1000B}
  b:
    host: beta
    program:
      - recv: {from: meet}
      - send: {to: log, size: 0B, mode: nonblocking}
)");
    check_conservation(run.summary);
    CHECK(run.message(0).reason == Reason::killed);
    CHECK(run.summary.receives.failed == 1);
    CHECK(run.message(1).send_call == at(0.001));  // b's receive returned empty at 1 ms
  }
  SECTION("the sender carries the message to a receiver killed meanwhile: lost on arrival, the send fails") {
    Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  meet: {addressing: mailbox, capacity: 0, host: gamma}
faults:
  - {at: 1ms, kill: b}
processes:
  a:
    host: alpha
    program:
      - sleep: 0.5ms
      - send: {to: meet, size: 1000B}
  b:
    host: beta
    program:
      - recv: {from: meet}
)");
    check_conservation(run.summary);
    // a picks the waiting b at 0.5 ms and carries the message to gamma (0.5..2.5 ms).
    CHECK(run.message(0).reason == Reason::killed);
    CHECK(run.message(0).send_return == at(0.0025));
  }
  SECTION("a link cut under the transfer: both calls fail") {
    Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  meet: {addressing: mailbox, capacity: 0, host: gamma}
faults:
  - {at: 1.5ms, link_down: alpha-gamma}
processes:
  a:
    host: alpha
    program:
      - send: {to: meet, size: 1000B}
  b:
    host: beta
    program:
      - recv: {from: meet}
      - recv: {from: meet, mode: timeout, timeout: 5ms}
)");
    check_conservation(run.summary);
    CHECK(run.message(0).reason == Reason::link_down);
    CHECK(run.message(0).send_return == at(0.0015));
    CHECK(run.summary.receives.failed == 1);
    CHECK(run.summary.receives.timed_out == 1);  // the second receive: 1.5 + 5 ms
    CHECK(run.out.result.duration == at(0.0065));
  }
}

TEST_CASE("a link going down loses what crosses it, sends while it is down are lost, and it comes back") {
  SECTION("full mesh: the link alpha-beta") {
    // A nonblocking send every 1.5 ms; the link is down from 3 to 8 ms.
    Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  pipe: {addressing: direct-asymmetric, receiver: sink, capacity: 2}
faults:
  - {at: 3ms, link_down: alpha-beta}
  - {at: 8ms, link_up: alpha-beta}
processes:
  source:
    host: alpha
    program:
      - repeat: 7
        do:
          - send: {to: sink, size: 1000B, mode: nonblocking}
          - sleep: 1.5ms
  sink:
    host: beta
    program:
      - repeat: 2
        do:
          - recv: {from: any}
)");
    check_conservation(run.summary);
    REQUIRE(run.out.message_records.size() == 7);
    CHECK(run.message(0).received == at(0.002));
    // 1 left at 1.5 ms and would have arrived at 3.5 ms; 2..5 (3 to 7.5 ms) found the link down.
    for (std::size_t i = 1; i <= 5; ++i) {
      INFO("message " << i);
      CHECK(run.message(i).reason == Reason::link_down);
    }
    // 6 leaves at 9 ms, the link up again: 2 ms on the way.
    CHECK(run.message(6).send_call == at(0.009));
    CHECK(run.message(6).received == at(0.011));
    CHECK(run.summary.count(Reason::link_down) == 5);
  }
  SECTION("star: a host's link to the switch") {
    // The star's route crosses two links: 2 ms latency + 1000 B at 1 MB/s = 3 ms.
    Run run = run_yaml(R"(
model: {network: {model: exact, topology: star, link: {latency: 1ms, bandwidth: 1MB/s}}}
channels:
  pipe: {addressing: direct-asymmetric, receiver: sink}
faults:
  - {at: 0.5ms, link_down: beta-link}
  - {at: 5ms, link_up: beta-link}
processes:
  source:
    host: alpha
    program:
      - send: {to: sink, size: 1000B}
      - sleep: 5ms
      - send: {to: sink, size: 1000B}
  sink:
    host: beta
    program:
      - recv: {from: any}
)");
    check_conservation(run.summary);
    CHECK(run.message(0).reason == Reason::link_down);
    CHECK(run.message(0).send_return == at(0.0005));
    CHECK(run.message(1).send_call == at(0.0055));
    CHECK(run.message(1).received == at(0.0085));
  }
}

TEST_CASE("faults after the last process ended do not stretch the run, but a pending restart does") {
  SECTION("nothing left to restart: the run ends with its processes") {
    Run run = run_yaml(R"(
channels:
  box: {addressing: mailbox}
faults:
  - {at: 10ms, host_down: alpha}
processes:
  p: {host: alpha, program: [{sleep: 1ms}, {send: {to: box, size: 1B}}]}
)");
    CHECK(run.out.result.duration == at(0.001));
  }
  SECTION("a process waits for its host to come up, then runs its program again") {
    Run run = run_yaml(R"(
channels:
  box: {addressing: mailbox}
faults:
  - {at: 0.5ms, host_down: alpha}
  - {at: 10ms, host_up: alpha}
processes:
  p: {host: alpha, program: [{sleep: 1ms}, {send: {to: box, size: 1B}}]}
)");
    REQUIRE(run.out.message_records.size() == 1);
    CHECK(run.message(0).send_call == at(0.011));
    CHECK(run.out.result.duration == at(0.011));
  }
}

TEST_CASE("a process about to restart is not mistaken for a deadlock") {
  // The client waits, without a timeout, for a message the server sends 1 ms after it
  // starts. The server's host is down from 0.5 to 5 ms: it starts over at 5 ms and sends
  // at 6 ms. At 5 ms the client alone is live and blocked, and no fault is left to come.
  Run run = run_yaml(R"(
channels:
  inbox: {addressing: direct-asymmetric, receiver: client}
faults:
  - {at: 0.5ms, host_down: beta}
  - {at: 5ms, host_up: beta}
processes:
  client: {host: alpha, program: [{recv: {from: any}}]}
  server: {host: beta, program: [{sleep: 1ms}, {send: {to: client, size: 1B}}]}
)");
  CHECK(run.out.result.stop_reason == model::StopReason::completed);
  REQUIRE(run.out.message_records.size() == 1);
  CHECK(run.message(0).received == at(0.006));
}

TEST_CASE("faults are deterministic: same scenario and seed, same records") {
  const std::string text = one_ms_one_mbps + R"(
seed: 5
stop: {time: 60ms}
channels:
  service: {addressing: mailbox, owner: server, capacity: 2}
faults:
  - {at: 7ms, link_down: alpha-beta}
  - {at: 11ms, link_up: alpha-beta}
  - {at: 19ms, host_down: beta}
  - {at: 31ms, host_up: beta}
  - {at: 40ms, kill: client.1}
processes:
  client:
    host: alpha
    count: 3
    program:
      - repeat: forever
        do:
          - send: {to: service, size: exp(500B), mode: synchronous}
          - sleep: exp(1ms)
  server:
    host: beta
    program:
      - repeat: forever
        do:
          - recv: {from: service}
          - compute: exp(0.3ms)
)";
  Run first = run_yaml(text);
  Run second = run_yaml(text);
  check_conservation(first.summary);
  REQUIRE(first.out.message_records.size() == second.out.message_records.size());
  for (std::size_t i = 0; i < first.out.message_records.size(); ++i) {
    INFO("message " << i);
    CHECK(first.message(i).reason == second.message(i).reason);
    CHECK(first.message(i).send_call == second.message(i).send_call);
    CHECK(first.message(i).received == second.message(i).received);
  }
  // Every fault left its mark.
  CHECK(first.summary.count(Reason::link_down) > 0);
  CHECK(first.summary.count(Reason::host_down) + first.summary.count(Reason::mailbox_destroyed) > 0);
  CHECK(first.summary.count(Reason::killed) <= 1);
  CHECK(first.summary.delivered > 0);
}

TEST_CASE("the shipped fault scenarios show what their comments say") {
  auto shipped = [](const std::string& name) {
    return run_scenario(scenario::load_scenario(source_dir + "/scenarios/" + name + ".yaml"));
  };
  SECTION("fault-server-crash: requests fail while the server is down, and succeed again after") {
    Run run = shipped("fault-server-crash");
    check_conservation(run.summary);
    CHECK(run.summary.count(Reason::mailbox_destroyed) > 0);
    CHECK(run.summary.count(Reason::host_down) > 0);
    bool failed_while_down = false, delivered_before = false, delivered_after = false;
    for (const model::MessageRecord& m : run.out.message_records) {
      failed_while_down |= m.reason == Reason::mailbox_destroyed && m.send_call >= 1.0 && m.send_call < 1.5;
      delivered_before |= m.outcome == Outcome::delivered && m.received < 1.0;
      delivered_after |= m.outcome == Outcome::delivered && m.send_call > 1.5;
      // Nothing reaches beta or leaves it while it is down.
      CHECK_FALSE((m.outcome == Outcome::delivered && m.received > 1.0 && m.received < 1.5));
    }
    CHECK(failed_while_down);
    CHECK(delivered_before);
    CHECK(delivered_after);
  }
  SECTION("fault-link-flap: the stream to beta loses what the cut link carries, the one to gamma nothing") {
    Run run = shipped("fault-link-flap");
    check_conservation(run.summary);
    // One message to beta a millisecond; the link is down 100 + 50 ms: about 150 lost.
    CHECK(run.summary.count(Reason::link_down) >= 145);
    CHECK(run.summary.count(Reason::link_down) <= 155);
    for (std::size_t i = 0; i < run.out.message_records.size(); ++i)
      if (run.model.channels[run.message(i).channel].name == "to-gamma")
        CHECK(run.message(i).outcome == Outcome::delivered);
  }
  SECTION("fault-worker-kill: one job lost with the worker, all others done by the two left") {
    Run run = shipped("fault-worker-kill");
    check_conservation(run.summary);
    CHECK(run.summary.count(Reason::killed) == 1);
    CHECK(run.summary.delivered == 1999);
    for (std::size_t i = 0; i < run.out.message_records.size(); ++i)
      if (run.message(i).received > 0.41) CHECK(run.receiver_of(i) != "worker.1");
  }
}

TEST_CASE("a loop that takes no time (sends to a host that is down) stops as stalled instead of hanging") {
  // Until beta goes down at 1 ms, each synchronous send waits out the server's 0.1 ms
  // compute; after, every send fails at once and time stands still.
  scenario::Scenario scenario = scenario::parse_scenario(R"(
stop: {time: 1s}
channels:
  inbox: {addressing: direct-asymmetric, receiver: server}
faults:
  - {at: 1ms, host_down: beta}
processes:
  client:
    host: alpha
    program:
      - repeat: forever
        do:
          - send: {to: server, size: 1B, mode: synchronous}
  server:
    host: beta
    program:
      - repeat: forever
        do:
          - recv: {from: any}
          - compute: 0.1ms
)",
                                                         "stall.yaml");
  model::Model model = model::build_model(scenario);
  sim::Options options;
  options.max_steps_at_one_instant = 1'000'000;
  model::SimulatedRun out = sim::simulate_isolated(model, options);
  report::Summary summary = report::summarize(model, out);
  check_conservation(summary);
  CHECK(out.result.stop_reason == model::StopReason::stalled);
  CHECK(out.result.duration == at(0.001));
  CHECK_THAT(out.result.deadlock, Catch::Contains("stalled at t=0.001s"));
  CHECK(summary.count(Reason::host_down) > 400'000);  // a step for the loop, one for the send
}
