// Units, distributions and the spelling tables of the semantics.
#include <catch2/catch.hpp>

#include <cmath>

#include "scenario/distribution.hpp"
#include "scenario/semantics.hpp"
#include "scenario/units.hpp"

using namespace ipcsim;

TEST_CASE("durations, sizes and bandwidths parse with their units") {
  CHECK(parse_duration("10ms")->count() == Approx(0.010));
  CHECK(parse_duration("1.5 s")->count() == Approx(1.5));
  CHECK(parse_duration("250ns")->count() == Approx(250e-9));
  CHECK(parse_size("1KiB")->count == 1024);
  CHECK(parse_size("2MB")->count == 2'000'000);
  CHECK(parse_bandwidth("1Gbps")->bytes_per_s == Approx(125e6));
  CHECK(parse_bandwidth("125MB/s")->bytes_per_s == Approx(125e6));
  CHECK(!parse_duration("10"));
  CHECK(!parse_duration("-1ms"));
  CHECK(!parse_duration("10 parsecs"));
  CHECK(!parse_size("1.5B"));
  CHECK(!parse_bandwidth("0MB/s"));
}

TEST_CASE("distributions parse, reject bad parameters, and sample reproducibly") {
  auto parse = [](std::string_view text) { return Distribution::parse(Quantity::duration, text); };
  REQUIRE(std::holds_alternative<Distribution>(parse("exp(1ms)")));
  CHECK(std::holds_alternative<std::string>(parse("exp(-1ms)")));
  CHECK(std::holds_alternative<std::string>(parse("exp(0ms)")));
  CHECK(std::holds_alternative<std::string>(parse("uniform(2ms, 1ms)")));
  CHECK(std::holds_alternative<std::string>(parse("gamma(1ms)")));
  CHECK(std::holds_alternative<std::string>(parse("normal(1ms)")));
  CHECK(std::holds_alternative<std::string>(parse("pareto(1ms, -2)")));

  for (std::string_view text : {"exp(2ms)", "uniform(1ms, 3ms)", "normal(2ms, 0.1ms)", "lognormal(2ms, 1ms)"}) {
    INFO(text);
    Distribution d = std::get<Distribution>(parse(text));
    Rng rng = make_rng(42, 0);
    double sum = 0;
    const int n = 200000;
    for (int i = 0; i < n; ++i) {
      double v = d.sample(rng);
      REQUIRE(v >= 0);
      sum += v;
    }
    CHECK(sum / n == Approx(0.002).epsilon(0.02));
  }
  Distribution d = std::get<Distribution>(parse("exp(1ms)"));
  Rng a = make_rng(5, 3), b = make_rng(5, 3), c = make_rng(5, 4);
  CHECK(d.sample(a) == d.sample(b));
  CHECK(d.sample(a) != d.sample(c));
}

TEST_CASE("every option of the semantics table parses from and prints to the same spelling") {
  CHECK(parse_enum<Addressing>("direct-symmetric") == Addressing::direct_symmetric);
  CHECK(to_string(FullPolicy::drop_oldest) == "drop-oldest");
  CHECK(parse_enum<SendMode>("synchronous") == SendMode::synchronous);
  CHECK(!parse_enum<ReceiveMode>("synchronous"));
  CHECK(spellings<ReceiverPolicy>() == "fifo, round-robin or random");
  for (const auto& [reason, name] : EnumNames<Reason>::table)
    if (reason != Reason::none) CHECK(outcome_of(reason) != Outcome::delivered);
}
