#pragma once
// Folds what a run reports (model/run_result.hpp) into the numbers of one summary CSV row.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/model.hpp"
#include "model/run_result.hpp"

namespace ipcsim::report {

/// A distribution of seconds as the summary shows it.
struct Percentiles {
  std::uint64_t count = 0;
  double mean = 0, p50 = 0, p95 = 0, p99 = 0, max = 0;
};

inline constexpr std::size_t reason_count = EnumNames<Reason>::table.size();

/// Messages and receive calls as the CSVs and the terminal show them: a whole run's, or one
/// declared channel's.
struct Traffic {
  std::uint64_t sent = 0, delivered = 0, failed = 0, lost = 0;
  std::array<std::uint64_t, reason_count> by_reason{};  // indexed by Reason
  double delivered_bytes = 0;
  Percentiles latency;              // send call to receive return, delivered messages
  Percentiles send_block;           // send call to send return, every send
  Percentiles response;             // request send call to the receive of its reply (requests sent here)
  Percentiles end_to_end;           // a forwarded chain's first send call to the receive here
  std::uint64_t sends_blocked = 0;  // send calls whose caller waited for another process
  double send_block_total = 0;      // seconds spent in send calls, all of them together
  model::ReceiveStats receives;

  std::uint64_t count(Reason reason) const { return by_reason[static_cast<std::size_t>(reason)]; }
  /// The share of the send calls that blocked, of all made (a message each), whether or not
  /// they returned before the run stopped; 0 when none was made.
  double blocked_fraction() const { return sent ? static_cast<double>(sends_blocked) / static_cast<double>(sent) : 0; }
};

/// One declared channel, all its instances together; or one channel instance.
struct ChannelSummary : Traffic {
  std::string name;           // the declared channel's
  std::string instance;       // the instance's (jobs@server.2), for an instance's figures
  double occupancy_mean = 0;  // messages in its buffers, averaged over time (simulated only)
  std::uint64_t occupancy_max = 0;
};

/// One process group, all its instances together: where their time went, as shares of the
/// instances' time together (instances x the run's time), and what they did.
struct ProcessSummary {
  std::string name;      // the group's
  std::string instance;  // the instance's (worker.3), for an instance's figures
  std::uint32_t instances = 0;
  double computing = 0, sending = 0, receiving = 0, sleeping = 0, dead = 0;
  double running = 0;      // the rest: between steps, which a simulation runs in no time
  double utilisation = 0;  // computing's share of the time alive (not dead)
  std::uint64_t sends = 0, receives = 0, messages_received = 0;
};

/// The figures of the measured replay (ipcsim run --measure), beside the modeled ones.
struct MeasuredSummary : Traffic {
  bool ran = false;  // false: not measurable, `note` says why
  model::StopReason stop = model::StopReason::completed;
  double elapsed = 0;  // wall seconds
  unsigned threads = 0, cores = 0;
  std::string deadlock;
  std::string note;
  std::vector<ChannelSummary> channels;           // per declared channel (no occupancy)
  std::vector<ProcessSummary> processes;          // per process group, shares of wall-clock time
  std::vector<ProcessSummary> process_instances;  // per process instance, when asked for

  /// Delivered messages per wall second; 0 when no time passed (or not run).
  double throughput() const { return elapsed > 0 ? static_cast<double>(delivered) / elapsed : 0; }
};

/// How to make a row again: the scenario file and the --set overrides as the command gave them.
struct Provenance {
  std::string scenario_file;
  std::string overrides;  // as command-line flags: --set 'path=value' ...
};

struct Summary : Traffic {
  std::string scenario;
  std::uint64_t seed = 0;
  std::string model;
  model::StopReason stop = model::StopReason::completed;
  double sim_time = 0;
  std::vector<ChannelSummary> channels;           // per declared channel, in the scenario's order
  std::vector<ProcessSummary> processes;          // per process group, in the scenario's order
  std::vector<ChannelSummary> channel_instances;  // per channel instance, when asked for
  std::vector<ProcessSummary> process_instances;  // per process instance, when asked for
  double wall_time = 0;
  std::uint64_t events = 0;
  std::string deadlock;
  std::optional<MeasuredSummary> measured;  // with --measure
  Provenance provenance;

  /// Delivered messages per simulated second; 0 when no time passed.
  double throughput() const { return sim_time > 0 ? static_cast<double>(delivered) / sim_time : 0; }
};

/// How finely a summary looks: declared channels and process groups, or also each instance
/// (for a simulated run, counted so: sim::Options::per_instance).
enum class Detail { declared, instances };

Summary summarize(const model::Model& model, const model::SimulatedRun& run, Detail detail = Detail::declared);
MeasuredSummary summarize(const model::Model& model, const model::MeasuredRun& run, Detail detail = Detail::declared);

/// What a column holds: how the replications of a point fold into the point's row.
enum class ColumnKind : std::uint8_t {
  label,     // which run the row is: the same in every replication (scenario, swept values, provenance)
  outcome,   // text that may differ between replications (stop reason, deadlock)
  metric,    // a number: the replications' mean, with a 95% interval
  quantile,  // a percentile: pooled over every replication's values, with a 95% interval
  maximum,   // a maximum: over every replication's values
};

/// What a column of an ipcsim CSV holds, by its name (a swept parameter's column is a label,
/// by its place: between `sweep_points` and `seed`).
ColumnKind kind_of(std::string_view column);

struct Column {
  std::string name, value;
  ColumnKind kind = ColumnKind::metric;
};
using Columns = std::vector<Column>;

/// Which row of a run a summary is: its sweep `point` (1-based) of `points`, the swept
/// `parameters`, and how many replications the point has (1: the row is one run).
struct RowKey {
  std::size_t point = 1, points = 1;
  std::vector<std::pair<std::string, std::string>> parameters;
  std::size_t replications = 1;
};

/// The summary as ordered columns: one list serves header and row alike. The row's key comes
/// right after the scenario's name. Units are in the names; wall-clock columns come after the
/// simulated ones (they differ between runs), provenance last.
Columns summary_columns(const Summary& summary, const RowKey& key = {});

/// One row of the channels CSV per declared channel (results/README.md), with the same
/// leading columns as the summary's row of that point.
std::vector<Columns> channel_columns(const Summary& summary, const RowKey& key = {});

/// One row of the processes CSV per process group (results/README.md), likewise.
std::vector<Columns> process_columns(const Summary& summary, const RowKey& key = {});

/// One row of the series CSV per declared channel and bin of `series` (results/README.md),
/// with the same leading columns as the summary's row of that point.
std::vector<Columns> series_columns(const Summary& summary, const model::Series& series, const RowKey& key = {});

/// Which way a summary column gets worse, for compare: lower throughput, higher latency, ...
enum class Better { higher, lower, either };
Better better_of(std::string_view column);

/// Reasons a message can fail, and be lost, in column order.
std::vector<Reason> reasons_of(Outcome outcome);

}  // namespace ipcsim::report
