#pragma once
// Physical quantities of a scenario, parsed once at the edge so the rest of the code
// never mixes a simulated time with a byte count.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

// Each parser returns nullopt when the text is not a number followed by a known unit.
std::optional<Seconds> parse_duration(std::string_view text);
std::optional<Bytes> parse_size(std::string_view text);
std::optional<Bandwidth> parse_bandwidth(std::string_view text);
std::optional<Speed> parse_speed(std::string_view text);

// Parses a size or duration with units into its base unit (bytes, seconds).
enum class Quantity { duration, size };
std::optional<double> parse_quantity(Quantity kind, std::string_view text);
std::string_view unit_hint(Quantity kind);

}  // namespace ipcsim
