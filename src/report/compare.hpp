#pragma once
// Comparing two summary CSVs row by row: "before and after", usable as a CI gate.
#include <string>
#include <vector>

#include "table.hpp"

namespace ipcsim::report {

struct CompareOptions {
  std::vector<std::string> metrics = {"throughput_msgs_per_s", "latency_mean_s",  "latency_p50_s", "latency_p99_s",
                                      "messages_delivered",    "messages_failed", "messages_lost"};
  double threshold_percent = 5;
  /// Columns whose values match a row of one file with a row of the other; empty: the
  /// scenario's name and the swept parameters (the same sweep in both files).
  std::vector<std::string> match;
};

struct Comparison {
  /// Where a difference lies against the 95% intervals of replicated files (`<metric>_ci95`
  /// in both): beyond the half-width of the difference's, sqrt(ci_base^2 + ci_new^2), or not.
  enum class Interval { none, within, outside };
  /// One compared value: the point's label, the metric, both values as printed ("-": none),
  /// their difference and ratio ("-" when there is none), where the difference lies against
  /// the intervals, whether it got worse beyond the threshold (and outside the intervals).
  struct Row {
    std::string point, metric, base, next, diff, ratio;
    Interval interval = Interval::none;
    bool beyond = false;
  };
  std::vector<Row> rows;
  std::vector<std::string> only_in_base_points, only_in_new_points;  // labels of unmatched rows
  std::string base_file, next_file;
  double threshold_percent = 0;
  std::size_t values = 0;            // metric values compared
  std::size_t beyond = 0;            // changed beyond the threshold in the bad direction (and outside the intervals)
  std::size_t within_intervals = 0;  // changed beyond the threshold in the bad direction, within the intervals
  bool regressed() const { return beyond > 0 || !only_in_base_points.empty() || !only_in_new_points.empty(); }
};

/// How compare prints: an aligned table with a closing line, CSV (one row per value), or JSON.
enum class CompareFormat { text, csv, json };
std::string render(const Comparison& comparison, CompareFormat format);

/// Matches rows on the scenario and the swept parameters (both files must sweep the same
/// paths), or on the `match` columns. InputError for a file that is no summary CSV, a
/// repeated row, a missing match column or a non-number.
Comparison compare_summaries(const Table& base, const Table& next, const CompareOptions& options);

}  // namespace ipcsim::report
