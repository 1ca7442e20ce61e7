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
  std::string text;        // an aligned table and a closing summary line
  std::size_t values = 0;  // metric values compared
  std::size_t beyond = 0;  // changed beyond the threshold in the bad direction
  std::size_t only_in_base = 0, only_in_new = 0;
  bool regressed() const { return beyond > 0 || only_in_base > 0 || only_in_new > 0; }
};

/// Matches rows on the scenario and the swept parameters (both files must sweep the same
/// paths). InputError for a file that is no summary CSV, a repeated row or a non-number.
Comparison compare_summaries(const Table& base, const Table& next, const CompareOptions& options);

}  // namespace ipcsim::report
