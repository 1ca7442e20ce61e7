#pragma once
// Bounded single-producer / single-consumer ring.
//
// Each slot carries its own `full` flag, so a push or pop touches one cache line, the
// slot's: the producer and the consumer never read each other's index (each keeps its
// position privately), and in steady state the only lines that travel between cores are
// the slots themselves. A round trip costs one line transfer each way, not two (index,
// then slot). Slots are consecutive: spreading neighbours over lines (as atomic_queue
// does) measured twice slower here, since a lagging consumer then pulls every line once
// per slot instead of once per line. The positions wrap at the capacity, which is
// therefore exact. `size()` reads a counter each side publishes on its own line, which
// nobody else reads on the hot path.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "layout.hpp"

namespace ipcsim::core {

template <class T>
class SpscRing {
 public:
  explicit SpscRing(std::size_t capacity)
      : capacity_(capacity), slots_(std::make_unique<Slot[]>(capacity + 2 * padding)) {
    if (capacity == 0) throw std::invalid_argument("SpscRing capacity must be at least 1");
    // What may share a line (the class is complete here, so offsetof works): each side's
    // state alone; the read-only capacity and slot pointer together.
    static_assert(alignof(SpscRing) >= false_sharing_span);
    static_assert(in_different_spans(offsetof(SpscRing, producer_), sizeof(Side), offsetof(SpscRing, consumer_)));
    static_assert(in_different_spans(offsetof(SpscRing, consumer_), sizeof(Side), offsetof(SpscRing, capacity_)));
    static_assert(in_one_span(offsetof(SpscRing, capacity_), offsetof(SpscRing, slots_)));
  }
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;
  ~SpscRing() {
    while (front()) pop();
  }

  /// Constructs an element in place; false (and nothing constructed) when full.
  template <class... Args>
  [[nodiscard]] bool try_emplace(Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args...>) {
    Slot& slot = slot_at(producer_);
    // acquire: the consumer's move out of this slot happens-before we construct in it.
    if (slot.full.load(std::memory_order_acquire)) return false;
    new (slot.element()) T(std::forward<Args>(args)...);
    slot.full.store(true, std::memory_order_release);  // release: publishes the element
    advance(producer_);
    return true;
  }

  /// Moves (or copies) `value` in when there is room; leaves it untouched otherwise.
  template <class U>
  [[nodiscard]] bool try_push(U&& value) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
    return try_emplace(std::forward<U>(value));
  }

  /// The oldest element, or null when empty. Consumer only.
  [[nodiscard]] T* front() noexcept {
    Slot& slot = slot_at(consumer_);
    // acquire: the producer's construction happens-before we read the element.
    return slot.full.load(std::memory_order_acquire) ? slot.element() : nullptr;
  }

  /// Destroys the element front() returned. Consumer only; the ring must not be empty.
  void pop() noexcept {
    Slot& slot = slot_at(consumer_);
    slot.element()->~T();
    slot.full.store(false, std::memory_order_release);  // release: the slot is free after destruction
    advance(consumer_);
  }

  /// Moves the oldest element into `out`; false when empty.
  [[nodiscard]] bool try_pop(T& out) noexcept(std::is_nothrow_move_assignable_v<T>) {
    T* element = front();
    if (!element) return false;
    out = std::move(*element);
    pop();
    return true;
  }

  [[nodiscard]] std::optional<T> try_pop() {
    T* element = front();
    if (!element) return std::nullopt;
    std::optional<T> out(std::move(*element));
    pop();
    return out;
  }

  /// Exact only when neither side is running; a snapshot otherwise.
  [[nodiscard]] std::size_t size() const noexcept {
    return static_cast<std::size_t>(producer_.count.load(std::memory_order_acquire) -
                                    consumer_.count.load(std::memory_order_acquire));
  }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

 private:
  struct Slot {
    std::atomic<bool> full{false};
    alignas(T) unsigned char bytes[sizeof(T)];
    T* element() noexcept { return std::launder(reinterpret_cast<T*>(bytes)); }
  };
  // Unused slots at both ends keep the array's first and last lines away from whatever
  // the allocator puts next to it.
  static constexpr std::size_t padding = (false_sharing_span - 1) / sizeof(Slot) + 1;

  struct alignas(false_sharing_span) Side {
    std::size_t position = 0;             // private to this side
    std::atomic<std::uint64_t> count{0};  // items this side has handled, for size()
  };

  Slot& slot_at(const Side& side) noexcept { return slots_[padding + side.position]; }
  void advance(Side& side) noexcept {
    side.position = side.position + 1 == capacity_ ? 0 : side.position + 1;
    // relaxed is enough for a statistic; only this side writes it.
    side.count.store(side.count.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }

  Side producer_;
  Side consumer_;
  alignas(false_sharing_span) const std::size_t capacity_;
  const std::unique_ptr<Slot[]> slots_;
};

}  // namespace ipcsim::core
