#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ipcsim::cli {

// Exit codes shared by every subcommand.
inline constexpr int exit_ok = 0;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_deadlock = 3;
inline constexpr int exit_failure = 1;

struct RunArgs {
  std::string scenario;
  std::string output;  // empty: results/<scenario name>.csv
  std::string trace;   // empty: no trace
  std::optional<std::uint64_t> seed;
  std::vector<std::string> overrides;  // --set path=value
  unsigned jobs = 0;                   // sweep points run at once; 0: one per core
  bool verbose = false;
  bool quiet = false;
};

int run_command(const RunArgs& args);
int validate_command(const std::string& scenario);

}  // namespace ipcsim::cli
