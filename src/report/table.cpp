#include "table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "csv.hpp"
#include "scenario/input_error.hpp"

namespace ipcsim::report {

std::optional<std::size_t> Table::column(std::string_view name) const {
  auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end()) return std::nullopt;
  return static_cast<std::size_t>(it - header.begin());
}

std::size_t Table::require_column(std::string_view name, std::string_view why) const {
  if (auto index = column(name)) return *index;
  throw InputError({file, 1, 1}, fmt::format("expected a column `{}` {}", name, why));
}

Table parse_table(std::string_view text, const std::string& file) {
  Table table{file, {}, {}, {}};
  int line = 1;
  std::size_t at = 0;
  auto error = [&](int column, const std::string& message) { throw InputError({file, line, column}, message); };
  while (at < text.size()) {
    std::vector<std::string> fields;
    const int row_line = line;
    std::size_t line_start = at;
    auto column = [&] { return static_cast<int>(at - line_start) + 1; };
    if (text[at] == '\n' || text.substr(at, 2) == "\r\n") {  // a blank line
      at += text[at] == '\n' ? 1 : 2;
      ++line;
      continue;
    }
    for (;;) {
      std::string field;
      if (at < text.size() && text[at] == '"') {
        const int open_line = line, open_column = column();
        ++at;
        for (;;) {
          if (at >= text.size()) {
            line = open_line;
            error(open_column, "unterminated quoted field: expected a closing \"");
          }
          char ch = text[at++];
          if (ch == '"') {
            if (at < text.size() && text[at] == '"') {
              field += '"';
              ++at;
              continue;
            }
            break;
          }
          if (ch == '\n') {
            ++line;
            line_start = at;
          }
          field += ch;
        }
        if (at < text.size() && text[at] != ',' && text[at] != '\n' && text.substr(at, 2) != "\r\n")
          error(column(), "unexpected text after a closing quote: expected , or the end of the line");
      } else {
        while (at < text.size() && text[at] != ',' && text[at] != '\n' && text.substr(at, 2) != "\r\n") {
          if (text[at] == '"') error(column(), "a quote inside an unquoted field: expected the field quoted as a whole");
          field += text[at++];
        }
      }
      fields.push_back(std::move(field));
      if (at < text.size() && text[at] == ',') {
        ++at;
        continue;
      }
      break;
    }
    if (at < text.size()) at += text[at] == '\n' ? 1 : 2;
    if (table.header.empty()) {
      std::set<std::string> seen;
      for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].empty())
          throw InputError({file, row_line, 1}, fmt::format("column {} of the header is empty: expected a column name", i + 1));
      for (const std::string& name : fields)
        if (!seen.insert(name).second)
          throw InputError({file, row_line, 1}, fmt::format("column `{}` appears twice in the header", name));
      table.header = std::move(fields);
    } else if (fields.size() != table.header.size()) {
      throw InputError({file, row_line, 1}, fmt::format("expected {} fields as in the header, found {}",
                                                        table.header.size(), fields.size()));
    } else {
      table.rows.push_back(std::move(fields));
      table.lines.push_back(row_line);
    }
    ++line;
  }
  if (table.header.empty()) throw InputError({file}, "empty file: expected a CSV header line");
  return table;
}

Table read_table(const std::string& path) { return parse_table(read_input_file(path, "a result CSV file", max_csv_input_bytes), path); }

std::string table_csv(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::string text;
  auto add_line = [&](const std::vector<std::string>& cells) {
    // A lone empty cell is written quoted: as an empty line it would read as no row at all.
    if (cells.size() == 1 && cells[0].empty()) {
      text += "\"\"\n";
      return;
    }
    for (std::size_t i = 0; i < cells.size(); ++i) text += (i ? "," : "") + csv_field(cells[i]);
    text += '\n';
  };
  add_line(header);
  for (const auto& row : rows) add_line(row);
  return text;
}

std::optional<double> number_at(const Table& table, std::size_t row, std::size_t column) {
  const std::string& cell = table.rows[row][column];
  if (cell.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (ec != std::errc{} || end != cell.data() + cell.size() || !std::isfinite(value))
    throw InputError({table.file, table.lines[row], 1},
                     fmt::format("column `{}` holds `{}`: expected a number", table.header[column], cell));
  return value;
}

std::size_t find_metric(const Table& table, const std::string& name, std::string_view option) {
  if (auto exact = table.column(name)) return *exact;
  for (std::size_t i = 0; i < table.header.size(); ++i)
    if (table.header[i].rfind(name + "_", 0) == 0) return i;
  throw InputError({table.file, 1, 1},
                   fmt::format("{} `{}`: expected a column of this file (e.g. throughput_msgs_per_s, latency_p99_s)",
                               option, name));
}

std::vector<std::size_t> parameter_columns(const Table& summary) {
  const char* why = "(an ipcsim summary CSV: scenario, point, sweep_points, swept parameters, seed, ...)";
  std::size_t point = summary.require_column("point", why);
  std::size_t points = summary.require_column("sweep_points", why);
  std::size_t seed = summary.require_column("seed", why);
  if (summary.header.front() != "scenario" || point != point_column || points != sweep_points_column)
    throw InputError({summary.file, 1, 1}, fmt::format("expected the columns in the order {}", why));
  std::vector<std::size_t> columns;
  for (std::size_t i = points + 1; i < seed; ++i) columns.push_back(i);
  return columns;
}

std::vector<std::string> short_names(const std::vector<std::string>& paths) {
  auto suffix = [](const std::string& path, std::size_t segments) {
    std::size_t at = path.size();
    for (std::size_t i = 0; i < segments && at != std::string::npos; ++i)
      at = at == 0 ? std::string::npos : path.rfind('.', at - 1);
    return at == std::string::npos ? path : path.substr(at + 1);
  };
  std::vector<std::string> names;
  for (const std::string& path : paths) {
    std::string name;
    for (std::size_t segments = 1;; ++segments) {
      name = suffix(path, segments);
      bool unique = std::count_if(paths.begin(), paths.end(), [&](const std::string& other) {
                      return suffix(other, segments) == name;
                    }) == 1;
      if (unique || name == path) break;
    }
    names.push_back(name);
  }
  return names;
}

std::string point_label(const std::vector<std::string>& names, std::span<const std::string> values) {
  std::string label;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i)
    label += fmt::format("{}{}={}", i ? " " : "", names[i], values[i]);
  return label;
}

}  // namespace ipcsim::report
