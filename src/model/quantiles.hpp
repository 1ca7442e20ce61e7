#pragma once
// Summaries of millions of values (latencies, blocking times) in constant memory: count,
// exact mean and maximum, and quantiles from log-linear buckets.
#include <cstdint>
#include <vector>

namespace ipcsim::model {

/// Values >= 0 in buckets 1/1024 of an octave wide: a quantile is exact when its bucket holds
/// one distinct value (typical of simulated times) and otherwise the bucket's largest value,
/// at most 0.1% above the true one. Memory depends on how spread the values are, not on how
/// many there are. Plain data so that a run can send it through a pipe.
struct Quantiles {
  struct Bucket {
    std::uint32_t index = 0;  // 0: the value 0; else octave * 1024 + position in the octave + 1
    std::uint64_t count = 0;
    double min = 0, max = 0;
  };
  std::vector<Bucket> buckets;  // in order of first use
  std::uint64_t count = 0;
  double sum = 0, max = 0;

  void add(double value);
  double mean() const { return count ? sum / static_cast<double>(count) : 0; }
  /// Nearest rank: the smallest value with at least q of the values at or below it.
  double quantile(double q) const;

 private:
  std::vector<std::uint32_t> position_;  // bucket index -> position in `buckets` + 1
};

}  // namespace ipcsim::model
