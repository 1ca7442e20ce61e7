#include "input_error.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace ipcsim {

InputError::InputError(const SourceMark& where, const std::string& message)
    : std::runtime_error(where.line > 0 ? fmt::format("{}:{}:{}: error: {}", where.file,
                                                      where.line, where.column, message)
                                        : fmt::format("{}: error: {}", where.file, message)),
      where_(where) {}

std::string read_input_file(const std::string& path, const std::string& expected) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path}, "cannot open file: expected " + expected);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError({path}, "cannot read file: expected " + expected);
  return text.str();
}

}  // namespace ipcsim
