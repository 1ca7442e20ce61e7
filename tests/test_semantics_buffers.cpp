// Buffering rules: capacity, full policies, send and receive modes (ideal model: no costs,
// so every time below comes from the programs' sleeps alone).
#include "helpers.hpp"

using namespace ipcsim;
using namespace ipcsim::test;

TEST_CASE("a bounded buffer of 4 with a slow consumer blocks the fifth send until the first receive") {
  Run run = run_yaml(R"(
channels:
  jobs: {addressing: mailbox, capacity: 4}
processes:
  producer: {program: [{repeat: 5, do: [{send: {to: jobs, size: 1KiB}}]}]}
  consumer: {program: [{repeat: 5, do: [{sleep: 10ms}, {recv: {from: jobs}}]}]}
)");
  for (int i = 0; i < 4; ++i) CHECK(run.message(i).send_return == at(0.0));
  // The first receive at 10 ms frees a slot; the fifth message takes it then.
  CHECK(run.message(4).accepted == at(0.010));
  CHECK(run.message(4).send_return == at(0.010));
  CHECK(run.message(4).received == at(0.050));
  CHECK(run.summary.channels.at(0).occupancy_max == 4);
  check_conservation(run.summary);
}

TEST_CASE("an unbounded buffer never blocks the sender") {
  Run run = run_yaml(R"(
channels:
  jobs: {addressing: mailbox, capacity: unbounded}
processes:
  producer: {program: [{repeat: 100, do: [{send: {to: jobs, size: 1KiB}}]}]}
  consumer: {program: [{sleep: 1ms}, {repeat: 100, do: [{recv: {from: jobs}}]}]}
)");
  CHECK(run.summary.send_block.max == at(0.0));
  CHECK(run.summary.channels.at(0).occupancy_max == 100);
  CHECK(run.summary.delivered == 100);
}

TEST_CASE("a synchronous send returns only when the receiver has taken the message") {
  Run run = run_yaml(R"(
channels:
  jobs: {addressing: mailbox, capacity: unbounded}
processes:
  producer: {program: [{send: {to: jobs, size: 1B, mode: synchronous}}, {send: {to: jobs, size: 1B, mode: blocking}}]}
  consumer: {program: [{sleep: 5ms}, {recv: {from: jobs}}, {sleep: 5ms}, {recv: {from: jobs}}]}
)");
  // Synchronous: deposited at 0 but returns when taken at 5 ms. Blocking: returns once deposited.
  CHECK(run.message(0).accepted == at(0.0));
  CHECK(run.message(0).send_return == at(0.005));
  CHECK(run.message(1).send_return == at(0.005));
  CHECK(run.message(1).received == at(0.010));
}

TEST_CASE("a nonblocking send on a full bounded mailbox fails with would_block") {
  Run run = run_yaml(R"(
channels:
  jobs: {addressing: mailbox, capacity: 2}
processes:
  producer: {program: [{repeat: 3, do: [{send: {to: jobs, size: 1B, mode: nonblocking}}]}]}
  consumer: {program: [{sleep: 1ms}, {recv: {from: jobs}}, {recv: {from: jobs}}]}
)");
  CHECK(run.message(2).outcome == Outcome::failed);
  CHECK(run.message(2).reason == Reason::would_block);
  CHECK(run.message(2).send_return == at(0.0));
  CHECK(run.summary.count(Reason::would_block) == 1);
  CHECK(run.summary.delivered == 2);
  check_conservation(run.summary);
}

TEST_CASE("a nonblocking send at capacity 0 succeeds only if a receiver is already waiting") {
  Run run = run_yaml(R"(
channels:
  hand: {addressing: mailbox, capacity: 0}
processes:
  producer:
    program:
      - sleep: 1ms
      - send: {to: hand, size: 1B, mode: nonblocking}
      - send: {to: hand, size: 1B, mode: nonblocking}
  consumer: {program: [{recv: {from: hand}}]}
)");
  CHECK(run.message(0).outcome == Outcome::delivered);
  CHECK(run.message(0).received == at(0.001));
  CHECK(run.message(1).reason == Reason::would_block);
}

TEST_CASE("a timed send on a full buffer fails after its timeout and is never delivered") {
  Run run = run_yaml(R"(
channels:
  jobs: {addressing: mailbox, capacity: 1}
processes:
  producer: {program: [{send: {to: jobs, size: 1B}}, {send: {to: jobs, size: 1B, timeout: 3ms}}]}
  consumer:
    program:
      - sleep: 10ms
      - recv: {from: jobs}
      - recv: {from: jobs, timeout: 5ms}
)");
  CHECK(run.message(1).reason == Reason::timeout);
  CHECK(run.message(1).send_return == at(0.003));
  CHECK(run.message(0).received == at(0.010));
  CHECK(run.summary.receives.timed_out == 1);
  CHECK(run.summary.sim_time == at(0.015));
  check_conservation(run.summary);
}

TEST_CASE("a nonblocking receive on an empty channel returns a null message at once") {
  Run run = run_yaml(R"(
channels:
  jobs: {addressing: mailbox}
processes:
  producer: {program: [{sleep: 0.5ms}, {send: {to: jobs, size: 1B}}]}
  consumer: {program: [{recv: {from: jobs, mode: nonblocking}}, {sleep: 1ms}, {recv: {from: jobs, mode: nonblocking}}]}
)");
  CHECK(run.summary.receives.empty == 1);
  CHECK(run.message(0).received == at(0.001));
  CHECK(run.summary.receives.wait_max == at(0.0));
}

TEST_CASE("a timed receive that times out never consumes a message") {
  Run run = run_yaml(R"(
channels:
  jobs: {addressing: mailbox}
processes:
  producer: {program: [{sleep: 3ms}, {send: {to: jobs, size: 1B}}]}
  consumer: {program: [{recv: {from: jobs, timeout: 2ms}}, {recv: {from: jobs}}]}
)");
  CHECK(run.summary.receives.timed_out == 1);
  CHECK(run.message(0).received == at(0.003));
  CHECK(run.summary.delivered == 1);
}

namespace {
Run full_policy_run(const std::string& policy) {
  return run_yaml(R"(
channels:
  jobs: {addressing: mailbox, capacity: 2, full: )" +
                  policy + R"(}
processes:
  producer: {program: [{repeat: 3, do: [{send: {to: jobs, size: 1B}}]}]}
  consumer: {program: [{sleep: 1ms}, {recv: {from: jobs, mode: nonblocking}}, {recv: {from: jobs, mode: nonblocking}}]}
)");
}
}  // namespace

TEST_CASE("full policy drop-oldest evicts the oldest queued message, counted lost") {
  Run run = full_policy_run("drop-oldest");
  CHECK(run.message(0).reason == Reason::dropped_oldest);
  CHECK(run.message(0).outcome == Outcome::lost);
  CHECK(run.message(1).outcome == Outcome::delivered);
  CHECK(run.message(2).outcome == Outcome::delivered);
  check_conservation(run.summary);
}

TEST_CASE("full policy drop-newest discards the new message, counted lost, sender not told") {
  Run run = full_policy_run("drop-newest");
  CHECK(run.message(2).reason == Reason::dropped_newest);
  CHECK(run.message(2).send_return == at(0.0));
  CHECK(run.summary.delivered == 2);
  check_conservation(run.summary);
}

TEST_CASE("full policy fail makes even a blocking send fail with full") {
  Run run = full_policy_run("fail");
  CHECK(run.message(2).reason == Reason::full);
  CHECK(run.message(2).outcome == Outcome::failed);
  CHECK(run.summary.delivered == 2);
}

TEST_CASE("a blocked sender gets the freed slot before later senders (FIFO among senders)") {
  Run run = run_yaml(R"(
channels:
  jobs: {addressing: mailbox, capacity: 1}
processes:
  first: {program: [{send: {to: jobs, size: 1B}}, {send: {to: jobs, size: 1B}}]}
  second: {program: [{sleep: 1ms}, {send: {to: jobs, size: 1B}}]}
  consumer: {program: [{sleep: 5ms}, {repeat: 3, do: [{recv: {from: jobs}}, {sleep: 1ms}]}]}
)");
  // first's second message waits from 0 ms, second's from 1 ms: first's goes in at 5 ms.
  CHECK(run.message(1).accepted == at(0.005));
  CHECK(run.message(2).accepted == at(0.006));
}

TEST_CASE("full policy fail answers a nonblocking send with would_block and a blocking one with full") {
  // Capacity 2, nobody receives: sends 0 and 1 fill it, 2 (blocking) and 3 (nonblocking) find it full.
  Run run = run_yaml(R"(
channels:
  jobs: {addressing: mailbox, capacity: 2, full: fail}
processes:
  producer:
    program:
      - repeat: 3
        do: [{send: {to: jobs, size: 1B, mode: blocking}}]
      - send: {to: jobs, size: 1B, mode: nonblocking}
)");
  CHECK(run.message(2).reason == Reason::full);
  CHECK(run.message(3).reason == Reason::would_block);
  CHECK(run.message(3).outcome == Outcome::failed);
  CHECK(run.summary.count(Reason::would_block) == 1);
  CHECK(run.summary.count(Reason::full) == 1);
}

TEST_CASE("a timed receive that times out leaves the channel: the next message waits for a live receiver") {
  // consumer's timed receive gives up at 2 ms; it sleeps until 5 ms, then receives. The
  // message sent at 3 ms must wait in the buffer for it (5 ms), not go to the receive that
  // gave up (where it would be lost, and the consumer left waiting: a false deadlock).
  Run run = run_yaml(R"(
channels:
  jobs: {addressing: mailbox}
processes:
  producer: {program: [{sleep: 3ms}, {send: {to: jobs, size: 1B}}]}
  consumer: {program: [{recv: {from: jobs, timeout: 2ms}}, {sleep: 3ms}, {recv: {from: jobs}}]}
)");
  CHECK(run.summary.receives.timed_out == 1);
  CHECK(run.message(0).outcome == Outcome::delivered);
  CHECK(run.message(0).accepted == at(0.003));
  CHECK(run.message(0).received == at(0.005));
  CHECK(run.summary.stop == model::StopReason::completed);

  // With a second receiver waiting from 2.5 ms, the message goes to it at once (3 ms).
  Run two = run_yaml(R"(
channels:
  jobs: {addressing: mailbox}
processes:
  producer: {program: [{sleep: 3ms}, {send: {to: jobs, size: 1B}}]}
  quitter: {program: [{recv: {from: jobs, timeout: 2ms}}]}
  live: {program: [{sleep: 2.5ms}, {recv: {from: jobs}}]}
)");
  CHECK(two.receiver_of(0) == "live");
  CHECK(two.message(0).received == at(0.003));
  CHECK(two.summary.stop == model::StopReason::completed);
}

TEST_CASE("a timed send whose transfer has begun completes, even past its timeout") {
  // The buffer is on the consumer's host: the 1000-byte transfer starts at once and takes
  // 1 ms + 1000 B / 1 MB/s = 2 ms, past the 1.5 ms timeout. The send returns at 2 ms,
  // delivered, instead of failing with timeout at 1.5 ms.
  Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  inbox: {addressing: direct-asymmetric, receiver: consumer}
processes:
  producer: {host: alpha, program: [{send: {to: consumer, size: 1000B, timeout: 1.5ms}}]}
  consumer: {host: beta, program: [{recv: {from: any}}]}
)");
  CHECK(run.message(0).outcome == Outcome::delivered);
  CHECK(run.message(0).send_return == at(0.002));
  CHECK(run.message(0).received == at(0.002));
}

TEST_CASE("the occupancy mean is the queue length averaged over time") {
  Run run = run_yaml(R"(
channels:
  jobs: {addressing: mailbox, capacity: unbounded}
processes:
  producer: {program: [{repeat: 2, do: [{send: {to: jobs, size: 1B}}]}]}
  consumer: {program: [{sleep: 10ms}, {recv: {from: jobs}}, {sleep: 30ms}, {recv: {from: jobs}}]}
)");
  // Two queued for 10 ms, then one for 30 ms, over a 40 ms run: (2 x 10 + 1 x 30) / 40 = 1.25
  // (not 1.5, the mean of the lengths the queue took, nor the count of changes).
  CHECK(run.summary.sim_time == at(0.040));
  CHECK(run.summary.channels.at(0).occupancy_mean == Approx(1.25));
  CHECK(run.summary.channels.at(0).occupancy_max == 2);
}
