#pragma once
// Seeded random quantities: "1ms", "exp(1ms)", "uniform(1KiB, 4KiB)", "normal(10ms, 2ms)",
// "lognormal(mean, sd)", "pareto(scale, shape)". Sampling is written out here (not
// std::*_distribution) so results are identical across standard libraries.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "units.hpp"

namespace ipcsim::scenario {

/// xoshiro256** (Blackman & Vigna): 32 bytes of state, so every simulated process can
/// own its stream cheaply; seeded through splitmix64.
class Rng {
 public:
  using result_type = std::uint64_t;
  explicit Rng(std::uint64_t seed = 1);
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()();

 private:
  std::uint64_t state_[4];
};

class Distribution {
 public:
  enum class Kind { fixed, exponential, uniform, normal, lognormal, pareto };

  /// A distribution as written: exp(mean), uniform(low, high), ...
  struct Form {
    std::string_view name;
    Kind kind;
    int arguments;
    std::string_view usage;
  };
  static std::span<const Form> forms();

  static Distribution fixed(double value) { return Distribution{Kind::fixed, value, 0}; }

  /// Parses the text, or returns an error message saying what was expected.
  static std::variant<Distribution, std::string> parse(Quantity quantity, std::string_view text);

  /// A non-negative sample in the base unit (seconds or bytes).
  double sample(Rng& rng) const;

  /// The largest value sample() can return (infinity when it can overflow).
  double largest() const;

 private:
  Distribution(Kind kind, double a, double b) : kind_(kind), a_(a), b_(b) {}
  Kind kind_;
  double a_;  // fixed value, mean, lower bound, scale or normal mu (per kind)
  double b_;  // upper bound, sigma or shape
};

/// A distribution of durations, sampled as Seconds.
struct RandomDuration {
  Distribution dist = Distribution::fixed(0);
  Seconds sample(Rng& rng) const { return Seconds{dist.sample(rng)}; }
};

/// A distribution of message sizes, sampled as whole Bytes.
struct RandomSize {
  Distribution dist = Distribution::fixed(0);
  Bytes sample(Rng& rng) const;
};

/// Derives an independent, reproducible stream from the scenario seed and a stream id.
Rng make_rng(std::uint64_t seed, std::uint64_t stream);

}  // namespace ipcsim::scenario
