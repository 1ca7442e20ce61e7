#pragma once
#include <cstddef>
#include <cstdint>

namespace ipcsim::core {

/// 64-byte lines, and the adjacent-line prefetcher of x86 pulls pairs: keeping hot
/// indices 128 bytes apart stops one core's writes from invalidating the other's line.
inline constexpr std::size_t cache_line = 64;
inline constexpr std::size_t false_sharing_span = 128;

inline constexpr std::size_t round_up_to_power_of_two(std::size_t n) {
  std::size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace ipcsim::core
