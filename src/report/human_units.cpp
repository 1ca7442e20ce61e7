#include "human_units.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <utility>

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

ColumnUnit unit_of(std::string_view column) {
  // Longer suffixes first: _msgs_per_s ends with _s too.
  static constexpr std::pair<std::string_view, Unit> suffixes[] = {{"_msgs_per_s", Unit::messages_per_second},
                                                                   {"_bytes_per_s", Unit::bytes_per_second},
                                                                   {"_per_wall_s", Unit::per_wall_second},
                                                                   {"_per_s", Unit::per_second},
                                                                   {"_s", Unit::seconds},
                                                                   {"_bytes", Unit::bytes},
                                                                   {"_fraction", Unit::fraction}};
  for (const auto& [suffix, unit] : suffixes)
    if (column.size() > suffix.size() && column.ends_with(suffix))
      return {unit, column.substr(0, column.size() - suffix.size())};
  return {Unit::none, column};
}

std::string human_value(std::string_view column, double value) {
  switch (unit_of(column).unit) {
    case Unit::bytes_per_second:
      return human_bytes_per_second(value);
    case Unit::messages_per_second:
      return fmt::format("{:.6g} msg/s", value);
    case Unit::per_wall_second:
    case Unit::per_second:
      return fmt::format("{:.6g}/s", value);
    case Unit::seconds:
      return human_seconds(value);
    case Unit::bytes:
      return with_prefix(value, "B");
    case Unit::fraction:
      return fmt::format("{:.1f}%", 100 * value);
    case Unit::none:
      break;
  }
  return fmt::format("{:.6g}", value);
}

}  // namespace ipcsim::report
