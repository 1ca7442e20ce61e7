#pragma once
// Numbers for a person at a terminal: "97.4 µs", "1.86 MB/s", "22.3%". The CSVs keep SI base
// units; what a column holds, its name says (results/README.md).
#include <string>
#include <string_view>

namespace ipcsim::report {

/// What a column holds, from its name's suffix: the one table the terminal's units and the
/// plots' axis labels read.
enum class Unit { none, messages_per_second, bytes_per_second, per_wall_second, per_second, seconds, bytes, fraction };
struct ColumnUnit {
  Unit unit = Unit::none;
  std::string_view quantity;  // the name without its unit suffix
};
ColumnUnit unit_of(std::string_view column);

std::string human_seconds(double seconds);
std::string human_bytes_per_second(double rate);
/// `value` of the column `column`, in the unit its name's suffix gives (_s, _bytes_per_s,
/// _msgs_per_s, _bytes, _fraction); other numbers with six significant digits.
std::string human_value(std::string_view column, double value);

}  // namespace ipcsim::report
