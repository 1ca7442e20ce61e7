#pragma once
// What `ipcsim run` will do, decided before anything runs: the sweep's points and their
// replications (this shard's), where each result goes, how many runs at once, in what memory.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/summary.hpp"
#include "scenario/scenario.hpp"
#include "sim/memory_plan.hpp"

namespace ipcsim::cli {

struct RunArgs {
  std::string scenario;
  std::string output;           // empty: results/<scenario name>.csv
  std::string channels;         // empty: beside a summary CSV whose name ends in .csv
  std::string processes;        // likewise
  std::string trace;            // empty: no trace
  std::string events;           // empty: no events CSV
  std::string measured_events;  // empty: no events CSV of the measured replay
  std::string series;           // bin width, e.g. 10ms; empty: no series CSV
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> replications;
  std::vector<std::string> overrides;  // --set path=value
  unsigned jobs = 0;                   // sweep points run at once; 0: one per core
  std::string shard;                   // "K/N": run only points i with i % N == K
  double max_wall = 0;                 // seconds per run; 0: no limit
  std::string memory;                  // size all runs may use together; empty: 80% of what is available
  bool measure = false;                // also replay each point on real threads
  bool instances = false;              // channels and processes CSVs per instance
  bool verbose = false;
  bool quiet = false;
};

/// Shard K of N, from 0.
struct Shard {
  std::size_t index = 0, count = 1;
};

/// One simulation: replication `replication` (from 0) of chosen point `point`.
struct RunSlot {
  std::size_t point = 0, replication = 0;
};

/// What a run will do, decided before anything runs.
struct RunPlan {
  std::vector<scenario::SweepPoint> points;         // the whole sweep
  std::vector<const scenario::SweepPoint*> chosen;  // this shard's points
  std::vector<std::size_t> point_numbers;           // theirs in the sweep, from 1
  std::size_t replications = 1;                     // of every point
  std::string output;
  std::string channels_output;      // empty: no channels CSV
  std::string processes_output;     // empty: no processes CSV
  std::string replications_output;  // empty: no replications CSV
  std::string series_output;        // empty: no series CSV
  std::string histograms_output;    // a shard of a replicated run: its runs' distributions, for merge
  double series_step = 0;           // seconds
  std::size_t series_max_bins = 0;  // per run and channel, before bins merge
  report::Detail detail = report::Detail::declared;
  report::Provenance provenance;
  unsigned jobs = 1;
  std::size_t most_processes = 0;  // in any chosen point
  sim::MemoryPlan memory;

  std::vector<RunSlot> slots;       // the simulations to run: each chosen point's replications, in order
  bool split_replications = false;  // a shard of a replicated run: its rows are its replications', for merge

  std::size_t runs() const { return slots.size(); }
  /// Whether each point's replications are folded into its row here (else merge folds them).
  bool folds() const { return replications > 1 && !split_replications; }
};

/// At most this many simulations in one command: a summary of each is kept until the end.
constexpr std::size_t max_runs = 100'000;
/// With --instances: at most this many instance summaries kept over all runs (each becomes a
/// row), and channel instances in one run (each keeps its own latency histograms).
constexpr std::size_t max_instance_rows = 100'000;
constexpr std::size_t max_channel_instances = 10'000;

/// The plan, or an InputError saying what in the command line or the scenario is wrong.
RunPlan plan_run(const RunArgs& args);

/// The files a run reads: the scenario and each model or platform file its points name.
std::vector<std::string> input_files(const std::string& scenario, const std::vector<scenario::SweepPoint>& points);

}  // namespace ipcsim::cli
