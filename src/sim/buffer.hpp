#pragma once
// The buffer of a simulated channel, held in the lock-free queue core (DESIGN.md §4), so
// that the simulator and the measured mode share one implementation. The simulation runs
// on one thread, which plays producer and consumer both; the channel logic checks room
// before every push.
#include <algorithm>
#include <cstddef>
#include <limits>
#include <memory>
#include <optional>

#include "core/spsc_ring.hpp"
#include "simulation.hpp"

namespace ipcsim::sim {

/// A ring that starts small and doubles when full, up to the channel's capacity: no
/// allocation per message, and no memory for buffers that stay empty (most of them, in a
/// scenario of many processes).
class Buffer {
 public:
  explicit Buffer(const scenario::Capacity& capacity)
      : limit_(capacity.unbounded() ? std::numeric_limits<std::size_t>::max() : *capacity.limit) {}

  /// The caller has checked there is room.
  void push(MessageId id) {
    if (!ring_ || count_ == ring_->capacity()) grow();
    (void)ring_->try_push(id);
    ++count_;
  }
  /// The oldest message, or nothing when empty.
  std::optional<MessageId> pop() {
    if (count_ == 0) return std::nullopt;
    --count_;
    return ring_->try_pop();
  }
  bool empty() const { return count_ == 0; }
  std::size_t size() const { return count_; }
  /// A growth, when the ring is full, allocates a ring of twice the slots and initialises
  /// every one while the old is still held: this many bytes per message queued.
  static constexpr std::size_t growth_bytes_per_message = 2 * sizeof(MessageId) * 2;  // an id and its flag, aligned

 private:
  static constexpr std::size_t first_capacity = 16;

  void grow() {
    const std::size_t capacity = std::min(limit_, ring_ ? 2 * ring_->capacity() : first_capacity);
    auto bigger = std::make_unique<core::SpscRing<MessageId>>(capacity);
    if (ring_)
      while (auto id = ring_->try_pop()) (void)bigger->try_push(*id);
    ring_ = std::move(bigger);
  }

  std::size_t limit_;
  std::unique_ptr<core::SpscRing<MessageId>> ring_;
  std::size_t count_ = 0;
};

}  // namespace ipcsim::sim
