// Every malformed scenario is refused with file:line:col and what was expected.
#include <catch2/catch.hpp>

#include <cmath>

#include "bad_scenarios.hpp"
#include "scenario/distribution.hpp"
#include "scenario/input_error.hpp"
#include "scenario/scenario.hpp"
#include "scenario/units.hpp"

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

TEST_CASE("params: ${name} takes the parameter's value, whole or within text") {
  Scenario s = parse_scenario(R"(
params: {slots: 16, rate: 900/s, size: 1KiB, pair: [p, q]}
channels:
  link: {addressing: direct-symmetric, between: '${pair}', capacity: '${slots}'}
processes:
  p: {program: [{send: {to: q, size: '${size}'}}, {sleep: 'exp(rate=${rate})'}]}
  q: {program: [{recv: {from: p}}]}
)",
                              "params.yaml");
  CHECK(*s.channels.at(0).capacity.limit == 16);
  CHECK(s.channels.at(0).between == std::vector<std::string>{"p", "q"});
  CHECK(std::get<SendStep>(s.processes.at(0).program.at(0).action).size.dist.largest() == 1024);
  // exp(rate=900/s) has the mean 1/900 s.
  Rng a(3), b(3);
  const auto by_rate = std::get<SleepStep>(s.processes.at(0).program.at(1).action).duration.dist;
  const auto by_mean = std::get<Distribution>(Distribution::parse(Quantity::duration, "exp(rate=900/s)"));
  CHECK(by_rate.sample(a) == by_mean.sample(b));
}

TEST_CASE("a sweep over a named parameter survives an edit of the program, where a positional path does not") {
  const std::string program = R"(
params: {slots: 1}
channels:
  box: {addressing: mailbox, capacity: '${slots}'}
processes:
  p: {program: [{send: {to: box, size: 1B, mode: nonblocking}}]}
)";
  const std::string edited = R"(
params: {slots: 1}
channels:
  box: {addressing: mailbox, capacity: '${slots}'}
processes:
  p: {program: [{sleep: 1ms}, {send: {to: box, size: 1B, mode: nonblocking}}]}
)";
  for (const std::string& text : {program, edited}) {
    const auto points = parse_sweep(text + "sweep: {slots: [0, 4]}\n", "s.yaml", {});
    REQUIRE(points.size() == 2);
    CHECK(points[0].parameters.at(0) == std::pair<std::string, std::string>{"slots", "0"});
    CHECK(points[0].scenario.channels.at(0).capacity.rendezvous());
    CHECK(*points[1].scenario.channels.at(0).capacity.limit == 4);
    // --set names it too.
    CHECK(*parse_sweep(text, "s.yaml", {"slots=8"}).at(0).scenario.channels.at(0).capacity.limit == 8);
  }
  // The positional path to the send's mode lands on the sleep once a step is inserted.
  const std::string by_position = "sweep: {processes.p.program.0.send.mode: [blocking]}\n";
  CHECK_NOTHROW(parse_sweep(program + by_position, "s.yaml", {}));
  CHECK_THROWS_AS(parse_sweep(edited + by_position, "s.yaml", {}), InputError);
}

TEST_CASE("parameters put in place cannot grow a document past the loader's bound") {
  std::string text = "params:\n  big: [";
  for (int i = 0; i < 1000; ++i) text += i ? ", 1" : "1";
  text += "]\ndescription:\n";
  for (int i = 0; i < 2000; ++i) text += "  - ${big}\n";
  text += "processes: {p: {program: []}}\n";
  CHECK_THROWS_WITH(parse_scenario(text, "big.yaml"), Catch::Contains("YAML nodes once parameters are put in place"));
}

TEST_CASE("parameters put within text cannot grow it past a file's bound") {
  // 1 MB of text, put 20 times inside other text: 20 MB, past the 16 MiB a file may hold.
  std::string text = "params:\n  blob: " + std::string(1'000'000, 'x') + "\ndescription:\n";
  for (int i = 0; i < 20; ++i) text += "  - 'a${blob}'\n";
  text += "processes: {p: {program: []}}\n";
  CHECK_THROWS_WITH(parse_scenario(text, "blob.yaml"), Catch::Contains("bytes of text in place"));
}
