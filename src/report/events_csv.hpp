#pragma once
// run --events: each event of a run as a CSV row, streamed to a file as the run goes
// (results/README.md documents the columns).
#include <string>
#include <vector>

#include "model/events.hpp"

namespace ipcsim::report {

/// The header of an events CSV.
inline constexpr const char* events_header = "time_s,process,kind,channel,message,detail\n";

class EventsCsv final : public model::EventSink {
 public:
  /// Writes to `fd` (not closed here), in blocks; finish() throws if the disk refused one.
  explicit EventsCsv(int fd) : fd_(fd) {}
  void begin(const model::Model& model) override;
  void add(const model::RunEvent& event) noexcept override;
  void finish() override;

 private:
  void write_out() noexcept;
  int fd_;
  std::vector<std::string> process_names_, channel_names_;  // as CSV fields
  std::string pending_;
  double last_time_ = 0;
  std::string last_time_text_;
  int error_ = 0;  // errno of a failed write: nothing more is written
};

}  // namespace ipcsim::report
