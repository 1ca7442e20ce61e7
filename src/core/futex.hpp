#pragma once
// Sleeping on a 32-bit atomic until it changes, with an optional deadline (Linux futex).
// C++20's atomic::wait has no timeout, and timed send and receive need one.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

namespace ipcsim::core {

using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC, as the futex deadline uses
using Deadline = std::optional<Clock::time_point>;

/// Sleeps while `word` holds `expected`, until woken or `deadline` (none: forever).
/// Returns false only when the deadline passed. Spurious returns are possible: callers
/// re-check their condition.
bool futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected, Deadline deadline);

/// Wakes every thread sleeping on `word`.
void futex_wake_all(std::atomic<std::uint32_t>& word);

/// Busy-wait hint: tells the core a spin loop is running (PAUSE on x86).
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

/// The futex pattern's missing half: waiters announce themselves so that notifiers pay
/// one atomic operation, and no syscall, when nobody sleeps. No wake-up is lost: both
/// sides touch `waiters_` with read-modify-writes, which are totally ordered; if the
/// notifier's comes second it sees the waiter, and if it comes first the waiter's
/// synchronises with it and so sees the condition the notifier made true. (An RMW rather
/// than a standalone fence, which ThreadSanitizer cannot follow.)
class EventCount {
 public:
  /// Call before re-checking the condition; pass the key to wait() or cancel_wait().
  std::uint32_t prepare_wait() {
    waiters_.fetch_add(1, std::memory_order_acq_rel);
    return epoch_.load(std::memory_order_seq_cst);
  }
  void cancel_wait() { waiters_.fetch_sub(1, std::memory_order_relaxed); }
  /// Sleeps unless a notify came after prepare_wait(); false when the deadline passed.
  bool wait(std::uint32_t key, Deadline deadline) {
    bool in_time = futex_wait(epoch_, key, deadline);
    waiters_.fetch_sub(1, std::memory_order_relaxed);
    return in_time;
  }
  /// Call after making the condition true.
  void notify_all() {
    if (waiters_.fetch_add(0, std::memory_order_acq_rel) == 0) return;
    epoch_.fetch_add(1, std::memory_order_seq_cst);
    futex_wake_all(epoch_);
  }

 private:
  alignas(64) std::atomic<std::uint32_t> epoch_{0};
  std::atomic<std::uint32_t> waiters_{0};
};

}  // namespace ipcsim::core
