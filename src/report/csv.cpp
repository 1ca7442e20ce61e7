#include "csv.hpp"

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

std::string summary_csv(const std::vector<Row>& rows) {
  std::string text;
  if (rows.empty()) return text;
  const Row& first = rows.front();
  for (std::size_t i = 0; i < first.size(); ++i) text += (i ? "," : "") + csv_field(first[i].first);
  text += '\n';
  for (const Row& row : rows) {
    if (row.size() != first.size()) throw std::logic_error("summary rows with different columns");
    for (std::size_t i = 0; i < row.size(); ++i) text += (i ? "," : "") + csv_field(row[i].second);
    text += '\n';
  }
  return text;
}

std::string trace_csv(const model::Model& model, const sim::RunOutput& output) {
  std::string text =
      "id,sender,receiver,channel,size_bytes,send_call_s,accepted_s,received_s,send_return_s,"
      "outcome,reason\n";
  auto time = [](double t) { return t < 0 ? std::string{} : fmt::format("{:.9g}", t); };
  auto process = [&](model::ProcessId p) { return p == model::none ? std::string{} : model.processes[p].name; };
  for (std::size_t id = 0; id < output.messages.size(); ++id) {
    const sim::MessageRecord& m = output.messages[id];
    std::string channel = m.channel == model::none ? std::string{} : model.channels[m.channel].name;
    text += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", id, csv_field(process(m.sender)),
                        csv_field(process(m.receiver)), csv_field(channel), m.size, time(m.send_call),
                        time(m.accepted), time(m.received), time(m.send_return), to_string(m.outcome),
                        to_string(m.reason));
  }
  return text;
}

}  // namespace ipcsim::report
