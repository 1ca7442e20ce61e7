#include "human_units.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace ipcsim::report {
namespace {

// 1.86 with a decimal prefix: "1.86 M".
std::string with_prefix(double value, std::string_view unit) {
  constexpr std::array<const char*, 6> prefixes{"", "k", "M", "G", "T", "P"};
  std::size_t prefix = 0;
  while (std::abs(value) >= 1000 && prefix + 1 < prefixes.size()) {
    value /= 1000;
    ++prefix;
  }
  return fmt::format("{:.3g} {}{}", value, prefixes[prefix], unit);
}

}  // namespace

std::string human_seconds(double seconds) {
  const double magnitude = std::abs(seconds);
  if (magnitude >= 100) return fmt::format("{:.0f} s", seconds);
  if (magnitude >= 1 || magnitude == 0) return fmt::format("{:.3g} s", seconds);
  if (magnitude >= 1e-3) return fmt::format("{:.3g} ms", seconds * 1e3);
  if (magnitude >= 1e-6) return fmt::format("{:.3g} µs", seconds * 1e6);
  return fmt::format("{:.3g} ns", seconds * 1e9);
}

std::string human_bytes_per_second(double rate) { return with_prefix(rate, "B/s"); }

std::string human_value(std::string_view column, double value) {
  if (column.ends_with("_bytes_per_s")) return human_bytes_per_second(value);
  if (column.ends_with("_msgs_per_s")) return fmt::format("{:.6g} msg/s", value);
  if (column.ends_with("_per_s") || column.ends_with("_per_wall_s")) return fmt::format("{:.6g}/s", value);
  if (column.ends_with("_s")) return human_seconds(value);
  if (column.ends_with("_bytes")) return with_prefix(value, "B");
  if (column.ends_with("_fraction")) return fmt::format("{:.1f}%", 100 * value);
  return fmt::format("{:.6g}", value);
}

}  // namespace ipcsim::report
