#include "compare.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>

#include "human_units.hpp"
#include "scenario/input_error.hpp"
#include "scenario/text.hpp"
#include "summary.hpp"

namespace ipcsim::report {
namespace {

using Key = std::vector<std::string>;  // the values of the matched columns

// How rows of a file are matched: the columns whose values make a row's key, and their names
// for labels (for the default, the scenario's name is left out of labels).
struct Matching {
  std::vector<std::size_t> columns;
  std::vector<std::string> label_names;
  bool labels_skip_first = false;
};

Matching matching_of(const Table& table, const std::vector<std::string>& match) {
  Matching m;
  if (match.empty()) {
    m.columns.push_back(0);  // the scenario's name
    for (std::size_t column : parameter_columns(table)) m.columns.push_back(column);
    m.label_names = short_names(parameter_names(table));
    m.labels_skip_first = true;
    return m;
  }
  parameter_columns(table);  // checks that it is a summary CSV
  for (const std::string& name : match) m.columns.push_back(table.require_column(name, "(named by --match)"));
  m.label_names = short_names(match);
  return m;
}

Key key_of(const Table& table, std::size_t row, const Matching& matching) {
  Key key;
  for (std::size_t column : matching.columns) key.push_back(table.rows[row][column]);
  return key;
}

// Row index by key; a key seen twice is an error at its second line.
std::map<Key, std::size_t> index_rows(const Table& table, const Matching& matching) {
  std::map<Key, std::size_t> rows;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    auto [it, inserted] = rows.emplace(key_of(table, r, matching), r);
    if (!inserted)
      throw InputError({table.file, table.lines[r], 1},
                       fmt::format("this row has the {} of line {}: expected one row per point",
                                   matching.labels_skip_first ? "scenario and parameters" : "matched values",
                                   table.lines[it->second]));
  }
  return rows;
}

std::string label_of(const Key& key, const Matching& matching) {
  if (matching.label_names.empty()) return key[0];
  return point_label(matching.label_names, std::span(key).subspan(matching.labels_skip_first ? 1 : 0));
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
  std::optional<std::size_t> base_interval, next_interval;  // `<name>_ci95`, in replicated files
};

std::vector<Metric> metrics_of(const Table& base, const Table& next, const std::vector<std::string>& names) {
  std::vector<Metric> metrics;
  metrics.reserve(names.size());
  for (const std::string& name : names) {
    std::size_t in_base = find_metric(base, name, "--metrics");
    const std::string& column = base.header[in_base];
    metrics.push_back({column, in_base, find_metric(next, column, "--metrics"), base.column(column + "_ci95"),
                       next.column(column + "_ci95")});
  }
  return metrics;
}

// The row for one metric of rows present in both files, counted in `result`.
void compare_values(const Table& base, std::size_t b, const Table& next, std::size_t n, const Metric& metric,
                    const std::string& label, double threshold_percent, Comparison& result) {
  auto number = [](std::optional<double> v) { return v ? fmt::format("{:.6g}", *v) : std::string("-"); };
  std::optional<double> old_value = number_at(base, b, metric.base_column);
  std::optional<double> new_value = number_at(next, n, metric.next_column);
  if (!old_value && !new_value) return;
  ++result.values;
  std::string diff = "-", ratio = "-";
  bool worse = true;  // a value that appeared or vanished is a change beyond any threshold
  Comparison::Interval interval = Comparison::Interval::none;
  if (old_value && new_value) {
    diff = fmt::format("{:+.6g}", *new_value - *old_value);
    if (*old_value != 0) ratio = fmt::format("{:.4f}", *new_value / *old_value);
    worse = is_worse(better_of(metric.name), change_percent(*old_value, *new_value), threshold_percent);
    const std::optional<double> old_half =
        metric.base_interval ? number_at(base, b, *metric.base_interval) : std::nullopt;
    const std::optional<double> new_half =
        metric.next_interval ? number_at(next, n, *metric.next_interval) : std::nullopt;
    if (old_half && new_half)
      interval = std::abs(*new_value - *old_value) > std::hypot(*old_half, *new_half) ? Comparison::Interval::outside
                                                                                      : Comparison::Interval::within;
  }
  if (worse && interval == Comparison::Interval::within) {
    ++result.within_intervals;
    worse = false;
  }
  if (worse) ++result.beyond;
  result.rows.push_back({label, metric.name, number(old_value), number(new_value), diff, ratio, interval, worse});
}

std::string json_strings(const std::vector<std::string>& texts) {
  std::vector<std::string> quoted;
  quoted.reserve(texts.size());
  for (const std::string& t : texts) quoted.push_back(json_string(t));
  return fmt::format("[{}]", fmt::join(quoted, ", "));
}

std::string_view interval_name(Comparison::Interval interval) {
  switch (interval) {
    case Comparison::Interval::within:
      return "within";
    case Comparison::Interval::outside:
      return "outside";
    case Comparison::Interval::none:
      break;
  }
  return "";
}

std::string as_text(const Comparison& c) {
  const bool intervals = std::any_of(c.rows.begin(), c.rows.end(),
                                     [](const Comparison::Row& r) { return r.interval != Comparison::Interval::none; });
  std::vector<std::vector<std::string>> lines{{"point", "metric", "base", "new", "diff", "ratio"}};
  if (intervals) lines.front().push_back("95% intervals");
  lines.front().push_back("");
  // In the metric's unit for the eye; the CSV and JSON keep the numbers as they are.
  auto human = [](const std::string& metric, const std::string& cell, bool signed_difference) {
    if (cell == "-") return cell;
    const double value = std::strtod(cell.c_str(), nullptr);  // no throw: a denormal underflows stod
    const std::string text = human_value(metric, std::abs(value));
    return signed_difference ? (value < 0 ? "-" : "+") + text : human_value(metric, value);
  };
  for (const Comparison::Row& r : c.rows) {
    std::vector<std::string>& line =
        lines.emplace_back(std::vector{r.point, r.metric, human(r.metric, r.base, false),
                                       human(r.metric, r.next, false), human(r.metric, r.diff, true), r.ratio});
    if (intervals) line.emplace_back(interval_name(r.interval));
    line.emplace_back(r.beyond ? "!" : "");
  }
  std::string only;
  for (const std::string& point : c.only_in_base_points) only += fmt::format("only in {}: {}\n", c.base_file, point);
  for (const std::string& point : c.only_in_new_points) only += fmt::format("only in {}: {}\n", c.next_file, point);
  return aligned_columns(lines, 2) + only +
         fmt::format(
             "{} values compared; {} beyond {:g}% in the bad direction (marked !){}; {} rows only in {}, {} only "
             "in {}\n",
             c.values, c.beyond, c.threshold_percent,
             intervals ? fmt::format(", {} more within the 95% intervals (not counted)", c.within_intervals) : "",
             c.only_in_base_points.size(), c.base_file, c.only_in_new_points.size(), c.next_file);
}

std::string as_csv(const Comparison& c) {
  std::vector<std::vector<std::string>> cells;
  for (const Comparison::Row& r : c.rows)
    cells.push_back({r.point, r.metric, r.base == "-" ? "" : r.base, r.next == "-" ? "" : r.next,
                     r.diff == "-" ? "" : r.diff, r.ratio == "-" ? "" : r.ratio, std::string(interval_name(r.interval)),
                     r.beyond ? "1" : "0"});
  return table_csv({"point", "metric", "base", "new", "diff", "ratio", "interval", "beyond"}, cells);
}

// A printed number as JSON takes it: no leading '+', null for none, and infinities and NaNs
// (which a CSV may hold) as strings.
std::string json_number(std::string_view printed) {
  if (printed == "-") return "null";
  if (printed.starts_with('+')) printed.remove_prefix(1);
  if (printed.find_first_of("infINF") != std::string_view::npos) return json_string(printed);
  return std::string(printed);
}

std::string as_json(const Comparison& c) {
  std::vector<std::string> rows;
  for (const Comparison::Row& r : c.rows)
    rows.push_back(fmt::format(
        R"({{"point": {}, "metric": {}, "base": {}, "new": {}, "diff": {}, "ratio": {}, )"
        R"("interval": {}, "beyond": {}}})",
        json_string(r.point), json_string(r.metric), json_number(r.base), json_number(r.next), json_number(r.diff),
        json_number(r.ratio),
        r.interval == Comparison::Interval::none ? "null" : json_string(interval_name(r.interval)), r.beyond));
  return fmt::format(R"({{"base_file": {}, "new_file": {}, "threshold_percent": {:g}, "values": {}, "beyond": {}, )"
                     R"("within_intervals": {}, "only_in_base": {}, "only_in_new": {}, "regressed": {}, "rows": [{}]}})"
                     "\n",
                     json_string(c.base_file), json_string(c.next_file), c.threshold_percent, c.values, c.beyond,
                     c.within_intervals, json_strings(c.only_in_base_points), json_strings(c.only_in_new_points),
                     c.regressed(), fmt::join(rows, ", "));
}

}  // namespace

Comparison compare_summaries(const Table& base, const Table& next, const CompareOptions& options) {
  if (options.match.empty()) check_same_sweep(base, next);
  const std::vector<Metric> metrics = metrics_of(base, next, options.metrics);
  const Matching base_matching = matching_of(base, options.match), next_matching = matching_of(next, options.match);
  const std::map<Key, std::size_t> base_rows = index_rows(base, base_matching);
  const std::map<Key, std::size_t> next_rows = index_rows(next, next_matching);

  Comparison result;
  result.base_file = base.file;
  result.next_file = next.file;
  result.threshold_percent = options.threshold_percent;
  for (std::size_t b = 0; b < base.rows.size(); ++b) {
    const Key key = key_of(base, b, base_matching);
    auto match = next_rows.find(key);
    if (match == next_rows.end()) continue;
    for (const Metric& metric : metrics)
      compare_values(base, b, next, match->second, metric, label_of(key, base_matching), options.threshold_percent,
                     result);
  }
  auto list_missing = [&](const Table& from, const Matching& matching, const std::map<Key, std::size_t>& other,
                          std::vector<std::string>& to) {
    for (std::size_t r = 0; r < from.rows.size(); ++r)
      if (Key key = key_of(from, r, matching); !other.count(key)) to.push_back(label_of(key, matching));
  };
  list_missing(base, base_matching, next_rows, result.only_in_base_points);
  list_missing(next, next_matching, base_rows, result.only_in_new_points);
  return result;
}

std::string render(const Comparison& comparison, CompareFormat format) {
  switch (format) {
    case CompareFormat::csv:
      return as_csv(comparison);
    case CompareFormat::json:
      return as_json(comparison);
    case CompareFormat::text:
      break;
  }
  return as_text(comparison);
}

}  // namespace ipcsim::report
