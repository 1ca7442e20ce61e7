#pragma once
// Bounded single-producer / single-consumer ring.
//
// Layout: the producer's index and its cached copy of the consumer's index share one
// line; the consumer's pair another; the read-only fields a third; each 128 bytes apart.
// Each side reads the other's index only when its cached copy says full (or empty), so
// in steady state the only lines that travel between cores are the slots themselves.
// Slot storage is padded at both ends against neighbours in the heap. Indices count up
// forever (64 bits do not wrap in practice), so the capacity is exact while the slot
// array is a power of two addressed by a mask.
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
      : capacity_(capacity),
        mask_(round_up_to_power_of_two(capacity) - 1),
        storage_(std::make_unique<Slot[]>(mask_ + 1 + 2 * padding_slots)) {
    if (capacity == 0) throw std::invalid_argument("SpscRing capacity must be at least 1");
  }
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;
  ~SpscRing() {
    while (front()) pop();
  }

  /// Constructs an element in place; false (and nothing constructed) when full.
  template <class... Args>
  [[nodiscard]] bool try_emplace(Args&&... args) noexcept(std::is_nothrow_constructible_v<T, Args...>) {
    const std::uint64_t write = producer_.index.load(std::memory_order_relaxed);  // only we write it
    if (write - producer_.cached_other == capacity_) {
      // acquire: the consumer's move out of the slot happens-before we reuse it.
      producer_.cached_other = consumer_.index.load(std::memory_order_acquire);
      if (write - producer_.cached_other == capacity_) return false;
    }
    new (slot(write)) T(std::forward<Args>(args)...);
    producer_.index.store(write + 1, std::memory_order_release);  // release: publishes the element
    return true;
  }

  /// Moves (or copies) `value` in when there is room; leaves it untouched otherwise.
  template <class U>
  [[nodiscard]] bool try_push(U&& value) noexcept(std::is_nothrow_constructible_v<T, U&&>) {
    return try_emplace(std::forward<U>(value));
  }

  /// The oldest element, or null when empty. Consumer only.
  [[nodiscard]] T* front() noexcept {
    const std::uint64_t read = consumer_.index.load(std::memory_order_relaxed);  // only we write it
    if (read == consumer_.cached_other) {
      // acquire: the producer's construction happens-before we read the element.
      consumer_.cached_other = producer_.index.load(std::memory_order_acquire);
      if (read == consumer_.cached_other) return nullptr;
    }
    return slot(read);
  }

  /// Destroys the element front() returned. Consumer only; the ring must not be empty.
  void pop() noexcept {
    const std::uint64_t read = consumer_.index.load(std::memory_order_relaxed);
    slot(read)->~T();
    consumer_.index.store(read + 1, std::memory_order_release);  // release: the slot is free after destruction
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
    return static_cast<std::size_t>(producer_.index.load(std::memory_order_acquire) -
                                    consumer_.index.load(std::memory_order_acquire));
  }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

 private:
  struct Slot {
    alignas(T) unsigned char bytes[sizeof(T)];
  };
  static constexpr std::size_t padding_slots = (false_sharing_span - 1) / sizeof(Slot) + 1;

  struct alignas(false_sharing_span) Side {
    std::atomic<std::uint64_t> index{0};
    std::uint64_t cached_other = 0;  // this side's last view of the other side's index
  };

  T* slot(std::uint64_t index) noexcept {
    return std::launder(reinterpret_cast<T*>(storage_[padding_slots + (index & mask_)].bytes));
  }

  Side producer_;
  Side consumer_;
  alignas(false_sharing_span) const std::uint64_t capacity_;
  const std::uint64_t mask_;
  const std::unique_ptr<Slot[]> storage_;
};

static_assert(sizeof(std::atomic<std::uint64_t>) == 8);

}  // namespace ipcsim::core
