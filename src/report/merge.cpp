#include "merge.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <map>

#include "csv.hpp"
#include "model/quantiles.hpp"
#include "replications.hpp"
#include "scenario/input_error.hpp"
#include "scenario/text.hpp"

namespace ipcsim::report {
namespace {

// A positive whole number in a cell; InputError at the row's line otherwise.
std::uint64_t count_at(const Table& table, std::size_t row, std::size_t column) {
  const std::string& cell = table.rows[row][column];
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc{} || end != cell.data() + cell.size() || value == 0)
    throw InputError({table.file, table.lines[row], 1},
                     fmt::format("column `{}` holds `{}`: expected a whole number from 1", table.header[column], cell));
  return value;
}

}  // namespace

std::string merge_shards(const std::vector<Table>& shards) {
  const Table& first = shards.at(0);
  struct Origin {
    const Table* table;
    std::size_t row;
  };
  std::map<std::uint64_t, Origin> by_point;
  std::uint64_t sweep_points = 0;
  for (const Table& shard : shards) {
    if (shard.header != first.header)
      throw InputError({shard.file, 1, 1},
                       fmt::format("expected the same columns as {}: shards of one sweep", first.file));
    parameter_columns(shard);  // checks that it is a summary CSV
    for (std::size_t r = 0; r < shard.rows.size(); ++r) {
      const std::uint64_t point = count_at(shard, r, point_column);
      const std::uint64_t points = count_at(shard, r, sweep_points_column);
      if (sweep_points == 0) sweep_points = points;
      if (points != sweep_points || point > points)
        throw InputError({shard.file, shard.lines[r], 1},
                         fmt::format("point {} of {}: expected a point of the same sweep of {} points", point, points,
                                     sweep_points));
      auto [it, inserted] = by_point.emplace(point, Origin{&shard, r});
      if (!inserted)
        throw InputError({shard.file, shard.lines[r], 1},
                         fmt::format("point {} also at {}:{}: expected each point in one shard only", point,
                                     it->second.table->file, it->second.table->lines[it->second.row]));
    }
  }
  if (by_point.size() < sweep_points) {
    std::string missing;
    std::size_t listed = 0;
    for (std::uint64_t point = 1; point <= sweep_points && listed < 10; ++point)
      if (!by_point.count(point)) missing += fmt::format("{}{}", listed++ ? ", " : "", point);
    const std::uint64_t count = sweep_points - by_point.size();
    throw InputError({first.file}, fmt::format("{} of {} points missing ({}{}): expected every shard of the sweep",
                                               count, sweep_points, missing, count > listed ? ", ..." : ""));
  }
  std::vector<std::vector<std::string>> rows;
  rows.reserve(by_point.size());
  for (const auto& [point, origin] : by_point) rows.push_back(origin.table->rows[origin.row]);
  return table_csv(first.header, rows);
}

bool holds_replications(const Table& shard) { return shard.column("replication").has_value(); }

namespace {

// A run's row in a shard.
struct RowAt {
  const Table* table;
  std::size_t row;
};
using Runs = std::map<std::uint64_t, std::map<std::uint64_t, RowAt>>;  // by point, then replication

// Each point's distributions, pooled over its replications' histograms, by point and
// distribution name; `runs` are the (point, replication) the shards hold.
using Pooled = std::map<std::pair<std::uint64_t, std::string>, model::Quantiles>;
Pooled pool_histograms(const std::vector<Table>& histograms, const Runs& runs) {
  static constexpr std::array<std::string_view, 5> distributions{"latency", "send_block", "response", "end_to_end",
                                                                 "measured_latency"};
  Pooled pooled;
  for (const Table& table : histograms) {
    if (table.header != histogram_header())
      throw InputError({table.file, 1, 1},
                       "expected the histograms CSV of a shard: point,replication,distribution,"
                       "count,min_s,max_s");
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      const SourceMark at{table.file, table.lines[r], 1};
      const std::uint64_t point = count_at(table, r, 0), replication = count_at(table, r, 1),
                          values = count_at(table, r, 3);
      const std::string& name = table.rows[r][2];
      if (std::find(distributions.begin(), distributions.end(), name) == distributions.end())
        throw InputError(at, fmt::format("distribution `{}`: expected one of latency, send_block, response, "
                                         "end_to_end, measured_latency",
                                         printable(name)));
      auto of_point = runs.find(point);
      if (of_point == runs.end() || !of_point->second.count(replication))
        throw InputError(at,
                         fmt::format("point {} replication {}: expected a run the shards hold", point, replication));
      const std::optional<double> low = number_at(table, r, 4), high = number_at(table, r, 5);
      if (!low || !high || !(*low >= 0) || !(*low <= *high) || !std::isfinite(*high) ||
          !model::Quantiles::same_bucket(*low, *high))
        throw InputError(at, "expected 0 <= min_s <= max_s within one histogram bucket");
      pooled[{point, name}].add_bucket(values, *low, *high);
    }
  }
  return pooled;
}

// A run's row as Columns of their kinds, without its `replication` column; InputError at
// its line for a number that is none.
Columns columns_of(const RowAt& at, std::size_t replication_column) {
  const Table& table = *at.table;
  const std::vector<std::size_t> parameters = parameter_columns(table);
  Columns columns;
  for (std::size_t k = 0; k < table.header.size(); ++k) {
    if (k == replication_column) continue;
    const bool parameter = std::find(parameters.begin(), parameters.end(), k) != parameters.end();
    const ColumnKind kind = parameter ? ColumnKind::label : kind_of(table.header[k]);
    if (kind != ColumnKind::label && kind != ColumnKind::outcome) number_at(table, at.row, k);
    columns.push_back({table.header[k], table.rows[at.row][k], kind});
  }
  return columns;
}

// The percentile of column `name` (distribution_pNN_s) over the point's pooled values.
std::string pooled_percentile(const Pooled& pooled, std::uint64_t point, const std::string& name) {
  const std::size_t p = name.rfind("_p");
  const model::Quantiles* values = nullptr;
  if (auto it = pooled.find({point, name.substr(0, p)}); it != pooled.end()) values = &it->second;
  if (!values || values->count == 0) return {};
  return csv_number(values->quantile(std::stod(name.substr(p + 2, 2)) / 100));
}

}  // namespace

MergedReplications merge_replicated_shards(const std::vector<Table>& shards, const std::vector<Table>& histograms) {
  const Table& first = shards.at(0);
  const std::size_t replication_column = first.require_column("replication", "(a shard of a replicated run)");
  const std::size_t replications_column = first.require_column("replications", "(a shard of a replicated run)");
  Runs runs;
  std::uint64_t sweep_points = 0, replications = 0;
  for (const Table& shard : shards) {
    if (shard.header != first.header)
      throw InputError({shard.file, 1, 1},
                       fmt::format("expected the same columns as {}: shards of one sweep", first.file));
    for (std::size_t r = 0; r < shard.rows.size(); ++r) {
      const std::uint64_t point = count_at(shard, r, point_column), points = count_at(shard, r, sweep_points_column);
      const std::uint64_t replication = count_at(shard, r, replication_column);
      const std::uint64_t of = count_at(shard, r, replications_column);
      if (sweep_points == 0) std::tie(sweep_points, replications) = std::pair(points, of);
      if (points != sweep_points || point > points || of != replications || replication > replications)
        throw InputError({shard.file, shard.lines[r], 1},
                         fmt::format("point {} of {}, replication {} of {}: expected a run of the same sweep of {} "
                                     "points x {} replications",
                                     point, points, replication, of, sweep_points, replications));
      if (!runs[point].emplace(replication, RowAt{&shard, r}).second)
        throw InputError(
            {shard.file, shard.lines[r], 1},
            fmt::format("point {} replication {} again: expected each run in one shard only", point, replication));
    }
  }
  for (std::uint64_t point = 1; point <= sweep_points; ++point)
    if (runs[point].size() < replications)
      throw InputError({first.file}, fmt::format("point {} has {} of its {} replications: expected every shard of the "
                                                 "run",
                                                 point, runs[point].size(), replications));
  const Pooled pooled = pool_histograms(histograms, runs);
  std::vector<Columns> rows;
  std::vector<std::vector<std::string>> each;
  for (const auto& [point, of_point] : runs) {
    std::vector<Columns> folded;
    for (const auto& [replication, at] : of_point) {
      folded.push_back(columns_of(at, replication_column));
      each.push_back(at.table->rows[at.row]);
    }
    Columns pooled_row = folded.front();
    for (Column& c : pooled_row)
      if (c.kind == ColumnKind::quantile) c.value = pooled_percentile(pooled, point, c.name);
    rows.push_back(replicated_columns(folded, pooled_row));
  }
  return {rows_csv(rows), table_csv(first.header, each)};
}

}  // namespace ipcsim::report
