#pragma once
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

/// The whole file; InputError naming it when it cannot be opened or read
/// (`expected` says what it should have been, e.g. "a readable YAML file").
std::string read_input_file(const std::string& path, const std::string& expected);

}  // namespace ipcsim
