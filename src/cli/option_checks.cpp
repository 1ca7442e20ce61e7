#include "option_checks.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string>

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

bool on_path(std::string_view program) {
  const char* path = std::getenv("PATH");
  const std::string_view dirs = path ? path : "";
  for (std::size_t at = 0; at <= dirs.size();) {
    const std::size_t end = std::min(dirs.find(':', at), dirs.size());
    const std::string dir(dirs.substr(at, end - at));
    if (!dir.empty() && ::access((dir + "/" + std::string(program)).c_str(), X_OK) == 0) return true;
    at = end + 1;
  }
  return false;
}

}  // namespace ipcsim::cli
