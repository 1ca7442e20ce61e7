#pragma once
// The buffer of a simulated channel, held in the lock-free queue core (DESIGN.md §4), so
// that the simulator and the measured mode share one implementation. The simulation runs
// on one thread, which plays producer and consumer both; the channel logic checks room
// before every push.
#include <cstddef>
#include <memory>
#include <optional>
#include <variant>

#include "core/mpsc_queue.hpp"
#include "core/spsc_ring.hpp"
#include "simulation.hpp"

namespace ipcsim::sim {

class Buffer {
 public:
  explicit Buffer(const Capacity& capacity) {
    // A ring allocates all its slots up front: it serves the usual small capacities, and
    // the unbounded queue (one node per message) serves huge or unbounded ones.
    if (!capacity.unbounded() && *capacity.limit > 0 && *capacity.limit <= largest_ring)
      queue_ = std::make_unique<core::SpscRing<MessageId>>(*capacity.limit);
    else
      queue_ = std::make_unique<core::MpscQueue<MessageId>>();
  }

  /// The caller has checked there is room.
  void push(MessageId id) {
    std::visit([id](auto& q) { (void)q->try_push(id); }, queue_);
    ++count_;
  }
  /// The oldest message, or nothing when empty.
  std::optional<MessageId> pop() {
    std::optional<MessageId> id = std::visit([](auto& q) { return q->try_pop(); }, queue_);
    if (id) --count_;
    return id;
  }
  bool empty() const { return count_ == 0; }
  std::size_t size() const { return count_; }

 private:
  static constexpr std::uint64_t largest_ring = 65536;
  std::variant<std::unique_ptr<core::SpscRing<MessageId>>, std::unique_ptr<core::MpscQueue<MessageId>>> queue_;
  std::size_t count_ = 0;
};

}  // namespace ipcsim::sim
