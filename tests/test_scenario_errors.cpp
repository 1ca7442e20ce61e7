// Every malformed scenario is refused with file:line:col and what was expected.
#include <catch2/catch.hpp>

#include <cmath>

#include "bad_scenarios.hpp"
#include "scenario/scenario.hpp"

using namespace ipcsim;
using namespace ipcsim::scenario;

TEST_CASE("malformed scenarios are refused with the file, line and what was expected") {
  auto cases = test::bad_scenarios();
  REQUIRE(cases.size() >= 25);
  for (const auto& bad : cases) {
    INFO(bad.name);
    try {
      parse_scenario(bad.text, "bad.yaml");
      FAIL("accepted: " << bad.text);
    } catch (const InputError& e) {
      std::string message = e.what();
      CHECK_THAT(message, Catch::StartsWith("bad.yaml:" + std::to_string(bad.line) + ":"));
      CHECK_THAT(message, Catch::Contains(bad.says));
      CHECK(message.find('\n') == std::string::npos);
    }
  }
}

TEST_CASE("a well-formed scenario covering every step kind loads") {
  Scenario s = parse_scenario(R"(
name: all-steps
seed: 3
stop: {time: 1s}
channels:
  box: {addressing: mailbox, capacity: 4, full: drop-oldest, receivers: round-robin}
  back: {addressing: direct-asymmetric, receiver: client}
processes:
  client:
    count: 2
    program:
      - repeat: forever
        do:
          - send: {to: box, size: 'uniform(1B, 1KiB)', mode: timeout, timeout: 1ms}
          - recv: {from: any, timeout: 2ms}
  server:
    program:
      - repeat: 10
        do:
          - recv: {from: box, mode: nonblocking}
          - reply: {size: 10B}
          - compute: normal(1ms, 0.1ms)
      - delete: box
)",
                              "ok.yaml");
  CHECK(s.processes.size() == 2);
  CHECK(s.channels.at(0).capacity.limit == 4u);
  CHECK(s.stop.time->count() == Approx(1.0));
}

TEST_CASE("capacity: infinite is unbounded, as bandwidth: unbounded is infinite") {
  Scenario s = parse_scenario(R"(
model: {network: {link: {latency: 1ms, bandwidth: unbounded}}}
channels:
  box: {addressing: mailbox, capacity: infinite}
processes:
  p: {program: [{sleep: 1h}, {sleep: 'exp(rate=900/s)'}]}
)",
                              "synonyms.yaml");
  CHECK(s.channels.at(0).capacity.unbounded());
  CHECK(std::isinf(s.model.network.link.bandwidth.bytes_per_s));
}
