#pragma once
// Replications: each point of a run simulated N times with seeds of its own, folded into the
// point's row. A number becomes the replications' mean with the half-width of its 95%
// confidence interval (Student t); a percentile is pooled over every replication's values.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "model/run_result.hpp"
#include "summary.hpp"

namespace ipcsim::report {

/// The seed of replication `r` (from 0) of a point whose scenario has `seed`: seed + r modulo
/// 2^64. The first replication is the scenario's own run, and `ipcsim run --seed` with a
/// replication's seed runs it alone.
std::uint64_t replication_seed(std::uint64_t seed, std::size_t r);

/// The t with P(-t < T < t) = 0.95 for Student's T with `degrees` (>= 1) degrees of freedom.
double student_t95(std::size_t degrees);

/// A sample's mean and the half-width of the 95% confidence interval of the mean; no
/// half-width for fewer than two values.
struct MeanInterval {
  double mean = 0;
  std::optional<double> half_width;
};
MeanInterval mean_interval(std::span<const double> values);

/// Adds another replication's message figures (totals and per channel) to `into`, as if its
/// messages had been sent in `into`'s run: the summary of the pooled run has the pooled
/// percentiles. Its other figures stay `into`'s.
void pool_messages(model::RunResult& into, const model::RunResult& from);

/// A point's row from the rows of its replications (the same columns, in replication order)
/// and the row of their pooled run (pool_messages), by ColumnKind: a label as the first
/// replication's; an outcome as it is when all agree, else each replication's ("1: completed;
/// 2: deadlock"); a metric as the mean, then `<name>_ci95`; a quantile as the pooled value,
/// then `<name>_ci95` of the replications' own; a maximum as the largest.
Columns replicated_columns(std::span<const Columns> replications, const Columns& pooled);

/// The rows `rows_of` gives for a point: those of its one run, or, replicated, the fold of
/// its replications' rows (replicated_columns) with those of their pooled run's summary.
std::vector<Columns> point_rows(std::span<const Summary> runs, const Summary& pooled,
                                const std::function<std::vector<Columns>(const Summary&)>& rows_of);

using TextRows = std::vector<std::vector<std::string>>;

/// Which runner's distributions: the simulation's (latency, send_block, response,
/// end_to_end) or the measured replay's (measured_latency), named as their columns' prefixes.
enum class Runner { simulated, measured };

/// The columns of the histograms CSV a shard of a replicated run writes beside its rows, for
/// merge to pool percentiles exactly: point, replication, distribution, count, min_s, max_s.
const std::vector<std::string>& histogram_header();
/// Adds the rows of one run's distributions: a row per bucket, its bounds written exactly.
void add_histogram_rows(TextRows& rows, std::size_t point, std::size_t replication, const model::RunResult& result,
                        Runner runner);

/// A replication's summary row as the replications CSV has it: `replication` (from 1) after
/// the `replications` column.
Columns replication_row(Columns row, std::size_t replication);

}  // namespace ipcsim::report
