#pragma once
// Reading CSV files back: the summary and trace CSVs that merge, compare and plot consume.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ipcsim::report {

/// A CSV file as text cells: a header and rows of the same width, each with its line.
struct Table {
  std::string file;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;  // 1-based line where each row starts, for error messages

  std::optional<std::size_t> column(std::string_view name) const;
  /// The column's index; InputError naming the file when it has none (`why` says who needs it).
  std::size_t require_column(std::string_view name, std::string_view why) const;
};

/// RFC 4180 text (quoted fields may hold commas, quotes and line breaks; CRLF accepted; blank
/// lines skipped). InputError with file:line:col for an unterminated quote, stray text after a
/// closing quote, a row wider or narrower than the header, or a repeated column name.
Table parse_table(std::string_view text, const std::string& file);
Table read_table(const std::string& path);

/// The header and rows back as CSV text, quoting as the writer does.
std::string table_csv(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

/// A cell's number; nullopt when it is empty or holds no finite number (text columns).
std::optional<double> as_number(std::string_view cell);

/// A cell as a number; nullopt for an empty cell. InputError at the row's line otherwise.
std::optional<double> number_at(const Table& table, std::size_t row, std::size_t column);

/// A column named by the user: its exact name, else the first column starting with `name_`
/// (`latency_p99` finds `latency_p99_s`, `throughput` finds `throughput_msgs_per_s`).
/// InputError naming `option` when there is none.
std::size_t find_metric(const Table& table, const std::string& name, std::string_view option);

/// In a summary CSV: the sweep point a row belongs to, 1-based, in the order a single run
/// writes, and how many points the whole sweep has.
inline constexpr std::size_t point_column = 1;
inline constexpr std::size_t sweep_points_column = 2;

/// The columns of an ipcsim summary CSV that say which point a row is: the swept paths, which
/// sit between `sweep_points` and `seed` (results/README.md). InputError if the file is no summary CSV.
std::vector<std::size_t> parameter_columns(const Table& summary);
/// Their names: the swept paths.
std::vector<std::string> parameter_names(const Table& summary);

/// Parameter names shortened to their shortest unambiguous dotted suffix, for labels:
/// processes.producer.program.0.do.0.send.mode -> mode.
std::vector<std::string> short_names(const std::vector<std::string>& paths);

/// "capacity=4 mode=blocking": a point's label from its parameter names and values.
std::string point_label(const std::vector<std::string>& names, std::span<const std::string> values);

}  // namespace ipcsim::report
