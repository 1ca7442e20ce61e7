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

namespace {

// Reads RFC 4180 records one at a time, keeping the line and column of what it reads for
// error messages.
class CsvReader {
 public:
  CsvReader(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  bool at_end() const { return at_ >= text_.size(); }
  int line() const { return line_; }
  /// Steps over an empty line; false when the next line is not empty.
  bool skip_blank_line() {
    if (text_[at_] != '\n' && text_.substr(at_, 2) != "\r\n") return false;
    at_ += text_[at_] == '\n' ? 1 : 2;
    ++line_;
    return true;
  }
  /// The fields of the record at the start of a line, and past its line break.
  std::vector<std::string> record() {
    line_start_ = at_;
    std::vector<std::string> fields;
    for (;;) {
      fields.push_back(at_ < text_.size() && text_[at_] == '"' ? quoted_field() : plain_field());
      if (at_ < text_.size() && text_[at_] == ',') {
        ++at_;
        continue;
      }
      break;
    }
    if (at_ < text_.size()) at_ += text_[at_] == '\n' ? 1 : 2;
    ++line_;
    return fields;
  }

 private:
  [[noreturn]] void error(int column, const std::string& message) const {
    throw InputError({file_, line_, column}, message);
  }
  int column() const { return static_cast<int>(at_ - line_start_) + 1; }
  bool at_field_end() const {
    return at_ >= text_.size() || text_[at_] == ',' || text_[at_] == '\n' || text_.substr(at_, 2) == "\r\n";
  }

  std::string quoted_field() {
    const int open_line = line_, open_column = column();
    std::string field;
    ++at_;
    for (;;) {
      if (at_ >= text_.size()) {
        line_ = open_line;
        error(open_column, "unterminated quoted field: expected a closing \"");
      }
      const char ch = text_[at_++];
      if (ch == '"') {
        if (at_ < text_.size() && text_[at_] == '"') {
          field += '"';
          ++at_;
          continue;
        }
        break;
      }
      if (ch == '\n') {
        ++line_;
        line_start_ = at_;
      }
      field += ch;
    }
    if (!at_field_end()) error(column(), "unexpected text after a closing quote: expected , or the end of the line");
    return field;
  }

  std::string plain_field() {
    std::string field;
    while (!at_field_end()) {
      if (text_[at_] == '"') error(column(), "a quote inside an unquoted field: expected the field quoted as a whole");
      field += text_[at_++];
    }
    return field;
  }

  std::string_view text_;
  const std::string& file_;
  std::size_t at_ = 0, line_start_ = 0;
  int line_ = 1;
};

// The first record is the header: named, once each, columns; every other has as many fields.
void add_record(Table& table, std::vector<std::string> fields, int line) {
  if (table.header.empty()) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < fields.size(); ++i)
      if (fields[i].empty())
        throw InputError({table.file, line, 1},
                         fmt::format("column {} of the header is empty: expected a column name", i + 1));
    for (const std::string& name : fields)
      if (!seen.insert(name).second)
        throw InputError({table.file, line, 1}, fmt::format("column `{}` appears twice in the header", name));
    table.header = std::move(fields);
  } else if (fields.size() != table.header.size()) {
    throw InputError({table.file, line, 1},
                     fmt::format("expected {} fields as in the header, found {}", table.header.size(), fields.size()));
  } else {
    table.rows.push_back(std::move(fields));
    table.lines.push_back(line);
  }
}

}  // namespace

Table parse_table(std::string_view text, const std::string& file) {
  Table table{file, {}, {}, {}};
  CsvReader reader(text, file);
  while (!reader.at_end()) {
    if (reader.skip_blank_line()) continue;
    const int line = reader.line();
    add_record(table, reader.record(), line);
  }
  if (table.header.empty()) throw InputError({file}, "empty file: expected a CSV header line");
  return table;
}

Table read_table(const std::string& path) {
  return parse_table(read_input_file(path, "a result CSV file", max_csv_input_bytes), path);
}

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

std::optional<double> as_number(std::string_view cell) {
  double value = 0;
  auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  if (cell.empty() || ec != std::errc{} || end != cell.data() + cell.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

std::optional<double> number_at(const Table& table, std::size_t row, std::size_t column) {
  const std::string& cell = table.rows[row][column];
  if (cell.empty()) return std::nullopt;
  std::optional<double> value = as_number(cell);
  if (!value)
    throw InputError({table.file, table.lines[row], 1},
                     fmt::format("column `{}` holds `{}`: expected a number", table.header[column], cell));
  return value;
}

std::size_t find_metric(const Table& table, const std::string& name, std::string_view option) {
  if (auto exact = table.column(name)) return *exact;
  for (std::size_t i = 0; i < table.header.size(); ++i)
    if (table.header[i].rfind(name + "_", 0) == 0) return i;
  throw InputError(
      {table.file, 1, 1},
      fmt::format("{} `{}`: expected a column of this file (e.g. throughput_msgs_per_s, latency_p99_s)", option, name));
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

std::vector<std::string> parameter_names(const Table& summary) {
  std::vector<std::string> names;
  for (std::size_t column : parameter_columns(summary)) names.push_back(summary.header[column]);
  return names;
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
      bool unique = std::count_if(paths.begin(), paths.end(),
                                  [&](const std::string& other) { return suffix(other, segments) == name; }) == 1;
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
