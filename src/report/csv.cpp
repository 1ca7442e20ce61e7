#include "csv.hpp"

#include "table.hpp"

#include <fmt/format.h>
#include <stdexcept>

namespace ipcsim::report {

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char ch : value) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  return quoted + '"';
}

std::string csv_number(double value) { return fmt::format("{:.9g}", value); }

std::string rows_csv(const std::vector<Columns>& rows) {
  if (rows.empty()) return {};
  std::vector<std::string> header;
  for (const Column& column : rows.front()) header.push_back(column.name);
  std::vector<std::vector<std::string>> cells;
  for (const Columns& row : rows) {
    if (row.size() != header.size()) throw std::logic_error("summary rows with different columns");
    auto& line = cells.emplace_back();
    for (const Column& column : row) line.push_back(column.value);
  }
  return table_csv(header, cells);
}

std::string trace_csv(const model::Model& model, const model::SimulatedRun& run) {
  std::string text =
      "id,sender,receiver,channel,size_bytes,send_call_s,accepted_s,taken_s,received_s,send_return_s,"
      "ended_s,outcome,reason,send_blocked\n";
  auto time = [](double t) { return t < 0 ? std::string{} : csv_number(t); };
  auto process = [&](model::ProcessId p) { return p == model::none ? std::string{} : model.processes[p].name; };
  for (std::size_t id = 0; id < run.message_records.size(); ++id) {
    const model::MessageRecord& m = run.message_records[id];
    std::string channel = m.channel == model::none ? std::string{} : model.channels[m.channel].name;
    text += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", id, csv_field(process(m.sender)),
                        csv_field(process(m.receiver)), csv_field(channel), m.size, time(m.send_call), time(m.accepted),
                        time(m.taken), time(m.received), time(m.send_return), time(m.ended), to_string(m.outcome),
                        to_string(m.reason), m.send_blocked ? 1 : 0);
  }
  return text;
}

}  // namespace ipcsim::report
