#include "option_checks.hpp"

#include <fmt/format.h>

#include <charconv>

#include "scenario/units.hpp"

namespace ipcsim::cli {

CLI::Validator finite_in(double low, double high) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc{} || end != text.data() + text.size() || !(value >= low && value <= high))
          return fmt::format("expected a number from {:g} to {:g}, found '{}'", low, high, text);
        return {};
      },
      fmt::format("NUMBER in [{:g}, {:g}]", low, high));
}

const CLI::Validator whole_number(
    [](std::string& text) -> std::string {
      return parse_unsigned(text)
                 ? ""
                 : fmt::format("expected a whole number from 0 to 18446744073709551615, found '{}'", text);
    },
    "0..2^64-1");

const CLI::Validator file_name(
    [](std::string& text) { return text.empty() ? "expected a file name, found nothing" : ""; }, "FILE");

}  // namespace ipcsim::cli
