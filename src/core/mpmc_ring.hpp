#pragma once
// Bounded multi-producer / multi-consumer ring (D. Vyukov's sequence-number design).
//
// Each slot carries a sequence number that says whose turn it is: equal to the ticket
// `pos`, it is free for the producer holding that ticket; equal to pos + 1, it holds that
// producer's element for the consumer with the same ticket. Producers and consumers take
// tickets with a CAS on their own counter and then touch only their slot, so the two
// counters and the slots are the only shared lines. Slots are packed (a 65,536-slot ring
// of 8-byte items takes 1 MiB, not 4 MiB with a line each) and consecutive tickets map to
// different cache lines (ticket t is lane t / L of line t % L, as atomic_queue does), so
// producers and consumers working on neighbouring tickets do not share a line. The
// capacity is rounded up to a power of two, and to at least 2 (the ring has exactly that
// many slots): with one slot, "holds ticket t's element" (t + 1) would read as "free for
// ticket t + 1", and a second push would overwrite the first.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include <thread>

#include "futex.hpp"
#include "layout.hpp"

namespace ipcsim::core {

template <class T>
class MpmcRing {
 public:
  explicit MpmcRing(std::size_t capacity)
      : mask_(round_up_to_power_of_two(std::max<std::size_t>(capacity, 2)) - 1),
        line_bits_(log2(std::max<std::size_t>(1, (mask_ + 1) / lanes))),
        slots_(std::make_unique<Slot[]>(mask_ + 1)) {
    if (capacity == 0) throw std::invalid_argument("MpmcRing capacity must be at least 1");
    // What may share a line: each ticket counter alone; the read-only geometry together.
    static_assert(alignof(MpmcRing) >= false_sharing_span);
    static_assert(in_different_spans(offsetof(MpmcRing, enqueue_), sizeof(enqueue_), offsetof(MpmcRing, dequeue_)));
    static_assert(in_different_spans(offsetof(MpmcRing, dequeue_), sizeof(dequeue_), offsetof(MpmcRing, mask_)));
    static_assert(in_one_span(offsetof(MpmcRing, mask_), offsetof(MpmcRing, slots_)));
    for (std::uint64_t i = 0; i <= mask_; ++i) slot_for(i).sequence.store(i, std::memory_order_relaxed);
  }
  MpmcRing(const MpmcRing&) = delete;
  MpmcRing& operator=(const MpmcRing&) = delete;
  ~MpmcRing() {
    while (try_pop()) {
    }
  }

  template <class... Args>
  [[nodiscard]] bool try_emplace(Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args...>) {
    std::uint64_t pos = enqueue_.load(std::memory_order_relaxed);
    Slot* slot;
    for (;;) {
      slot = &slot_for(pos);
      // acquire: the previous consumer of this slot finished with it.
      const std::uint64_t sequence = slot->sequence.load(std::memory_order_acquire);
      const auto turn = static_cast<std::int64_t>(sequence - pos);
      if (turn == 0) {
        // relaxed: the ticket only orders producers among themselves; the slot's
        // sequence carries the synchronisation with consumers.
        if (enqueue_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) break;
      } else if (turn < 0) {
        return false;  // the slot still holds an element from one lap ago: full
      } else {
        pos = enqueue_.load(std::memory_order_relaxed);
      }
    }
    new (slot->element()) T(std::forward<Args>(args)...);
    slot->sequence.store(pos + 1, std::memory_order_release);  // release: publishes the element
    return true;
  }

  template <class U>
  [[nodiscard]] bool try_push(U&& value) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
    return try_emplace(std::forward<U>(value));
  }

  /// Takes the next ticket unconditionally, then waits (spinning) for its slot to be
  /// free: no CAS retries under contention, and producers are served in ticket order.
  /// Use when a consumer is sure to come; there is no way to give the ticket back.
  template <class U>
  void push(U&& value) {
    // relaxed: as in try_emplace, the slot's sequence carries the synchronisation.
    const std::uint64_t pos = enqueue_.fetch_add(1, std::memory_order_relaxed);
    Slot& slot = slot_for(pos);
    wait_for(slot, pos);
    new (slot.element()) T(std::forward<U>(value));
    slot.sequence.store(pos + 1, std::memory_order_release);  // release: publishes the element
  }

  /// Takes the next ticket and waits (spinning) for its element.
  T pop() {
    const std::uint64_t pos = dequeue_.fetch_add(1, std::memory_order_relaxed);
    Slot& slot = slot_for(pos);
    wait_for(slot, pos + 1);
    T out(std::move(*slot.element()));
    release_after_pop(&slot);
    return out;
  }

  [[nodiscard]] bool try_pop(T& out) noexcept(std::is_nothrow_move_assignable_v<T>) {
    Slot* slot = claim_for_pop();
    if (!slot) return false;
    out = std::move(*slot->element());
    release_after_pop(slot);
    return true;
  }

  [[nodiscard]] std::optional<T> try_pop() {
    Slot* slot = claim_for_pop();
    if (!slot) return std::nullopt;
    std::optional<T> out(std::move(*slot->element()));
    release_after_pop(slot);
    return out;
  }

  [[nodiscard]] std::size_t capacity() const noexcept { return mask_ + 1; }
  /// A snapshot; exact when no operation runs.
  [[nodiscard]] std::size_t size() const noexcept {
    auto in = enqueue_.load(std::memory_order_acquire), out = dequeue_.load(std::memory_order_acquire);
    return in > out ? static_cast<std::size_t>(in - out) : 0;
  }

 private:
  struct Slot {
    std::atomic<std::uint64_t> sequence;
    alignas(T) unsigned char bytes[sizeof(T)];
    T* element() noexcept { return std::launder(reinterpret_cast<T*>(bytes)); }
  };
  static constexpr std::size_t lanes = sizeof(Slot) >= cache_line ? 1 : cache_line / sizeof(Slot);
  static constexpr unsigned log2(std::size_t n) {
    unsigned bits = 0;
    while ((std::size_t{1} << bits) < n) ++bits;
    return bits;
  }

  Slot& slot_for(std::uint64_t ticket) noexcept {
    const std::uint64_t index = ticket & mask_;
    const std::uint64_t line = index & ((std::uint64_t{1} << line_bits_) - 1);
    const std::uint64_t lane = index >> line_bits_;
    return slots_[line * lanes + lane];
  }

  static void wait_for(Slot& slot, std::uint64_t sequence) noexcept {
    // acquire: pairs with the release that set this sequence (slot freed, or filled).
    for (unsigned spin = 1; slot.sequence.load(std::memory_order_acquire) != sequence; ++spin) {
      if (spin % 64 == 0)
        std::this_thread::yield();  // more threads than cores: let the one we wait for run
      else
        cpu_relax();
    }
  }

  Slot* claim_for_pop() noexcept {
    std::uint64_t pos = dequeue_.load(std::memory_order_relaxed);
    for (;;) {
      Slot* slot = &slot_for(pos);
      // acquire: the producer's construction happens-before we read the element.
      const std::uint64_t sequence = slot->sequence.load(std::memory_order_acquire);
      const auto turn = static_cast<std::int64_t>(sequence - (pos + 1));
      if (turn == 0) {
        if (dequeue_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) return slot;
      } else if (turn < 0) {
        return nullptr;  // not yet written: empty
      } else {
        pos = dequeue_.load(std::memory_order_relaxed);
      }
    }
  }

  void release_after_pop(Slot* slot) noexcept {
    // The slot's ticket is recoverable from its sequence (pos + 1); free it for the
    // producer one lap ahead.
    const std::uint64_t pos = slot->sequence.load(std::memory_order_relaxed) - 1;
    slot->element()->~T();
    slot->sequence.store(pos + mask_ + 1, std::memory_order_release);  // release: after destruction
  }

  alignas(false_sharing_span) std::atomic<std::uint64_t> enqueue_{0};
  alignas(false_sharing_span) std::atomic<std::uint64_t> dequeue_{0};
  alignas(false_sharing_span) const std::uint64_t mask_;
  const unsigned line_bits_;  // log2 of the number of lines the slots span
  const std::unique_ptr<Slot[]> slots_;
};

}  // namespace ipcsim::core
