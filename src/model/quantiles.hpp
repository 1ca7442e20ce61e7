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
  /// Adds another summary's values, as if each had been add()ed here.
  void merge(const Quantiles& other);
  /// Adds `count` values from `min` to `max`, which share one bucket (same_bucket), as
  /// another summary's bucket: their sum is not known, so `sum` and mean() leave them out.
  void add_bucket(std::uint64_t values, double min, double max);
  /// Whether two values >= 0 fall in one bucket.
  static bool same_bucket(double a, double b);
  double mean() const { return count ? sum / static_cast<double>(count) : 0; }
  /// Nearest rank: the smallest value with at least q of the values at or below it.
  double quantile(double q) const;

 private:
  Bucket& bucket(std::uint32_t index, double first_value);
  std::uint32_t& slot(std::uint32_t index);
  // Bucket index -> position in `buckets` + 1, one row of 1,024 per octave, allocated when
  // the octave is first used: values a run sees span a few octaves, so a summary costs
  // tens of KiB, not the 640 KiB a flat table would (measured runs keep one per thread).
  std::vector<std::vector<std::uint32_t>> position_;
};

}  // namespace ipcsim::model
