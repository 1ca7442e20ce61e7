#include "replications.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "csv.hpp"

namespace ipcsim::report {

std::uint64_t replication_seed(std::uint64_t seed, std::size_t r) { return seed + r; }

double student_t95(std::size_t degrees) {
  // Few degrees of freedom: the quantiles themselves (to 6 digits). From 10 on, the
  // Cornish-Fisher expansion around the normal quantile is within 1e-5 of them.
  static constexpr std::array<double, 9> small{12.706205, 4.302653, 3.182446, 2.776445, 2.570582,
                                               2.446912,  2.364624, 2.306004, 2.262157};
  if (degrees == 0) throw std::invalid_argument("student_t95: no degrees of freedom");
  if (degrees <= small.size()) return small[degrees - 1];
  const double z = 1.959963984540054, n = static_cast<double>(degrees);
  const double z2 = z * z;
  return z + z * (z2 + 1) / (4 * n) + z * ((5 * z2 + 16) * z2 + 3) / (96 * n * n) +
         z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / (384 * n * n * n) +
         z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) / (92160 * n * n * n * n);
}

MeanInterval mean_interval(std::span<const double> values) {
  MeanInterval interval;
  if (values.empty()) return interval;
  const double n = static_cast<double>(values.size());
  double sum = 0;
  for (double v : values) sum += v;
  interval.mean = sum / n;
  if (values.size() < 2) return interval;
  double squares = 0;
  for (double v : values) squares += (v - interval.mean) * (v - interval.mean);
  interval.half_width = student_t95(values.size() - 1) * std::sqrt(squares / (n - 1) / n);
  return interval;
}

void pool_messages(model::RunResult& into, const model::RunResult& from) {
  into.messages.merge(from.messages);
  for (auto list : {&model::RunResult::channels, &model::RunResult::channel_instances})
    for (std::size_t c = 0; c < (into.*list).size(); ++c) (into.*list)[c].messages.merge((from.*list).at(c).messages);
}

namespace {

// The numbers of column `j` over the replications, skipping empty cells (a latency with no
// delivery). Every cell was written by csv_number, so it reads back.
std::vector<double> numbers_of(std::span<const Columns> replications, std::size_t j) {
  std::vector<double> values;
  for (const Columns& row : replications) {
    const std::string& text = row[j].value;
    if (text.empty()) continue;
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size())
      throw std::logic_error(fmt::format("column {} holds no number: {}", row[j].name, text));
    values.push_back(value);
  }
  return values;
}

// One text when the replications agree, else each replication's that has one.
std::string outcome_text(std::span<const Columns> replications, std::size_t j) {
  const std::string& first = replications.front()[j].value;
  if (std::all_of(replications.begin(), replications.end(), [&](const Columns& row) { return row[j].value == first; }))
    return first;
  std::string text;
  for (std::size_t r = 0; r < replications.size(); ++r)
    if (const std::string& value = replications[r][j].value; !value.empty())
      text += fmt::format("{}{}: {}", text.empty() ? "" : "; ", r + 1, value);
  return text;
}

}  // namespace

Columns replicated_columns(std::span<const Columns> replications, const Columns& pooled) {
  const Columns& first = replications.front();
  for (const Columns& row : replications)
    if (row.size() != first.size() || pooled.size() != first.size())
      throw std::logic_error("replications with different columns");
  Columns folded;
  for (std::size_t j = 0; j < first.size(); ++j) {
    const Column& column = first[j];
    if (pooled[j].name != column.name) throw std::logic_error("the pooled row has other columns");
    if (column.kind == ColumnKind::label) {
      folded.push_back(column);
      continue;
    }
    if (column.kind == ColumnKind::outcome) {
      folded.push_back({column.name, outcome_text(replications, j), column.kind});
      continue;
    }
    const std::vector<double> values = numbers_of(replications, j);
    if (column.kind == ColumnKind::maximum) {
      folded.push_back({column.name, values.empty() ? "" : csv_number(*std::max_element(values.begin(), values.end())),
                        column.kind});
      continue;
    }
    const MeanInterval interval = mean_interval(values);
    const std::string value = values.empty()                      ? std::string{}
                              : column.kind == ColumnKind::metric ? csv_number(interval.mean)
                                                                  : pooled[j].value;
    folded.push_back({column.name, value, column.kind});
    folded.push_back({column.name + "_ci95", interval.half_width ? csv_number(*interval.half_width) : ""});
  }
  return folded;
}

std::vector<Columns> point_rows(std::span<const Summary> runs, const Summary& pooled,
                                const std::function<std::vector<Columns>(const Summary&)>& rows_of) {
  if (runs.size() == 1) return rows_of(runs.front());
  std::vector<std::vector<Columns>> per_run;
  per_run.reserve(runs.size());
  for (const Summary& run : runs) per_run.push_back(rows_of(run));
  std::vector<Columns> rows = rows_of(pooled);
  std::vector<Columns> same_row(runs.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    for (std::size_t r = 0; r < runs.size(); ++r) same_row[r] = std::move(per_run[r].at(k));
    rows[k] = replicated_columns(same_row, rows[k]);
  }
  return rows;
}

const std::vector<std::string>& histogram_header() {
  static const std::vector<std::string> header{"point", "replication", "distribution", "count", "min_s", "max_s"};
  return header;
}

void add_histogram_rows(TextRows& rows, std::size_t point, std::size_t replication, const model::RunResult& result,
                        Runner runner) {
  auto add = [&](std::string_view distribution, const model::Quantiles& values) {
    for (const model::Quantiles::Bucket& b : values.buckets)
      rows.push_back({std::to_string(point), std::to_string(replication), std::string(distribution),
                      std::to_string(b.count), fmt::format("{:.17g}", b.min), fmt::format("{:.17g}", b.max)});
  };
  const model::MessageStats& m = result.messages;
  if (runner == Runner::measured) {
    add("measured_latency", m.latency);
    return;
  }
  add("latency", m.latency);
  add("send_block", m.send_block);
  add("response", m.response);
  add("end_to_end", m.end_to_end);
}

Columns replication_row(Columns row, std::size_t replication) {
  auto after = std::find_if(row.begin(), row.end(), [](const Column& c) { return c.name == "replications"; });
  if (after == row.end()) throw std::logic_error("a replication's row without a replications column");
  row.insert(after + 1, {"replication", std::to_string(replication), ColumnKind::label});
  return row;
}

}  // namespace ipcsim::report
