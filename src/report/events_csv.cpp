#include "events_csv.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "csv.hpp"

namespace ipcsim::report {
namespace {

constexpr std::size_t block_bytes = 1 << 20;

// A kind's spelling is found by its value: the table lists the kinds in the enum's order.
constexpr bool kinds_in_order() {
  const auto& table = EnumNames<model::EventKind>::table;
  for (std::size_t i = 0; i < table.size(); ++i)
    if (static_cast<std::size_t>(table[i].first) != i) return false;
  return true;
}
static_assert(kinds_in_order());

}  // namespace

void EventsCsv::begin(const model::Model& model) {
  pending_ = events_header;
  process_names_.reserve(model.processes.size());
  for (const model::ProcessInstance& p : model.processes) process_names_.push_back(csv_field(p.name));
  channel_names_.reserve(model.channels.size());
  for (const model::ChannelInstance& c : model.channels) channel_names_.push_back(csv_field(c.name));
  pending_.reserve(2 * block_bytes);
  writer_ = std::thread([this] { write_blocks(); });
}

EventsCsv::~EventsCsv() { stop_writer(); }

void EventsCsv::add(const model::RunEvent& event) noexcept {
  // Many events share an instant: its text is made once.
  if (event.time != last_time_ || last_time_text_.empty()) {
    last_time_ = event.time;
    last_time_text_.clear();
    fmt::format_to(std::back_inserter(last_time_text_), "{:.9g}", event.time);
  }
  pending_ += last_time_text_;
  pending_ += ',';
  if (event.process != model::none) pending_ += process_names_[event.process];
  pending_ += ',';
  pending_ += EnumNames<model::EventKind>::table[static_cast<std::size_t>(event.kind)].second;
  pending_ += ',';
  if (event.channel != model::none) pending_ += channel_names_[event.channel];
  pending_ += ',';
  if (event.message != model::no_event_message) {
    const fmt::format_int number(event.message);
    pending_.append(number.data(), number.size());
  }
  pending_ += ',';
  if (!event.detail.empty()) {  // a word of ours, or a host's or link's name: user text
    if (event.detail.find_first_of(",\"\r\n") == std::string_view::npos)
      pending_ += event.detail;
    else
      pending_ += csv_field(std::string(event.detail));
  } else if (event.amount >= 0 && event.amount == std::floor(event.amount) && event.amount < 1e15) {
    const fmt::format_int whole(static_cast<std::uint64_t>(event.amount));  // a size: no float formatting
    pending_.append(whole.data(), whole.size());
  } else if (event.amount >= 0) {
    fmt::format_to(std::back_inserter(pending_), "{:.9g}", event.amount);
  }
  pending_ += '\n';
  if (pending_.size() >= block_bytes) hand_over();
}

void EventsCsv::hand_over() noexcept {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return writing_.empty(); });
  if (error_ == 0) writing_.swap(pending_);
  pending_.clear();
  changed_.notify_all();
}

void EventsCsv::write_blocks() noexcept {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return !writing_.empty() || closing_; });
    if (writing_.empty()) return;  // closing, nothing left
    lock.unlock();
    std::size_t written = 0;
    int error = 0;
    while (error == 0 && written < writing_.size()) {
      const ssize_t n = ::write(fd_, writing_.data() + written, writing_.size() - written);
      if (n < 0 && errno != EINTR) error = errno;
      if (n > 0) written += static_cast<std::size_t>(n);
    }
    lock.lock();
    if (error != 0) error_ = error;
    writing_.clear();
    changed_.notify_all();
  }
}

void EventsCsv::stop_writer() noexcept {
  if (!writer_.joinable()) return;
  {
    const std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  writer_.join();
}

void EventsCsv::finish() {
  if (!pending_.empty()) hand_over();
  stop_writer();
  if (error_ != 0) throw std::runtime_error(fmt::format("writing the events: {}", std::strerror(error_)));
}

}  // namespace ipcsim::report
