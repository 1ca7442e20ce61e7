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
  std::string shard;                   // "K/N": run only points i with i % N == K
  double max_wall = 0;                 // seconds per run; 0: no limit
  std::string memory;                  // size all runs may use together; empty: 80% of what is available
  bool measure = false;                // also replay each point on real threads
  bool verbose = false;
  bool quiet = false;
};

struct CompareArgs {
  std::string base, next;
  std::vector<std::string> metrics;  // empty: the default set
  double threshold = 5;              // percent
};

struct PlotArgs {
  std::string input;
  std::string x;
  std::vector<std::string> y;  // empty: the default metrics
  std::string output;          // empty: the input with .svg
};

struct CalibrateArgs {
  std::string output;  // empty: models/local-<host name>.yaml
  double rounds = 1;   // scales how many messages each probe sends
};

int run_command(const RunArgs& args);
int calibrate_command(const CalibrateArgs& args);
int validate_command(const std::string& scenario);
int merge_command(const std::string& output, const std::vector<std::string>& shards);
int compare_command(const CompareArgs& args);
int plot_command(const PlotArgs& args);

}  // namespace ipcsim::cli
