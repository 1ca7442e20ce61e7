#pragma once
// What a run reports about its messages, whoever ran it: the simulation (sim/) or the
// measured replay on real threads (measure/). Counted as each message ends, so memory does
// not grow with the number of messages sent.
#include <array>
#include <cstdint>
#include <string_view>
#include <utility>

#include "quantiles.hpp"
#include "scenario/semantics.hpp"

namespace ipcsim::model {

// stalled: a loop that takes no simulated time ran on at one instant (it never would end).
enum class StopReason { completed, messages, time, deadlock, stalled, max_wall, interrupted, memory };

struct MessageStats {
  std::uint64_t sent = 0;
  std::array<std::uint64_t, EnumNames<Reason>::table.size()> by_reason{};  // Reason::none: delivered
  double delivered_bytes = 0;
  Quantiles latency;     // send call to receive return, delivered messages
  Quantiles send_block;  // send call to send return, every send that returned

  std::uint64_t count(Reason reason) const { return by_reason[static_cast<std::size_t>(reason)]; }
  /// Adds another run's (or thread's) counts, as if its messages had ended here.
  void merge(const MessageStats& other) {
    sent += other.sent;
    for (std::size_t r = 0; r < by_reason.size(); ++r) by_reason[r] += other.by_reason[r];
    delivered_bytes += other.delivered_bytes;
    latency.merge(other.latency);
    send_block.merge(other.send_block);
  }
  /// Messages that ended: delivered, failed or lost. Equals `sent` once a run is over.
  std::uint64_t ended() const {
    std::uint64_t n = 0;
    for (std::uint64_t c : by_reason) n += c;
    return n;
  }
};

}  // namespace ipcsim::model

namespace ipcsim {
template <>
struct EnumNames<model::StopReason> {
  using S = model::StopReason;
  static constexpr std::array table{
      std::pair{S::completed, std::string_view{"completed"}},  std::pair{S::messages, std::string_view{"messages"}},
      std::pair{S::time, std::string_view{"time"}},            std::pair{S::deadlock, std::string_view{"deadlock"}},
      std::pair{S::stalled, std::string_view{"stalled"}},
      std::pair{S::max_wall, std::string_view{"max_wall"}},    std::pair{S::interrupted, std::string_view{"interrupted"}},
      std::pair{S::memory, std::string_view{"memory"}}};
};
}  // namespace ipcsim
