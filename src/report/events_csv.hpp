#pragma once
// run --events: each event of a run as a CSV row, streamed to a file as the run goes
// (results/README.md documents the columns).
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "model/events.hpp"

namespace ipcsim::report {

/// The header of an events CSV.
inline constexpr const char* events_header = "time_s,process,kind,channel,message,detail\n";

/// Rows are made into blocks on the run's thread and written by a thread of their own
/// (started by begin(), in the process that runs), so that the copy into the file overlaps
/// the run: one block filling while the one before is written.
class EventsCsv final : public model::EventSink {
 public:
  /// Writes to `fd` (not closed here); finish() throws if the disk refused a block.
  explicit EventsCsv(int fd) : fd_(fd) {}
  EventsCsv(const EventsCsv&) = delete;
  EventsCsv& operator=(const EventsCsv&) = delete;
  ~EventsCsv() override;
  void begin(const model::Model& model) override;
  void add(const model::RunEvent& event) noexcept override;
  void finish() override;

 private:
  void hand_over() noexcept;  // the filled block to the writer, once it is done with the last
  void write_blocks() noexcept;
  void stop_writer() noexcept;
  int fd_;
  std::vector<std::string> process_names_, channel_names_;  // as CSV fields
  std::string pending_;                                     // the block being filled
  double last_time_ = 0;
  std::string last_time_text_;
  std::thread writer_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string writing_;  // the block the writer writes; empty when it is free
  bool closing_ = false;
  int error_ = 0;  // errno of a failed write: nothing more is written
};

}  // namespace ipcsim::report
