#pragma once
// Numbers for a person at a terminal: "97.4 µs", "1.86 MB/s", "22.3%". The CSVs keep SI base
// units; what a column holds, its name says (results/README.md).
#include <string>
#include <string_view>

namespace ipcsim::report {

std::string human_seconds(double seconds);
std::string human_bytes_per_second(double rate);
/// `value` of the column `column`, in the unit its name's suffix gives (_s, _bytes_per_s,
/// _msgs_per_s, _bytes, _fraction); other numbers with six significant digits.
std::string human_value(std::string_view column, double value);

}  // namespace ipcsim::report
