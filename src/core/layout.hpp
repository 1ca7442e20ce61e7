#pragma once
#include <cstddef>
#include <cstdint>

namespace ipcsim::core {

/// 64-byte lines, and the adjacent-line prefetcher of x86 pulls pairs: keeping hot
/// indices 128 bytes apart stops one core's writes from invalidating the other's line.
inline constexpr std::size_t cache_line = 64;
inline constexpr std::size_t false_sharing_span = 128;

/// For the queues' layout checks (offsets from offsetof in an object aligned to a span):
/// whether the member at `first` (of `first_size` bytes) ends in an earlier span than the
/// member at `second` starts, so that writes to one never invalidate the other.
inline constexpr bool in_different_spans(std::size_t first, std::size_t first_size, std::size_t second) {
  return (first + first_size - 1) / false_sharing_span < second / false_sharing_span;
}
/// Whether the members at `first` and `second` start in one span (they travel together).
inline constexpr bool in_one_span(std::size_t first, std::size_t second) {
  return first / false_sharing_span == second / false_sharing_span;
}

inline constexpr std::size_t round_up_to_power_of_two(std::size_t n) {
  std::size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace ipcsim::core
