// Addressing rules: symmetric and asymmetric direct channels, mailboxes, their owners,
// receiver policies, deletion and deadlock.
#include <map>

#include "helpers.hpp"

using namespace ipcsim;
using namespace ipcsim::test;

TEST_CASE("a symmetric receive from Q never matches a message from R") {
  Run run = run_yaml(R"(
channels:
  from_a: {addressing: direct-symmetric, between: [a, server]}
  from_b: {addressing: direct-symmetric, between: [b, server]}
processes:
  a: {program: [{send: {to: server, size: 1B}}]}
  b: {program: [{sleep: 5ms}, {send: {to: server, size: 1B}}]}
  server: {program: [{recv: {from: b}}, {recv: {from: a}}]}
)");
  // a's message waits from 0 ms; the server's first receive names b and takes b's at 5 ms.
  CHECK(run.message(1).received == at(0.005));
  CHECK(run.message(0).received == at(0.005));
  CHECK(run.summary.receives.calls == 2);
}

TEST_CASE("a symmetric channel between two groups of equal size pairs a.i with b.i") {
  Run run = run_yaml(R"(
channels:
  link: {addressing: direct-symmetric, between: [ping, pong]}
processes:
  ping: {count: 3, program: [{send: {to: pong, size: 1B}}, {recv: {from: pong}}]}
  pong: {count: 3, program: [{recv: {from: ping}}, {send: {to: ping, size: 1B}}]}
)");
  REQUIRE(run.summary.delivered == 6);
  for (std::size_t id = 0; id < 6; ++id) {
    const std::string sender = run.sender_of(id), receiver = run.receiver_of(id);
    CHECK(sender.substr(sender.find('.')) == receiver.substr(receiver.find('.')));  // same index
    CHECK(sender.substr(0, 4) != receiver.substr(0, 4));
  }
  CHECK(run.model.channels.size() == 6);  // three pairs, a buffer per direction
  CHECK(run.model.channels[0].name == "link:ping.0->pong.0");
}

TEST_CASE("an asymmetric receiver takes from any sender and learns its id, so replies find it") {
  Run run = run_yaml(R"(
channels:
  requests: {addressing: direct-asymmetric, receiver: server}
  replies: {addressing: direct-asymmetric, receiver: client}
processes:
  client:
    count: 2
    program: [{send: {to: server, size: 100B}}, {recv: {from: any}}]
  server:
    program: [{repeat: 2, do: [{sleep: 1ms}, {recv: {from: any}}, {reply: {size: 10B}}]}]
)");
  REQUIRE(run.summary.delivered == 4);
  for (std::size_t id = 0; id < 4; ++id) {
    const auto& m = run.message(id);
    if (run.sender_of(id) != "server") continue;
    // A reply goes to whoever sent the request received just before it.
    bool answered = false;
    for (std::size_t req = 0; req < 4; ++req)
      if (run.receiver_of(req) == "server" && run.message(req).received <= m.send_call &&
          run.sender_of(req) == run.receiver_of(id))
        answered = true;
    CHECK(answered);
  }
  CHECK(run.receiver_of(0) == "server");
  CHECK(run.receiver_of(1) == "server");
}

TEST_CASE("a reply with no channel back fails with no_reply_channel") {
  Run run = run_yaml(R"(
channels:
  box: {addressing: mailbox}
processes:
  client: {program: [{send: {to: box, size: 1B}}]}
  server: {program: [{recv: {from: box}}, {reply: {size: 1B}}]}
)");
  CHECK(run.message(1).reason == Reason::no_reply_channel);
  check_conservation(run.summary);
}

namespace {
std::vector<std::string> receivers_with(const std::string& policy) {
  Run run = run_yaml(R"(
seed: 7
channels:
  box: {addressing: mailbox, receivers: )" +
                     policy + R"(}
processes:
  producer: {program: [{repeat: 4, do: [{sleep: 1ms}, {send: {to: box, size: 1B}}]}]}
  worker:
    count: 2
    program: [{repeat: 2, do: [{recv: {from: box}}]}]
  late: {program: [{sleep: 0.5ms}, {recv: {from: box, timeout: 10ms}}]}
)");
  std::vector<std::string> order;
  for (std::size_t id = 0; id < run.out.message_records.size(); ++id) order.push_back(run.receiver_of(id));
  return order;
}
}  // namespace

TEST_CASE("receiver policy fifo gives each message to the receiver waiting longest") {
  // worker.0 and worker.1 wait from 0 ms, late from 0.5 ms; each re-queues after a receive.
  CHECK(receivers_with("fifo") == std::vector<std::string>{"worker.0", "worker.1", "late", "worker.0"});
}

TEST_CASE("receiver policy round-robin serves waiting receivers in process order, in turn") {
  // Process order: worker.0, worker.1, late; after late, wrap to worker.0.
  CHECK(receivers_with("round-robin") == std::vector<std::string>{"worker.0", "worker.1", "late", "worker.0"});
}

TEST_CASE("receiver policy round-robin differs from fifo when the longest waiter is not next in turn") {
  Run run = run_yaml(R"(
channels:
  box: {addressing: mailbox, receivers: round-robin}
processes:
  producer: {program: [{sleep: 1ms}, {send: {to: box, size: 1B}}, {sleep: 1ms}, {send: {to: box, size: 1B}}]}
  r0: {program: [{sleep: 0.5ms}, {recv: {from: box}}]}
  r1: {program: [{recv: {from: box}}]}
)");
  // r1 has waited longest, but round-robin starts with the first process in order, r0.
  CHECK(run.receiver_of(0) == "r0");
  CHECK(run.receiver_of(1) == "r1");
}

TEST_CASE("receiver policy random is seeded: same seed, same choices, every message delivered once") {
  auto first = receivers_with("random");
  auto second = receivers_with("random");
  CHECK(first == second);
  CHECK(std::count(first.begin(), first.end(), "") == 0);
}

TEST_CASE("a process-owned mailbox dies with its owner: queued lost, blocked and later senders fail") {
  Run run = run_yaml(R"(
channels:
  box: {addressing: mailbox, owner: server, capacity: 1}
processes:
  server: {program: [{sleep: 1ms}]}
  client: {program: [{repeat: 3, do: [{send: {to: box, size: 1B}}]}]}
)");
  // Message 0 sits in the buffer, message 1 blocks on the full buffer, the owner ends at 1 ms.
  CHECK(run.message(0).reason == Reason::owner_ended);
  CHECK(run.message(0).outcome == Outcome::lost);
  CHECK(run.message(1).reason == Reason::mailbox_destroyed);
  CHECK(run.message(1).send_return == at(0.001));
  CHECK(run.message(2).reason == Reason::mailbox_destroyed);
  CHECK(run.message(2).outcome == Outcome::failed);
  CHECK(run.summary.stop == model::StopReason::completed);
  check_conservation(run.summary);
}

TEST_CASE("an OS-owned mailbox deleted at a time loses its queue and fails its waiting receivers") {
  Run run = run_yaml(R"(
channels:
  box: {addressing: mailbox, delete_at: 2ms}
processes:
  producer: {program: [{send: {to: box, size: 1B}}, {sleep: 3ms}, {send: {to: box, size: 1B}}]}
  consumer: {program: [{sleep: 5ms}, {recv: {from: box}}]}
)");
  CHECK(run.message(0).reason == Reason::mailbox_deleted);
  CHECK(run.message(0).outcome == Outcome::lost);
  CHECK(run.message(1).reason == Reason::mailbox_destroyed);
  CHECK(run.summary.receives.failed == 1);
  check_conservation(run.summary);
}

TEST_CASE("a delete step wakes a receiver blocked on the mailbox with a failure") {
  Run run = run_yaml(R"(
channels:
  box: {addressing: mailbox}
processes:
  consumer: {program: [{recv: {from: box}}]}
  admin: {program: [{sleep: 1ms}, {delete: box}]}
)");
  CHECK(run.summary.receives.failed == 1);
  CHECK(run.summary.receives.wait_max == at(0.001));
  CHECK(run.summary.stop == model::StopReason::completed);
}

TEST_CASE("a deadlock ends the run and says who waits on what") {
  Run run = run_yaml(R"(
channels:
  link: {addressing: direct-symmetric, between: [a, b], capacity: 0}
processes:
  a: {program: [{sleep: 1ms}, {recv: {from: b}}, {send: {to: b, size: 1B}}]}
  b: {program: [{recv: {from: a}}, {send: {to: a, size: 1B}}]}
)");
  CHECK(run.summary.stop == model::StopReason::deadlock);
  CHECK(run.summary.sim_time == at(0.001));
  CHECK_THAT(run.summary.deadlock, Catch::Contains("a waits to receive from link:b->a"));
  CHECK_THAT(run.summary.deadlock, Catch::Contains("b waits to receive from link:a->b"));
}

TEST_CASE("a producer blocked on a full buffer after its consumer ended is a deadlock") {
  Run run = run_yaml(R"(
channels:
  jobs: {addressing: mailbox, capacity: 1}
processes:
  producer: {program: [{repeat: 3, do: [{send: {to: jobs, size: 1B}}]}]}
  consumer: {program: [{recv: {from: jobs}}]}
)");
  CHECK(run.summary.stop == model::StopReason::deadlock);
  CHECK_THAT(run.summary.deadlock, Catch::Contains("producer waits for room in jobs"));
  CHECK(run.message(2).reason == Reason::blocked_at_end);
  CHECK(run.message(1).reason == Reason::queued_at_end);
  check_conservation(run.summary);
}

TEST_CASE("a timed wait is not a deadlock: the run goes on after the timeout") {
  Run run = run_yaml(R"(
channels:
  box: {addressing: mailbox}
processes:
  consumer: {program: [{recv: {from: box, timeout: 4ms}}]}
)");
  CHECK(run.summary.stop == model::StopReason::completed);
  CHECK(run.summary.sim_time == at(0.004));
}

TEST_CASE("receiver policy fifo serves the longest waiter even when another comes first in process order") {
  // r1 waits from 0 ms, r0 from 0.5 ms: fifo gives the 1 ms message to r1 (round-robin would
  // give it to r0, first in process order), the 2 ms one to r0.
  Run run = run_yaml(R"(
channels:
  box: {addressing: mailbox, receivers: fifo}
processes:
  producer: {program: [{sleep: 1ms}, {send: {to: box, size: 1B}}, {sleep: 1ms}, {send: {to: box, size: 1B}}]}
  r0: {program: [{sleep: 0.5ms}, {recv: {from: box}}]}
  r1: {program: [{recv: {from: box}}]}
)");
  CHECK(run.receiver_of(0) == "r1");
  CHECK(run.receiver_of(1) == "r0");
}

TEST_CASE("receiver policy random picks uniformly among the waiting receivers") {
  // Three receivers always waiting, 3000 messages: each should get about 1000. Chi-square
  // with 2 degrees of freedom stays under 13.8 with probability 0.999 for a uniform pick;
  // always the first (3000, 0, 0: 6000) or a 1/2, 1/4, 1/4 split (375) are far past it.
  Run run = run_yaml(R"(
seed: 7
stop: {messages: 3000}
channels:
  box: {addressing: mailbox, receivers: random}
processes:
  producer: {program: [{repeat: forever, do: [{sleep: 1ms}, {send: {to: box, size: 1B}}]}]}
  worker: {count: 3, program: [{repeat: forever, do: [{recv: {from: box}}]}]}
)");
  std::map<std::string, double> picks;
  for (std::size_t id = 0; id < run.out.message_records.size(); ++id)
    if (run.message(id).outcome == Outcome::delivered) ++picks[run.receiver_of(id)];
  REQUIRE(picks.size() == 3);
  const double expected = (picks["worker.0"] + picks["worker.1"] + picks["worker.2"]) / 3;
  double chi_square = 0;
  for (const auto& [worker, count] : picks) chi_square += (count - expected) * (count - expected) / expected;
  INFO("picks " << picks["worker.0"] << ", " << picks["worker.1"] << ", " << picks["worker.2"]);
  CHECK(chi_square < 13.8);
  CHECK(expected * 3 == 3000);
  // Even counts also come from taking turns (the longest waiter first, as fifo does): a
  // uniform pick gives the same receiver twice in a row a third of the time (999.7 of 2999,
  // sd 25.8), turns never.
  int repeats = 0;
  for (std::size_t id = 1; id < run.out.message_records.size(); ++id)
    repeats += run.receiver_of(id) == run.receiver_of(id - 1);
  INFO("the same receiver twice in a row " << repeats << " times");
  CHECK(repeats > 800);
  CHECK(repeats < 1200);
}

TEST_CASE("delete_at fails a receiver waiting on the mailbox, and a sender blocked on it, at that time") {
  // The receiver waits from 0 ms; at 2 ms the OS deletes the mailbox: its receive fails then.
  Run waiting = run_yaml(R"(
channels:
  box: {addressing: mailbox, delete_at: 2ms}
processes:
  consumer: {program: [{recv: {from: box}}]}
)");
  CHECK(waiting.summary.receives.failed == 1);
  CHECK(waiting.summary.receives.wait_max == at(0.002));
  CHECK(waiting.summary.sim_time == at(0.002));
  // Capacity 1: the second send blocks from 0 ms and fails mailbox_destroyed at 2 ms.
  Run blocked = run_yaml(R"(
channels:
  box: {addressing: mailbox, capacity: 1, delete_at: 2ms}
processes:
  producer: {program: [{send: {to: box, size: 1B}}, {send: {to: box, size: 1B}}]}
)");
  CHECK(blocked.message(0).reason == Reason::mailbox_deleted);
  CHECK(blocked.message(1).reason == Reason::mailbox_destroyed);
  CHECK(blocked.message(1).send_return == at(0.002));
  check_conservation(blocked.summary);
}
