#pragma once
// Running the ipcsim binary from tests, with scratch folders and the sweep they share.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

#include "report/table.hpp"
#include "support/paths.hpp"
#include "support/shell.hpp"

namespace ipcsim::test {

inline Result run_ipcsim(const std::string& arguments) { return run_shell(ipcsim_binary + " " + arguments); }

/// Row `row`'s value of `column`; a failed test when the table has no such column.
inline std::string cell(const report::Table& table, std::size_t row, const std::string& column) {
  const auto index = table.column(column);
  REQUIRE(index);
  return table.rows.at(row).at(*index);
}

/// The CSV without its wall-clock columns (results/README.md): the three after `deadlock`
/// and the measured ones, and their intervals; and without the columns `also` names.
inline std::string without_wall_clock(const std::string& csv, const std::vector<std::string>& also = {}) {
  const report::Table table = report::parse_table(csv, "test.csv");
  auto wall = [&](std::string name) {
    if (name.ends_with("_ci95")) name.resize(name.size() - 5);
    return name == "wall_time_s" || name == "events_per_wall_s" || name == "messages_per_wall_s" ||
           name.starts_with("measured_") || std::find(also.begin(), also.end(), name) != also.end();
  };
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows(table.rows.size());
  for (std::size_t k = 0; k < table.header.size(); ++k) {
    if (wall(table.header[k])) continue;
    header.push_back(table.header[k]);
    for (std::size_t r = 0; r < table.rows.size(); ++r) rows[r].push_back(table.rows[r][k]);
  }
  return report::table_csv(header, rows);
}

/// Three capacities by two send modes, 50 ms of simulated time each.
inline const char* small_sweep = R"(
name: small-sweep
stop: {time: 50ms}
channels:
  jobs: {addressing: mailbox, capacity: 2}
processes:
  producer: {program: [{repeat: forever, do: [{send: {to: jobs, size: 1B, mode: blocking}}, {sleep: exp(1ms)}]}]}
  consumer: {program: [{repeat: forever, do: [{recv: {from: jobs}}, {compute: exp(1ms)}]}]}
sweep:
  channels.jobs.capacity: [0, 4, unbounded]
  processes.producer.program.0.do.0.send.mode: [blocking, nonblocking]
)";

}  // namespace ipcsim::test
