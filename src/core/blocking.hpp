#pragma once
// Blocking and timed operations over any queue with try_push / try_pop (SpscRing,
// MpmcRing, MpscQueue). A waiting side first spins briefly (a hand-off between running
// threads costs well under a microsecond), then sleeps on a futex-backed EventCount so it
// does not burn a core; the other side pays one fence and one load per operation, and a
// system call only when somebody sleeps. close() ends every wait, present and future,
// for owners that tear a queue down while threads still wait on it.
#include <atomic>
#include <chrono>
#include <optional>
#include <utility>

#include "futex.hpp"

namespace ipcsim::core {

template <class Queue>
class Blocking {
 public:
  using Value = typename decltype(std::declval<Queue&>().try_pop())::value_type;

  template <class... Args>
  explicit Blocking(Args&&... args) : queue_(std::forward<Args>(args)...) {}

  [[nodiscard]] bool try_push(Value& value) {
    if (!queue_.try_push(std::move(value))) return false;
    not_empty_.notify_all();
    return true;
  }
  [[nodiscard]] std::optional<Value> try_pop() {
    std::optional<Value> out = queue_.try_pop();
    if (out) not_full_.notify_all();
    return out;
  }

  void push(Value value) { (void)push_until(value, std::nullopt); }
  /// Pushes, or gives up at the deadline leaving `value` with the caller.
  [[nodiscard]] bool push_until(Value& value, Deadline deadline) {
    return wait_until(not_full_, deadline, [&] { return try_push(value); });
  }
  template <class Rep, class Period>
  [[nodiscard]] bool push_for(Value& value, std::chrono::duration<Rep, Period> timeout) {
    return push_until(value, Clock::now() + timeout);
  }

  Value pop() { return *pop_until(std::nullopt); }
  /// Pops, or returns nothing at the deadline (and consumes nothing).
  [[nodiscard]] std::optional<Value> pop_until(Deadline deadline) {
    std::optional<Value> out;
    wait_until(not_empty_, deadline, [&] { return bool(out = try_pop()); });
    return out;
  }
  template <class Rep, class Period>
  [[nodiscard]] std::optional<Value> pop_for(std::chrono::duration<Rep, Period> timeout) {
    return pop_until(Clock::now() + timeout);
  }

  /// Wakes every waiter; from now on waits give up at once (try_push / try_pop still
  /// work, so the owner can drain what is left).
  void close() {
    closed_.store(true, std::memory_order_seq_cst);
    not_empty_.notify_all();
    not_full_.notify_all();
  }
  bool closed() const { return closed_.load(std::memory_order_acquire); }

  Queue& queue() { return queue_; }

 private:
  static constexpr int spin_limit = 512;

  template <class Attempt>
  bool wait_until(EventCount& event, Deadline deadline, Attempt attempt) {
    for (int spin = 0; spin < spin_limit; ++spin) {
      if (attempt()) return true;
      if (closed()) return false;
      cpu_relax();
    }
    for (;;) {
      std::uint32_t key = event.prepare_wait();
      if (attempt()) {
        event.cancel_wait();
        return true;
      }
      if (closed()) {  // checked after prepare_wait: a close() after this wakes us
        event.cancel_wait();
        return false;
      }
      if (!event.wait(key, deadline)) return attempt();  // one last look at the deadline
    }
  }

  Queue queue_;
  std::atomic<bool> closed_{false};
  EventCount not_empty_;
  EventCount not_full_;
};

}  // namespace ipcsim::core
