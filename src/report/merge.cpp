#include "merge.hpp"

#include <fmt/format.h>

#include <charconv>
#include <map>

#include "scenario/input_error.hpp"

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

}  // namespace ipcsim::report
