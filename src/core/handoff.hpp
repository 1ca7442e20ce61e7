#pragma once
// Zero-capacity hand-off (rendezvous): a push completes only when a pop has taken the
// element. Any number of producers and consumers.
//
// One slot and a state word:  idle -> filling -> offered -> taking -> taken -> idle.
// A producer claims the idle slot (CAS), constructs the element, offers it and sleeps
// until a consumer has taken it; a consumer claims an offered element (CAS), moves it out
// and marks it taken. A producer whose deadline passes while its element is still
// offered withdraws it (CAS offered -> filling) and gets it back: a timed-out push never
// hands over. `receivers_waiting_` lets a non-blocking push succeed exactly when a
// consumer is already waiting, and fail otherwise, without ever blocking for long.
// close() ends every wait: pushes not yet taken are withdrawn, pops return nothing.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

#include "futex.hpp"
#include "layout.hpp"

namespace ipcsim::core {

template <class T>
class Handoff {
 public:
  Handoff() {
    // What may share a line: the state, the closed flag and the event count, which every
    // operation touches together; the receivers' count and the element each alone.
    static_assert(alignof(Handoff) >= false_sharing_span);
    static_assert(in_one_span(offsetof(Handoff, state_), offsetof(Handoff, changed_)));
    static_assert(
        in_different_spans(offsetof(Handoff, changed_), sizeof(changed_), offsetof(Handoff, receivers_waiting_)));
    static_assert(in_different_spans(offsetof(Handoff, receivers_waiting_), sizeof(receivers_waiting_),
                                     offsetof(Handoff, bytes_)));
  }
  Handoff(const Handoff&) = delete;
  Handoff& operator=(const Handoff&) = delete;

  /// Blocks until a consumer has taken `value`.
  void push(T value) { (void)push_until(value, std::nullopt); }

  /// Hands `value` over, or gives up at the deadline and leaves `value` with the caller.
  [[nodiscard]] bool push_until(T& value, Deadline deadline) {
    if (!claim_slot(deadline)) return false;
    return offer_and_wait(value, deadline, false);
  }
  template <class Rep, class Period>
  [[nodiscard]] bool push_for(T& value, std::chrono::duration<Rep, Period> timeout) {
    return push_until(value, Clock::now() + timeout);
  }

  /// Succeeds only if a consumer is already waiting; otherwise returns false at once and
  /// leaves `value` with the caller.
  [[nodiscard]] bool try_push(T& value) {
    if (receivers_waiting_.load(std::memory_order_seq_cst) == 0) return false;
    std::uint32_t expected = idle;
    if (!state_.compare_exchange_strong(expected, filling, std::memory_order_acquire)) return false;
    return offer_and_wait(value, std::nullopt, true);
  }

  T pop() { return *pop_until(std::nullopt); }

  [[nodiscard]] std::optional<T> pop_until(Deadline deadline) {
    receivers_waiting_.fetch_add(1, std::memory_order_seq_cst);
    std::optional<T> out;
    for (int spin = 0;; ++spin) {
      if ((out = try_take())) break;
      if (closed()) break;
      std::uint32_t seen = state_.load(std::memory_order_acquire);
      if (seen == offered) continue;
      if (spin < spin_limit) {
        cpu_relax();
        continue;
      }
      if (!sleep_while(seen, deadline)) {
        out = try_take();  // one last look at the deadline; either way, the wait is over
        break;
      }
    }
    receivers_waiting_.fetch_sub(1, std::memory_order_seq_cst);
    state_changed();
    return out;
  }
  template <class Rep, class Period>
  [[nodiscard]] std::optional<T> pop_for(std::chrono::duration<Rep, Period> timeout) {
    return pop_until(Clock::now() + timeout);
  }

  /// Takes an element a producer is offering right now; never waits.
  [[nodiscard]] std::optional<T> try_pop() { return try_take(); }

  /// Wakes every waiter: pushes give their element back (unless a consumer is already
  /// taking it) and return false, pops return nothing; later waits give up at once.
  void close() {
    closed_.store(true, std::memory_order_seq_cst);
    changed_.notify_all();
  }
  bool closed() const { return closed_.load(std::memory_order_acquire); }

 private:
  static constexpr std::uint32_t idle = 0, filling = 1, offered = 2, taking = 3, taken = 4;
  static constexpr int spin_limit = 256;

  bool claim_slot(Deadline deadline) {
    for (int spin = 0;; ++spin) {
      std::uint32_t seen = state_.load(std::memory_order_relaxed);
      // acquire: the previous hand-off's consumer is done with the slot.
      if (seen == idle && state_.compare_exchange_weak(seen, filling, std::memory_order_acquire)) return true;
      if (closed()) return false;
      if (spin < spin_limit) {
        cpu_relax();
      } else if (!sleep_while(seen, deadline)) {
        return false;
      }
    }
  }

  // The slot is ours (state filling): offer the element and wait until it is taken, or
  // withdraw it at the deadline (or, for try_push, when no consumer waits any more).
  bool offer_and_wait(T& value, Deadline deadline, bool only_while_receivers_wait) {
    new (element()) T(std::move(value));
    state_.store(offered, std::memory_order_release);  // release: publishes the element
    state_changed();
    for (int spin = 0;; ++spin) {
      std::uint32_t seen = state_.load(std::memory_order_acquire);
      if (seen == taken) break;
      bool give_up = only_while_receivers_wait ? receivers_waiting_.load(std::memory_order_seq_cst) == 0
                                               : (closed() || (deadline && Clock::now() >= *deadline));
      if (seen == offered && give_up && withdraw(value)) return false;
      if (spin < spin_limit || only_while_receivers_wait) {
        cpu_relax();
      } else {
        sleep_while(seen, deadline);
      }
    }
    state_.store(idle, std::memory_order_release);  // release: the slot is free for the next producer
    state_changed();
    return true;
  }

  bool withdraw(T& value) {
    std::uint32_t expected = offered;
    if (!state_.compare_exchange_strong(expected, filling, std::memory_order_acquire)) return false;
    value = std::move(*element());
    element()->~T();
    state_.store(idle, std::memory_order_release);
    state_changed();
    return true;
  }

  std::optional<T> try_take() {
    std::uint32_t expected = offered;
    // acquire: the producer's construction happens-before we move the element out.
    if (!state_.compare_exchange_strong(expected, taking, std::memory_order_acquire)) return std::nullopt;
    std::optional<T> out(std::move(*element()));
    element()->~T();
    state_.store(taken, std::memory_order_release);  // release: the producer may reuse the slot
    state_changed();
    return out;
  }

  // Sleeps while the state is still `seen` (and the hand-off open). Sleepers wait on an
  // EventCount rather than on the state word itself, so that close(), which leaves the
  // state alone, cannot slip in between the check and the sleep.
  bool sleep_while(std::uint32_t seen, Deadline deadline) {
    std::uint32_t key = changed_.prepare_wait();
    if (state_.load(std::memory_order_acquire) != seen || closed()) {
      changed_.cancel_wait();
      return true;
    }
    return changed_.wait(key, deadline);
  }

  // Every state change wakes sleepers; they re-check what they wait for.
  void state_changed() { changed_.notify_all(); }

  T* element() { return std::launder(reinterpret_cast<T*>(bytes_)); }

  alignas(false_sharing_span) std::atomic<std::uint32_t> state_{idle};
  std::atomic<bool> closed_{false};
  EventCount changed_;
  alignas(false_sharing_span) std::atomic<std::uint32_t> receivers_waiting_{0};
  alignas(false_sharing_span) alignas(T) unsigned char bytes_[sizeof(T)];
};

}  // namespace ipcsim::core
