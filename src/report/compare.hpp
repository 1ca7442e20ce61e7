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
};

struct Comparison {
  /// One compared value: the point's label, the metric, both values as printed ("-": none),
  /// their difference and ratio ("-" when there is none), whether it got worse beyond the threshold.
  struct Row {
    std::string point, metric, base, next, diff, ratio;
    bool beyond = false;
  };
  std::vector<Row> rows;
  std::vector<std::string> only_in_base_points, only_in_new_points;  // labels of unmatched rows
  std::string base_file, next_file;
  double threshold_percent = 0;
  std::size_t values = 0;  // metric values compared
  std::size_t beyond = 0;  // changed beyond the threshold in the bad direction
  bool regressed() const { return beyond > 0 || !only_in_base_points.empty() || !only_in_new_points.empty(); }
};

/// How compare prints: an aligned table with a closing line, CSV (one row per value), or JSON.
enum class CompareFormat { text, csv, json };
std::string render(const Comparison& comparison, CompareFormat format);

/// Matches rows on the scenario and the swept parameters (both files must sweep the same
/// paths). InputError for a file that is no summary CSV, a repeated row or a non-number.
Comparison compare_summaries(const Table& base, const Table& next, const CompareOptions& options);

}  // namespace ipcsim::report
