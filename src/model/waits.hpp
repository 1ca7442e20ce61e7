#pragma once
// What a blocked process waits for, and how a deadlock report says it: one vocabulary for
// both runners.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

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

namespace ipcsim {
template <class E>
struct EnumNames;
template <>
struct EnumNames<model::WaitFor> {
  using W = model::WaitFor;
  static constexpr std::array table{std::pair{W::nothing, std::string_view{"nothing"}},
                                    std::pair{W::message, std::string_view{"message"}},
                                    std::pair{W::room, std::string_view{"room"}},
                                    std::pair{W::receiver, std::string_view{"receiver"}},
                                    std::pair{W::acceptance, std::string_view{"acceptance"}},
                                    std::pair{W::taking, std::string_view{"taking"}}};
};
}  // namespace ipcsim
