#pragma once
#include <cstddef>
#include <stdexcept>
#include <string>

namespace ipcsim {

/// Where a value came from in a user's file; line and column are 1-based, 0 when unknown.
struct SourceMark {
  std::string file;
  int line = 0;
  int column = 0;
};

/// Bad user input: printed as "file:line:col: error: message" and mapped to exit code 2.
class InputError : public std::runtime_error {
 public:
  InputError(const SourceMark& where, const std::string& message);
  const SourceMark& where() const { return where_; }

 private:
  SourceMark where_;
};

/// The most a scenario, model or platform file may hold, and a result CSV.
inline constexpr std::size_t max_text_input_bytes = std::size_t{16} << 20;
inline constexpr std::size_t max_csv_input_bytes = std::size_t{1} << 30;

/// The whole file, or standard input for "-". Only regular files and pipes are read (not a
/// directory or a device such as /dev/zero), and at most `max_bytes` of them. InputError
/// naming the file otherwise (`expected` says what it should have been, e.g. "a YAML scenario").
std::string read_input_file(const std::string& path, const std::string& expected,
                            std::size_t max_bytes = max_text_input_bytes);

}  // namespace ipcsim
