// The semantic rules whose outcome does not depend on time (which reason, how many, what a
// receive call returns), as one table run against both runners: the simulation and the
// measured replay on real threads. Each scenario orders its steps by program order and by
// messages alone, so any thread interleaving gives the same counts. A rule changed in
// model/ is tested here once for both.
#include <map>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "measure/replay.hpp"

using namespace ipcsim;
using namespace ipcsim::test;

namespace {

struct Rule {
  std::string name;
  std::string scenario;                   // the channels: and processes: of a scenario
  std::map<Reason, std::uint64_t> ended;  // how many messages ended for each reason (none: delivered)
  model::ReceiveStats receives;           // calls, empty, timed_out, failed (waits are not compared)
  model::StopReason stop = model::StopReason::completed;
};

const std::vector<Rule> rules = {
    {"full policy fail: a nonblocking send fails would_block, a blocking one full",
     R"(
channels:
  jobs: {addressing: mailbox, capacity: 1, full: fail}
processes:
  producer: {program: [{send: {to: jobs, size: 1B, mode: nonblocking}}, {send: {to: jobs, size: 1B, mode: nonblocking}},
                       {send: {to: jobs, size: 1B}}]}
)",
     {{Reason::queued_at_end, 1}, {Reason::would_block, 1}, {Reason::full, 1}},
     {}},
    {"full policy drop-newest: the new messages are lost, the queued one stays",
     R"(
channels:
  jobs: {addressing: mailbox, capacity: 1, full: drop-newest}
  done: {addressing: mailbox, capacity: unbounded}
processes:
  producer: {program: [{repeat: 3, do: [{send: {to: jobs, size: 1B}}]}, {send: {to: done, size: 1B}}]}
  consumer: {program: [{recv: {from: done}}, {recv: {from: jobs}}]}
)",
     {{Reason::none, 2}, {Reason::dropped_newest, 2}},
     {2, 0, 0, 0}},
    {"full policy drop-oldest: the queued messages are evicted, the newest stays",
     R"(
channels:
  jobs: {addressing: mailbox, capacity: 1, full: drop-oldest}
  done: {addressing: mailbox, capacity: unbounded}
processes:
  producer: {program: [{repeat: 3, do: [{send: {to: jobs, size: 1B}}]}, {send: {to: done, size: 1B}}]}
  consumer: {program: [{recv: {from: done}}, {recv: {from: jobs}}]}
)",
     {{Reason::none, 2}, {Reason::dropped_oldest, 2}},
     {2, 0, 0, 0}},
    {"a nonblocking send at capacity 0 with no receiver waiting fails would_block",
     R"(
channels:
  hand: {addressing: mailbox, capacity: 0}
processes:
  producer: {program: [{repeat: 2, do: [{send: {to: hand, size: 1B, mode: nonblocking}}]}]}
)",
     {{Reason::would_block, 2}},
     {}},
    {"a timed send on a full buffer nobody empties gives up with timeout",
     R"(
channels:
  jobs: {addressing: mailbox, capacity: 1}
processes:
  producer: {program: [{send: {to: jobs, size: 1B}}, {send: {to: jobs, size: 1B, timeout: 2ms}}]}
)",
     {{Reason::queued_at_end, 1}, {Reason::timeout, 1}},
     {}},
    {"a nonblocking receive on an empty channel returns a null message; a timed one times out",
     R"(
channels:
  jobs: {addressing: mailbox, capacity: unbounded}
processes:
  consumer: {program: [{recv: {from: jobs, mode: nonblocking}}, {recv: {from: jobs, timeout: 2ms}}]}
)",
     {},
     {2, 1, 1, 0}},
    {"a reply with no message received before fails no_reply_channel",
     R"(
channels:
  box: {addressing: mailbox, capacity: unbounded}
processes:
  server: {program: [{reply: {size: 1B}}]}
)",
     {{Reason::no_reply_channel, 1}},
     {}},
    {"a reply goes back to the sender of the last message received, on the channel back",
     R"(
channels:
  link: {addressing: direct-symmetric, between: [client, server], capacity: unbounded}
processes:
  client: {program: [{repeat: 5, do: [{send: {to: server, size: 1B}}, {recv: {from: server}}]}]}
  server: {program: [{repeat: 5, do: [{recv: {from: client}}, {reply: {size: 1B}}]}]}
)",
     {{Reason::none, 10}},
     {10, 0, 0, 0}},
    {"a deleted mailbox: what it held is lost mailbox_deleted, later sends fail, later receives fail",
     R"(
channels:
  box: {addressing: mailbox, capacity: unbounded}
processes:
  admin: {program: [{send: {to: box, size: 1B}}, {send: {to: box, size: 1B}}, {delete: box},
                    {send: {to: box, size: 1B}}, {recv: {from: box}}]}
)",
     {{Reason::mailbox_deleted, 2}, {Reason::mailbox_destroyed, 1}},
     {1, 0, 0, 1}},
    {"a process-owned mailbox dies with its owner: what it held is lost owner_ended",
     R"(
channels:
  box: {addressing: mailbox, owner: server, capacity: unbounded}
  done: {addressing: mailbox, capacity: unbounded}
processes:
  client: {program: [{repeat: 3, do: [{send: {to: box, size: 1B}}]}, {send: {to: done, size: 1B}}]}
  server: {program: [{recv: {from: done}}]}
)",
     {{Reason::none, 1}, {Reason::owner_ended, 3}},
     {1, 0, 0, 0}},
    {"a bounded buffer between producers and consumers delivers every message exactly once",
     R"(
channels:
  jobs: {addressing: mailbox, capacity: 2}
processes:
  producer: {count: 3, program: [{repeat: 200, do: [{send: {to: jobs, size: 8B}}]}]}
  consumer: {count: 2, program: [{repeat: 300, do: [{recv: {from: jobs}}]}]}
)",
     {{Reason::none, 600}},
     {600, 0, 0, 0}},
    {"a rendezvous delivers every message, each sender waiting for its receiver",
     R"(
channels:
  hand: {addressing: mailbox, capacity: 0}
processes:
  producer: {count: 2, program: [{repeat: 100, do: [{send: {to: hand, size: 8B, mode: synchronous}}]}]}
  consumer: {program: [{repeat: 200, do: [{recv: {from: hand}}]}]}
)",
     {{Reason::none, 200}},
     {200, 0, 0, 0}},
    {"stop after N messages delivers exactly N",
     R"(
stop: {messages: 50}
channels:
  jobs: {addressing: mailbox, capacity: unbounded}
processes:
  producer: {program: [{repeat: 50, do: [{send: {to: jobs, size: 1B}}]}]}
  consumer: {program: [{repeat: forever, do: [{recv: {from: jobs}}]}]}
)",
     {{Reason::none, 50}},
     {50, 0, 0, 0},
     model::StopReason::messages},
};

void check_rule(const Rule& rule, const model::RunResult& result) {
  for (const auto& [reason, name] : EnumNames<Reason>::table) {
    INFO("messages that ended " << (reason == Reason::none ? "delivered" : name));
    auto expected = rule.ended.find(reason);
    CHECK(result.messages.count(reason) == (expected == rule.ended.end() ? 0 : expected->second));
  }
  CHECK(result.receives.calls == rule.receives.calls);
  CHECK(result.receives.empty == rule.receives.empty);
  CHECK(result.receives.timed_out == rule.receives.timed_out);
  CHECK(result.receives.failed == rule.receives.failed);
  CHECK(result.stop_reason == rule.stop);
}

}  // namespace

TEST_CASE("the time-independent rules give the same outcomes simulated and on real threads") {
  for (const Rule& rule : rules) {
    INFO(rule.name);
    const scenario::Scenario scenario = scenario::parse_scenario("name: rule\n" + rule.scenario, "rule.yaml");
    SECTION("simulated: " + rule.name) { check_rule(rule, run_scenario(scenario).out.result); }
    SECTION("measured: " + rule.name) {
      const model::Model model = model::build_model(scenario);
      REQUIRE(measure::unmeasurable(model).empty());
      measure::Options options;
      options.max_wall_seconds = 60;  // a hang fails rather than blocks
      check_rule(rule, measure::replay(model, options).result);
    }
  }
}
