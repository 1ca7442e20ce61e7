#pragma once
// What a blocked process waits for, and how a deadlock report says it: one vocabulary for
// both runners.
#include <cstdint>
#include <string>
#include <string_view>

namespace ipcsim::model {

enum class WaitFor : std::uint8_t {
  nothing,
  message,     // a receive, on an empty channel
  room,        // a send, on a full buffer
  receiver,    // a send at capacity 0, for a receiver to come
  acceptance,  // a blocking send, for its message to reach the buffer
  taking,      // a synchronous send, for a receiver to take its message
};

/// One clause of a deadlock report, e.g. "producer waits for room in jobs (full, 4 queued)".
/// `queued`: what the channel holds (said of a full one).
std::string describe_wait(std::string_view process, WaitFor what, std::string_view channel, std::uint64_t queued);

}  // namespace ipcsim::model
