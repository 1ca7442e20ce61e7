#pragma once
// Physical quantities of a scenario, parsed once at the edge so the rest of the code
// never mixes a simulated time with a byte count.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ipcsim {

using Seconds = std::chrono::duration<double>;

struct Bytes {
  std::uint64_t count = 0;
  friend constexpr auto operator<=>(Bytes, Bytes) = default;
};

/// Bytes per second; +infinity means "no bandwidth limit".
struct Bandwidth {
  double bytes_per_s = 0;
};

/// Host computing speed in flop/s.
struct Speed {
  double flops = 0;
};

// The ranges every value must fall in, so that no sum or product of them in the simulation
// overflows to infinity (SimGrid aborts on one): a duration is at most about 31 years, a
// size at most 1 PB, a bandwidth at least 1 bps (or infinite), a speed from 1 f to 1 Ef.
inline constexpr double max_duration_s = 1e9;
inline constexpr double max_size_bytes = 1e15;
inline constexpr double min_bandwidth_bytes_per_s = 1.0 / 8, max_bandwidth_bytes_per_s = 1e18;
inline constexpr double min_speed_flops = 1, max_speed_flops = 1e18;

// Each parser returns nullopt when the text is not a number followed by a known unit, or
// when the value is outside its range above.
std::optional<Seconds> parse_duration(std::string_view text);
std::optional<Bytes> parse_size(std::string_view text);
std::optional<Bandwidth> parse_bandwidth(std::string_view text);
std::optional<Speed> parse_speed(std::string_view text);

// Parses a size or duration with units into its base unit (bytes, seconds).
enum class Quantity { duration, size };
std::optional<double> parse_quantity(Quantity kind, std::string_view text);
std::string_view unit_hint(Quantity kind);
/// A rate such as 900/s or 3/min, in events per second; nullopt unless positive, with a
/// duration unit after the slash, and at least one per 1e9 s.
std::optional<double> parse_rate(std::string_view text);
std::string_view bandwidth_hint();
std::string_view speed_hint();

/// The unit suffixes the parsers above accept for each kind of value (for the schema).
enum class UnitsOf { duration, size, bandwidth, speed };
std::vector<std::string_view> unit_suffixes(UnitsOf kind);

/// A whole number of digits only, from 0 to 2^64-1 (a seed, a count); nullopt otherwise.
std::optional<std::uint64_t> parse_unsigned(std::string_view text);

}  // namespace ipcsim
