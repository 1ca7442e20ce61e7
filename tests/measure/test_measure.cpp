// The measured mode on real threads: every message sent ends delivered, failed or lost
// with the reason the semantics give, whatever the thread interleaving; the run stops,
// never hangs. No SimGrid: the thread sanitizer build runs these too.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "measure/replay.hpp"
#include "model/model.hpp"
#include "scenario/scenario.hpp"
#include "support/paths.hpp"
#include "support/run_invariants.hpp"

using namespace ipcsim;
using namespace ipcsim::scenario;
using model::StopReason;
using test::source_dir;

namespace {

struct Measured {
  Scenario scenario;
  model::Model model;
  model::RunResult out;  // the measured run's result
};

// Every message ended exactly once: the per-reason counts add up to the sends.
void check_conservation(const model::RunResult& out) {
  INFO("sent " << out.messages.sent << ", ended " << out.messages.ended());
  CHECK(out.messages.ended() == out.messages.sent);
  CHECK(out.messages.latency.count == out.messages.count(Reason::none));
  test::check_channel_totals(out);
}

Measured measure_text(const std::string& yaml, measure::Options options = {}) {
  Measured m{parse_scenario(yaml, "test.yaml"), {}, {}};
  m.model = model::build_model(m.scenario);
  REQUIRE(measure::unmeasurable(m.model).empty());
  if (options.max_wall_seconds == 0) options.max_wall_seconds = 60;  // a hang fails, not blocks CI
  m.out = measure::replay(m.model, options).result;
  check_conservation(m.out);
  return m;
}

}  // namespace

TEST_CASE("measured: a bounded producer/consumer delivers every message, in any capacity") {
  for (std::string capacity : {"0", "1", "3", "16", "unbounded"}) {
    INFO("capacity " << capacity);
    auto m = measure_text(R"(
name: pc
channels:
  jobs: {addressing: mailbox, capacity: )" +
                          capacity + R"(}
processes:
  producer: {count: 3, program: [{repeat: 2000, do: [{send: {to: jobs, size: 100B}}]}]}
  consumer: {count: 2, program: [{repeat: 3000, do: [{recv: {from: jobs}}]}]}
)");
    CHECK(m.out.stop_reason == StopReason::completed);
    CHECK(m.out.messages.sent == 6000);
    CHECK(m.out.messages.count(Reason::none) == 6000);
    CHECK(m.out.messages.delivered_bytes == 600000);
    CHECK(m.out.receives.calls == 6000);
    CHECK(m.out.duration > 0);
  }
}

TEST_CASE("measured: symmetric ping-pong with replies, synchronous and blocking") {
  for (std::string mode : {"blocking", "synchronous"}) {
    INFO(mode);
    auto m = measure_text(R"(
name: pingpong
channels:
  link: {addressing: direct-symmetric, between: [ping, pong], capacity: 1}
processes:
  ping: {program: [{repeat: 1000, do: [{send: {to: pong, size: 64B, mode: )" +
                          mode + R"(}}, {recv: {from: pong}}]}]}
  pong: {program: [{repeat: 1000, do: [{recv: {from: ping}}, {reply: {size: 64B}}]}]}
)");
    CHECK(m.out.stop_reason == StopReason::completed);
    CHECK(m.out.messages.count(Reason::none) == 2000);
  }
}

TEST_CASE("measured: nonblocking sends into a full buffer fail as would_block, the rest arrive") {
  auto m = measure_text(R"(
name: nb
channels:
  q: {addressing: mailbox, capacity: 2}
processes:
  fast: {program: [{repeat: 5000, do: [{send: {to: q, size: 8B, mode: nonblocking}}]}]}
  slow: {program: [{repeat: 20, do: [{recv: {from: q, mode: timeout, timeout: 20ms}}, {compute: 100us}]}]}
)");
  const auto& s = m.out.messages;
  CHECK(s.sent == 5000);
  CHECK(s.count(Reason::would_block) > 0);
  // What was accepted is either received or still queued when the run ended.
  CHECK(s.count(Reason::none) + s.count(Reason::queued_at_end) + s.count(Reason::would_block) == 5000);
  CHECK(s.count(Reason::queued_at_end) <= 2);
}

TEST_CASE("measured: full policies drop-oldest, drop-newest and fail count what they discard") {
  for (std::string policy : {"drop-oldest", "drop-newest", "fail"}) {
    INFO(policy);
    auto m = measure_text(R"(
name: full
channels:
  q: {addressing: mailbox, capacity: 4, full: )" +
                          policy + R"(}
processes:
  p: {count: 2, program: [{repeat: 3000, do: [{send: {to: q, size: 16B}}]}]}
  c: {program: [{repeat: 200, do: [{recv: {from: q, mode: timeout, timeout: 1ms}}, {compute: 20us}]}]}
)");
    const auto& s = m.out.messages;
    Reason discarded = policy == "drop-oldest"   ? Reason::dropped_oldest
                       : policy == "drop-newest" ? Reason::dropped_newest
                                                 : Reason::full;
    CHECK(s.count(discarded) > 0);
    CHECK(s.count(Reason::none) + s.count(discarded) + s.count(Reason::queued_at_end) == 6000);
  }
}

TEST_CASE("measured: an owned mailbox dies with its owner, queued messages are lost and later sends fail") {
  auto m = measure_text(R"(
name: owned
channels:
  inbox: {addressing: mailbox, owner: server, capacity: 8}
processes:
  server: {program: [{repeat: 50, do: [{recv: {from: inbox}}, {compute: 200us}]}]}
  producer: {count: 2, program: [{repeat: 200, do: [{send: {to: inbox, size: 512B}}]}]}
)");
  const auto& s = m.out.messages;
  CHECK(m.out.stop_reason == StopReason::completed);
  CHECK(s.count(Reason::none) == 50);
  CHECK(s.count(Reason::mailbox_destroyed) > 0);
  CHECK(s.count(Reason::none) + s.count(Reason::owner_ended) + s.count(Reason::mailbox_destroyed) == 400);
}

TEST_CASE("measured: an OS mailbox deleted at a time fails its waiting receivers and later senders") {
  auto m = measure_text(R"(
name: deleted
channels:
  box: {addressing: mailbox, capacity: unbounded, delete_at: 30ms}
processes:
  sender: {program: [{repeat: 20, do: [{send: {to: box, size: 1B}}, {sleep: 5ms}]}]}
  receiver: {program: [{repeat: 30, do: [{recv: {from: box}}]}]}
)");
  const auto& s = m.out.messages;
  CHECK(s.count(Reason::mailbox_destroyed) > 0);
  CHECK(m.out.receives.failed > 0);
  CHECK(s.count(Reason::none) + s.count(Reason::mailbox_deleted) + s.count(Reason::mailbox_destroyed) == 20);
}

TEST_CASE("measured: timed and nonblocking receives count timeouts and null receives, consume nothing") {
  auto m = measure_text(R"(
name: timed
channels:
  q: {addressing: mailbox, capacity: 4}
processes:
  r: {program: [{recv: {from: q, mode: timeout, timeout: 5ms}}, {recv: {from: q, mode: nonblocking}}]}
)");
  CHECK(m.out.receives.timed_out == 1);
  CHECK(m.out.receives.empty == 1);
  CHECK(m.out.messages.sent == 0);
}

TEST_CASE("measured: a timed send to a rendezvous with nobody there gives up and is never delivered") {
  auto m = measure_text(R"(
name: timed-send
channels:
  q: {addressing: mailbox, capacity: 0}
processes:
  s: {program: [{send: {to: q, size: 1B, mode: timeout, timeout: 5ms}}, {send: {to: q, size: 1B, mode: nonblocking}}]}
)");
  CHECK(m.out.messages.count(Reason::timeout) == 1);
  CHECK(m.out.messages.count(Reason::would_block) == 1);
}

TEST_CASE("measured: stop.messages ends a forever loop and what is in flight is counted") {
  auto m = measure_text(R"(
name: forever
stop: {messages: 5000}
channels:
  q: {addressing: direct-asymmetric, receiver: c, capacity: 8}
processes:
  p: {count: 2, program: [{repeat: forever, do: [{send: {to: c, size: 32B, mode: synchronous}}]}]}
  c: {program: [{repeat: forever, do: [{recv: {}}]}]}
)");
  CHECK(m.out.stop_reason == StopReason::messages);
  CHECK(m.out.messages.count(Reason::none) >= 5000);
}

TEST_CASE("measured: a deadlock is reported with who waits on what, not a hang") {
  auto m = measure_text(R"(
name: stuck
channels:
  link: {addressing: direct-symmetric, between: [a, b], capacity: 1}
processes:
  a: {program: [{recv: {from: b}}, {send: {to: b, size: 1B}}]}
  b: {program: [{recv: {from: a}}, {send: {to: a, size: 1B}}]}
)");
  CHECK(m.out.stop_reason == StopReason::deadlock);
  CHECK_THAT(m.out.deadlock, Catch::Contains("a waits to receive from link:b->a"));
  CHECK_THAT(m.out.deadlock, Catch::Contains("b waits to receive from link:a->b"));
}

TEST_CASE("measured: stop.time stops a run that would go on forever, at about that time") {
  auto m = measure_text(R"(
name: timed-stop
stop: {time: 50ms}
channels:
  q: {addressing: mailbox, capacity: 4}
processes:
  p: {program: [{repeat: forever, do: [{send: {to: q, size: 1B}}, {sleep: 1ms}]}]}
  c: {program: [{repeat: forever, do: [{recv: {from: q}}]}]}
)");
  CHECK(m.out.stop_reason == StopReason::time);
  CHECK(m.out.duration >= 0.05);
}

TEST_CASE("measured: scenarios on several hosts, with too many threads or with faults are refused with a reason") {
  Scenario two_hosts = parse_scenario(R"(
name: apart
channels:
  q: {addressing: mailbox}
processes:
  p: {host: alpha, program: [{send: {to: q, size: 1B}}]}
  c: {host: beta, program: [{recv: {from: q}}]}
)",
                                      "apart.yaml");
  CHECK_THAT(measure::unmeasurable(model::build_model(two_hosts)), Catch::Contains("2 hosts"));
  Scenario crowd = parse_scenario(R"(
name: crowd
channels:
  q: {addressing: mailbox}
processes:
  p: {count: 2000, program: [{send: {to: q, size: 1B}}]}
)",
                                  "crowd.yaml");
  CHECK_THAT(measure::unmeasurable(model::build_model(crowd)), Catch::Contains("at most 1024"));
  Scenario faulty = parse_scenario(R"(
name: faulty
channels:
  q: {addressing: mailbox}
faults:
  - {at: 1ms, kill: c}
processes:
  p: {program: [{send: {to: q, size: 1B}}]}
  c: {program: [{recv: {from: q}}]}
)",
                                   "faulty.yaml");
  CHECK_THAT(measure::unmeasurable(model::build_model(faulty)), Catch::Contains("faults are simulated only"));
}

TEST_CASE("measured: every shipped single-host scenario replays and conserves its messages") {
  int replayed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir + "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    for (SweepPoint& point : load_sweep(entry.path().string(), {})) {
      model::Model model = model::build_model(point.scenario);
      if (!measure::unmeasurable(model).empty()) continue;
      INFO(entry.path().filename().string());
      measure::Options options;
      options.max_wall_seconds = 1.5;  // a partial run must conserve too
      model::RunResult out = measure::replay(model, options).result;
      check_conservation(out);
      CHECK(out.stop_reason != StopReason::deadlock);
      ++replayed;
    }
  }
  CHECK(replayed >= 10);
}
