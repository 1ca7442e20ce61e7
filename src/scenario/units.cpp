#include "units.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace ipcsim {
namespace {

struct Unit {
  std::string_view suffix;
  double factor;
};

// µs and μs: the micro sign (U+00B5) and the Greek mu (U+03BC), both typed for microseconds.
constexpr std::array duration_units{Unit{"ns", 1e-9}, Unit{"us", 1e-6}, Unit{"\u00b5s", 1e-6}, Unit{"\u03bcs", 1e-6},
                                    Unit{"ms", 1e-3}, Unit{"s", 1.0},   Unit{"min", 60.0},     Unit{"h", 3600.0}};
constexpr std::array size_units{Unit{"B", 1.0},
                                Unit{"KB", 1e3},
                                Unit{"kB", 1e3},
                                Unit{"MB", 1e6},
                                Unit{"GB", 1e9},
                                Unit{"KiB", 1024.0},
                                Unit{"MiB", 1024.0 * 1024},
                                Unit{"GiB", 1024.0 * 1024 * 1024}};
constexpr std::array bandwidth_units{Unit{"B/s", 1.0},
                                     Unit{"KB/s", 1e3},
                                     Unit{"kB/s", 1e3},
                                     Unit{"MB/s", 1e6},
                                     Unit{"GB/s", 1e9},
                                     Unit{"KiB/s", 1024.0},
                                     Unit{"MiB/s", 1024.0 * 1024},
                                     Unit{"GiB/s", 1024.0 * 1024 * 1024},
                                     Unit{"bps", 1.0 / 8},
                                     Unit{"Kbps", 1e3 / 8},
                                     Unit{"kbps", 1e3 / 8},
                                     Unit{"Mbps", 1e6 / 8},
                                     Unit{"Gbps", 1e9 / 8}};
constexpr std::array speed_units{Unit{"f", 1.0}, Unit{"kf", 1e3}, Unit{"Mf", 1e6}, Unit{"Gf", 1e9}, Unit{"Tf", 1e12}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits "12.5 ms" into 12.5 and "ms"; the number must be finite and non-negative.
template <std::size_t N>
std::optional<double> parse_with_units(std::string_view text, const std::array<Unit, N>& units) {
  text = trim(text);
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc{} || end == text.data() || !std::isfinite(number) || number < 0) return std::nullopt;
  std::string_view suffix = trim(std::string_view(end, text.data() + text.size() - end));
  for (const Unit& unit : units)
    if (suffix == unit.suffix) return number * unit.factor;
  return std::nullopt;
}

}  // namespace

std::optional<Seconds> parse_duration(std::string_view text) {
  if (auto v = parse_quantity(Quantity::duration, text)) return Seconds{*v};
  return std::nullopt;
}

std::optional<Bytes> parse_size(std::string_view text) {
  auto v = parse_quantity(Quantity::size, text);
  if (!v || std::floor(*v) != *v) return std::nullopt;
  return Bytes{static_cast<std::uint64_t>(*v)};
}

std::optional<Bandwidth> parse_bandwidth(std::string_view text) {
  if (trim(text) == "infinite" || trim(text) == "unbounded") return Bandwidth{HUGE_VAL};
  auto v = parse_with_units(text, bandwidth_units);
  if (!v || *v < min_bandwidth_bytes_per_s || *v > max_bandwidth_bytes_per_s) return std::nullopt;
  return Bandwidth{*v};
}

std::optional<Speed> parse_speed(std::string_view text) {
  auto v = parse_with_units(text, speed_units);
  if (!v || *v < min_speed_flops || *v > max_speed_flops) return std::nullopt;
  return Speed{*v};
}

std::optional<double> parse_rate(std::string_view text) {
  text = trim(text);
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  double count = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + slash, count);
  if (ec != std::errc{} || end == text.data() || trim(std::string_view(end, text.data() + slash - end)) != "" ||
      !std::isfinite(count) || count <= 0)
    return std::nullopt;
  // "900/s": per one of the unit; "900/10ms" would read as per 10 ms, which nobody writes.
  const std::string_view per = trim(text.substr(slash + 1));
  for (const Unit& unit : duration_units)
    if (per == unit.suffix) {
      const double rate = count / unit.factor;
      return rate >= 1 / max_duration_s && std::isfinite(rate) ? std::optional{rate} : std::nullopt;
    }
  return std::nullopt;
}

std::optional<double> parse_quantity(Quantity kind, std::string_view text) {
  auto v = kind == Quantity::duration ? parse_with_units(text, duration_units) : parse_with_units(text, size_units);
  if (v && *v > (kind == Quantity::duration ? max_duration_s : max_size_bytes)) return std::nullopt;
  return v;
}

std::string_view unit_hint(Quantity kind) {
  return kind == Quantity::duration ? "a duration such as 10ms (units: ns, us or \u00b5s, ms, s, min, h; at most 1e9 s)"
                                    : "a size such as 1KiB (units: B, KB or kB, MB, GB, KiB, MiB, GiB; at most 1e15 B)";
}

std::string_view bandwidth_hint() {
  return "a bandwidth such as 1Gbps or 125MB/s (units: B/s, KB/s or kB/s, MB/s, GB/s, KiB/s, MiB/s, GiB/s, bps, "
         "Kbps or kbps, Mbps, Gbps; from 1bps to 1e18 B/s) or 'infinite' (or 'unbounded')";
}

std::string_view speed_hint() { return "a speed such as 1Gf (units: f, kf, Mf, Gf, Tf; from 1f to 1e18 f)"; }

std::vector<std::string_view> unit_suffixes(UnitsOf kind) {
  std::vector<std::string_view> suffixes;
  auto add = [&](const auto& units) {
    for (const Unit& unit : units) suffixes.push_back(unit.suffix);
  };
  switch (kind) {
    case UnitsOf::duration:
      add(duration_units);
      break;
    case UnitsOf::size:
      add(size_units);
      break;
    case UnitsOf::bandwidth:
      add(bandwidth_units);
      break;
    case UnitsOf::speed:
      add(speed_units);
      break;
  }
  return suffixes;
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  std::uint64_t value = 0;
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;  // past 2^64-1
  return value;
}

}  // namespace ipcsim
