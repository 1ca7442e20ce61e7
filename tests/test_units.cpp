// Units, distributions and the spelling tables of the semantics.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "scenario/distribution.hpp"
#include "scenario/semantics.hpp"
#include "scenario/units.hpp"

using namespace ipcsim;
using namespace ipcsim::scenario;

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

TEST_CASE("the units people reach for: h, kB, kB/s, kbps, the micro sign, and unbounded bandwidth") {
  CHECK(parse_duration("1h")->count() == 3600);
  CHECK(parse_duration("5\u00b5s")->count() == Approx(5e-6));  // micro sign
  CHECK(parse_duration("5\u03bcs")->count() == Approx(5e-6));  // Greek mu
  CHECK(parse_size("1kB")->count == 1000);
  CHECK(parse_bandwidth("2kB/s")->bytes_per_s == 2000);
  CHECK(parse_bandwidth("8kbps")->bytes_per_s == 1000);
  CHECK(std::isinf(parse_bandwidth("unbounded")->bytes_per_s));
  CHECK(!parse_duration("1H"));
  CHECK(!parse_size("1kiB"));
}

TEST_CASE("rates: 900/s is 900 per second, and exp(rate=...) has the mean gap 1/rate") {
  CHECK(*parse_rate("900/s") == 900);
  CHECK(*parse_rate("3/min") == Approx(0.05));
  CHECK(*parse_rate("2 / ms") == Approx(2000));
  CHECK(!parse_rate("900"));
  CHECK(!parse_rate("0/s"));
  CHECK(!parse_rate("-5/s"));
  CHECK(!parse_rate("900/parsec"));
  CHECK(!parse_rate("1/10ms"));
  auto parse = [](Quantity quantity, std::string_view text) { return Distribution::parse(quantity, text); };
  const auto by_rate = parse(Quantity::duration, "exp(rate=900/s)");
  const auto by_mean = parse(Quantity::duration, "exp(mean=2ms)");
  REQUIRE(std::holds_alternative<Distribution>(by_rate));
  REQUIRE(std::holds_alternative<Distribution>(by_mean));
  // The same draws as the mean written out: 1/900 s, and 2 ms.
  const auto by_gap = std::get<Distribution>(parse(Quantity::duration, "exp(1.1111111111111111ms)"));
  const auto plain = std::get<Distribution>(parse(Quantity::duration, "exp(2ms)"));
  Rng a(7), b(7), c(7), d(7);
  for (int i = 0; i < 100; ++i) {
    CHECK(std::get<Distribution>(by_rate).sample(a) == Approx(by_gap.sample(b)).epsilon(1e-12));
    CHECK(std::get<Distribution>(by_mean).sample(c) == plain.sample(d));
  }
  CHECK_THAT(std::get<std::string>(parse(Quantity::duration, "exp(rate=fast)")),
             Catch::Contains("expected a rate such as 900/s"));
  CHECK_THAT(std::get<std::string>(parse(Quantity::size, "exp(rate=900/s)")), Catch::Contains("not sizes"));
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

TEST_CASE("each distribution samples its own shape: mean, spread, median and range") {
  struct Shape {
    std::string_view text;
    double mean, sd, median, low, high;  // seconds; the range [low, high] every sample keeps to
  };
  const double inf = std::numeric_limits<double>::infinity();
  const Shape shapes[] = {
      {"exp(2ms)", 0.002, 0.002, 0.002 * std::log(2.0), 0, inf},
      {"uniform(1ms, 3ms)", 0.002, 0.002 / std::sqrt(12.0), 0.002, 0.001, 0.003},
      {"normal(2ms, 0.1ms)", 0.002, 0.0001, 0.002, 0, inf},
      {"lognormal(2ms, 1ms)", 0.002, 0.001, 0.002 / std::sqrt(1.25), 0, inf},  // median: mean / sqrt(1 + cv^2)
      {"pareto(1ms, 3)", 0.0015, 0.0015 / std::sqrt(3.0), 0.001 * std::cbrt(2.0), 0.001, inf},
  };
  for (const Shape& shape : shapes) {
    INFO(shape.text);
    Distribution d = std::get<Distribution>(Distribution::parse(Quantity::duration, shape.text));
    Rng rng = make_rng(7, 1);
    std::vector<double> values(400000);
    for (double& v : values) v = d.sample(rng);
    double sum = 0, squares = 0;
    for (double v : values) sum += v;
    const double mean = sum / static_cast<double>(values.size());
    for (double v : values) squares += (v - mean) * (v - mean);
    const double sd = std::sqrt(squares / static_cast<double>(values.size() - 1));
    std::sort(values.begin(), values.end());
    CHECK(mean == Approx(shape.mean).epsilon(0.01));
    CHECK(sd == Approx(shape.sd).epsilon(0.05));
    CHECK(values[values.size() / 2] == Approx(shape.median).epsilon(0.01));
    CHECK(values.front() >= shape.low);
    CHECK(values.back() <= shape.high);
  }
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
