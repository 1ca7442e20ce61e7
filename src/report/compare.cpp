#include "compare.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "scenario/input_error.hpp"
#include "summary.hpp"

namespace ipcsim::report {
namespace {

using Key = std::vector<std::string>;  // scenario name, then the swept values

std::vector<std::string> parameter_names(const Table& table) {
  std::vector<std::string> names;
  for (std::size_t column : parameter_columns(table)) names.push_back(table.header[column]);
  return names;
}

Key key_of(const Table& table, std::size_t row) {
  Key key{table.rows[row][0]};
  for (std::size_t column : parameter_columns(table)) key.push_back(table.rows[row][column]);
  return key;
}

// Row index by key; a key seen twice is an error at its second line.
std::map<Key, std::size_t> index_rows(const Table& table) {
  std::map<Key, std::size_t> rows;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    auto [it, inserted] = rows.emplace(key_of(table, r), r);
    if (!inserted)
      throw InputError({table.file, table.lines[r], 1},
                       fmt::format("this row has the scenario and parameters of line {}: expected one row per point",
                                   table.lines[it->second]));
  }
  return rows;
}

std::string label_of(const Key& key, const std::vector<std::string>& short_parameter_names) {
  if (short_parameter_names.empty()) return key[0];
  return point_label(short_parameter_names, std::span(key).subspan(1));
}

// Relative change in percent; infinite when a zero became something else.
double change_percent(double base, double next) {
  if (base == next) return 0;
  if (base == 0) return next > 0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
  return (next - base) / std::abs(base) * 100;
}

bool is_worse(Better better, double change, double threshold) {
  switch (better) {
    case Better::higher:
      return change < -threshold;
    case Better::lower:
      return change > threshold;
    case Better::either:
      return std::abs(change) > threshold;
  }
  return false;
}

// Pads each column to its widest cell.
std::string aligned(const std::vector<std::vector<std::string>>& lines) {
  std::vector<std::size_t> width;
  for (const auto& line : lines)
    for (std::size_t i = 0; i < line.size(); ++i) {
      width.resize(std::max(width.size(), line.size()));
      width[i] = std::max(width[i], line[i].size());
    }
  std::string text;
  for (const auto& line : lines) {
    std::string out;
    for (std::size_t i = 0; i < line.size(); ++i) out += fmt::format("{:<{}}  ", line[i], width[i]);
    out.erase(out.find_last_not_of(' ') + 1);
    text += out + '\n';
  }
  return text;
}

}  // namespace

namespace {

void check_same_sweep(const Table& base, const Table& next) {
  const std::vector<std::string> parameters = parameter_names(base);
  if (parameter_names(next) == parameters) return;
  auto list = [](const std::vector<std::string>& names) {
    return names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "));
  };
  throw InputError({next.file, 1, 1}, fmt::format("swept parameters {} differ from {}'s {}: expected the same sweep",
                                                  list(parameter_names(next)), base.file, list(parameters)));
}

struct Metric {
  std::string name;
  std::size_t base_column, next_column;
};

std::vector<Metric> metrics_of(const Table& base, const Table& next, const std::vector<std::string>& names) {
  std::vector<Metric> metrics;
  metrics.reserve(names.size());
  for (const std::string& name : names) {
    std::size_t in_base = find_metric(base, name, "--metrics");
    metrics.push_back({base.header[in_base], in_base, find_metric(next, base.header[in_base], "--metrics")});
  }
  return metrics;
}

// The table's lines for one metric of rows present in both files, counted in `result`.
void compare_values(const Table& base, std::size_t b, const Table& next, std::size_t n, const Metric& metric,
                    const std::string& label, double threshold_percent, Comparison& result,
                    std::vector<std::vector<std::string>>& lines) {
  auto number = [](std::optional<double> v) { return v ? fmt::format("{:.6g}", *v) : std::string("-"); };
  std::optional<double> old_value = number_at(base, b, metric.base_column);
  std::optional<double> new_value = number_at(next, n, metric.next_column);
  if (!old_value && !new_value) return;
  ++result.values;
  std::string diff = "-", ratio = "-";
  bool worse = true;  // a value that appeared or vanished is a change beyond any threshold
  if (old_value && new_value) {
    diff = fmt::format("{:+.6g}", *new_value - *old_value);
    if (*old_value != 0) ratio = fmt::format("{:.4f}", *new_value / *old_value);
    worse = is_worse(better_of(metric.name), change_percent(*old_value, *new_value), threshold_percent);
  }
  if (worse) ++result.beyond;
  lines.push_back({label, metric.name, number(old_value), number(new_value), diff, ratio, worse ? "!" : ""});
}

}  // namespace

Comparison compare_summaries(const Table& base, const Table& next, const CompareOptions& options) {
  check_same_sweep(base, next);
  const std::vector<Metric> metrics = metrics_of(base, next, options.metrics);
  const std::map<Key, std::size_t> base_rows = index_rows(base);
  const std::map<Key, std::size_t> next_rows = index_rows(next);
  const std::vector<std::string> labels = short_names(parameter_names(base));

  Comparison result;
  std::vector<std::vector<std::string>> lines{{"point", "metric", "base", "new", "diff", "ratio", ""}};
  for (std::size_t b = 0; b < base.rows.size(); ++b) {
    const Key key = key_of(base, b);
    auto match = next_rows.find(key);
    if (match == next_rows.end()) continue;
    for (const Metric& metric : metrics)
      compare_values(base, b, next, match->second, metric, label_of(key, labels), options.threshold_percent, result,
                     lines);
  }
  std::string only;
  auto list_missing = [&](const Table& from, const std::map<Key, std::size_t>& other, std::size_t& count) {
    for (std::size_t r = 0; r < from.rows.size(); ++r)
      if (Key key = key_of(from, r); !other.count(key)) {
        ++count;
        only += fmt::format("only in {}: {}\n", from.file, label_of(key, labels));
      }
  };
  list_missing(base, next_rows, result.only_in_base);
  list_missing(next, base_rows, result.only_in_new);
  result.text = aligned(lines) + only +
                fmt::format(
                    "{} values compared; {} beyond {:g}% in the bad direction (marked !); {} rows only in "
                    "{}, {} only in {}\n",
                    result.values, result.beyond, options.threshold_percent, result.only_in_base, base.file,
                    result.only_in_new, next.file);
  return result;
}

}  // namespace ipcsim::report
