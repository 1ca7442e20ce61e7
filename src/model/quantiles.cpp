#include "quantiles.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace ipcsim::model {
namespace {

// Buckets come straight from the bits of the double: its exponent picks the octave and the
// top 10 bits of its mantissa the position within it (1,024 per octave: 0.1% wide).
constexpr int mantissa_bits_kept = 10;
constexpr int lowest_exponent = 1023 - 80;  // biased: 2^-80 s, far below a nanosecond
constexpr int octaves = 160;                // up to 2^80
constexpr std::uint32_t bucket_count = (octaves << mantissa_bits_kept) + 1;

std::uint32_t bucket_of(double value) {
  if (!(value > 0)) return 0;
  const auto bits = std::bit_cast<std::uint64_t>(value);
  const int exponent = std::clamp(static_cast<int>(bits >> 52) - lowest_exponent, 0, octaves - 1);
  const auto position =
      static_cast<std::uint32_t>((bits >> (52 - mantissa_bits_kept)) & ((1u << mantissa_bits_kept) - 1));
  return (static_cast<std::uint32_t>(exponent) << mantissa_bits_kept) + position + 1;
}

}  // namespace

Quantiles::Bucket& Quantiles::bucket(std::uint32_t index, double first_value) {
  if (position_.empty()) {
    position_.resize((bucket_count >> mantissa_bits_kept) + 1);
    for (std::size_t i = 0; i < buckets.size(); ++i) slot(buckets[i].index) = static_cast<std::uint32_t>(i + 1);
  }
  std::uint32_t& position = slot(index);
  if (position == 0) {
    buckets.push_back(Bucket{index, 0, first_value, first_value});
    position = static_cast<std::uint32_t>(buckets.size());
  }
  return buckets[position - 1];
}

std::uint32_t& Quantiles::slot(std::uint32_t index) {
  std::vector<std::uint32_t>& octave = position_[index >> mantissa_bits_kept];
  if (octave.empty()) octave.assign(std::size_t{1} << mantissa_bits_kept, 0);
  return octave[index & ((1u << mantissa_bits_kept) - 1)];
}

void Quantiles::add(double value) {
  Bucket& b = bucket(bucket_of(value), value);
  ++b.count;
  b.min = std::min(b.min, value);
  b.max = std::max(b.max, value);
  ++count;
  sum += value;
  max = std::max(max, value);
}

void Quantiles::merge(const Quantiles& other) {
  for (const Bucket& theirs : other.buckets) {
    Bucket& b = bucket(theirs.index, theirs.min);
    b.count += theirs.count;
    b.min = std::min(b.min, theirs.min);
    b.max = std::max(b.max, theirs.max);
  }
  count += other.count;
  sum += other.sum;
  max = std::max(max, other.max);
}

void Quantiles::add_bucket(std::uint64_t values, double min_value, double max_value) {
  Bucket& b = bucket(bucket_of(min_value), min_value);
  b.count += values;
  b.min = std::min(b.min, min_value);
  b.max = std::max(b.max, max_value);
  count += values;
  max = std::max(max, max_value);
}

bool Quantiles::same_bucket(double a, double b) { return bucket_of(a) == bucket_of(b); }

double Quantiles::quantile(double q) const {
  if (count == 0) return 0;
  std::vector<const Bucket*> ordered;
  ordered.reserve(buckets.size());
  for (const Bucket& b : buckets) ordered.push_back(&b);
  std::sort(ordered.begin(), ordered.end(), [](const Bucket* a, const Bucket* b) { return a->index < b->index; });
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count))));
  std::uint64_t seen = 0;
  for (const Bucket* b : ordered) {
    seen += b->count;
    if (seen >= rank) return b->max;
  }
  return max;
}

}  // namespace ipcsim::model
