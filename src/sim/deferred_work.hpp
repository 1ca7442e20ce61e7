#pragma once
// Any SimGrid call lets other actors run, so the channel logic never makes one midway: the
// network transfers, wake-ups and courier starts it decides wait here, and are done just
// before the calling actor's own next SimGrid call. Every blocking SimGrid call of the
// simulation goes through this type, which does them first, so no edit can forget to.
//
// It also keeps the simulated clock. Time passes only while every actor is blocked, so the
// clock is read when an actor starts (spawn) and each time a blocking call returns, not at
// each use: the S4U call goes through the engine instance and a thread-local, about 10% of
// a same-host message's instructions when read at every use.
#include <simgrid/s4u.hpp>

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "run_state.hpp"

namespace ipcsim::sim {

class DeferredWork {
 public:
  /// `start_courier(key)` starts the courier actor of an outbox.
  DeferredWork(std::vector<ProcessState>& processes, std::function<void(std::uint64_t)> start_courier)
      : processes_(processes), start_courier_(std::move(start_courier)) {}

  void wake_process(ProcessId id) { wakeups_.push_back(id); }
  /// Wakes an actor that waits for work (an idle courier, the slot returns).
  void release(sg4::Semaphore& semaphore) { to_release_.push_back(&semaphore); }
  void start_courier(std::uint64_t outbox) { couriers_to_start_.push_back(outbox); }
  void start_transfer(Transfer& transfer) { transfers_to_start_.push_back(&transfer); }
  /// The simulated time, as of the calling actor's start or last return from a blocking call.
  double now() const { return clock_; }
  /// Reads the engine's clock again: for code outside any actor (the engine's callbacks, the
  /// end of the run).
  void read_clock() noexcept { clock_ = sg4::Engine::get_clock(); }

  /// Starts an actor running `code`, which may use now() from its first line.
  template <class Code>
  sg4::ActorPtr spawn(const std::string& name, sg4::Host* host, Code code) {
    return sg4::Actor::create(name, host, [this, code = std::move(code)]() mutable {
      read_clock();
      code();
    });
  }

  /// Forgets what was not done yet (the run stopped).
  void discard() {
    wakeups_.clear();
    transfers_to_start_.clear();
    couriers_to_start_.clear();
    to_release_.clear();
  }

  /// Does what waits; the blocking calls below start with it.
  void flush() {
    if (!wakeups_.empty() || !transfers_to_start_.empty() || !couriers_to_start_.empty() || !to_release_.empty())
      flush_now();
  }
  void acquire(sg4::Semaphore& semaphore) {
    flush();
    const ClockReadOnReturn resumed(*this);
    semaphore.acquire();
  }
  /// True when the timeout came first.
  bool acquire_timeout(sg4::Semaphore& semaphore, double seconds) {
    flush();
    const ClockReadOnReturn resumed(*this);
    return semaphore.acquire_timeout(seconds);
  }
  void sleep_for(double seconds) {
    flush();
    const ClockReadOnReturn resumed(*this);
    sg4::this_actor::sleep_for(seconds);
  }
  void sleep_until(double time) {
    flush();
    const ClockReadOnReturn resumed(*this);
    sg4::this_actor::sleep_until(time);
  }
  /// Lets the other actors ready at this instant run first.
  void yield() {
    flush();
    const ClockReadOnReturn resumed(*this);
    sg4::this_actor::yield();
  }
  void wait(sg4::Activity& activity) {
    flush();
    const ClockReadOnReturn resumed(*this);
    activity.wait();
  }

 private:
  // Also when the call throws (a cancelled transfer, an actor killed at the end of the run).
  struct ClockReadOnReturn {
    DeferredWork& work;
    explicit ClockReadOnReturn(DeferredWork& w) : work(w) {}
    ClockReadOnReturn(const ClockReadOnReturn&) = delete;
    ClockReadOnReturn& operator=(const ClockReadOnReturn&) = delete;
    ~ClockReadOnReturn() { work.read_clock(); }
  };

  void flush_now() {
    // Each release lets other actors run, which may defer more work: take the lists first
    // (swapping with scratch vectors that keep their capacity, so flushing never allocates).
    std::vector<Transfer*> transfers = std::exchange(transfers_to_start_, std::move(spare_transfers_));
    std::vector<ProcessId> wakeups = std::exchange(wakeups_, std::move(spare_wakeups_));
    std::vector<std::uint64_t> couriers = std::exchange(couriers_to_start_, std::move(spare_couriers_));
    std::vector<sg4::Semaphore*> releases = std::exchange(to_release_, std::move(spare_releases_));
    // Transfers first: a message goes on the network the instant it is sent.
    for (Transfer* transfer : transfers) transfer->start();
    for (ProcessId id : wakeups) processes_[id].waiter.semaphore->release();
    for (sg4::Semaphore* semaphore : releases) semaphore->release();
    for (std::uint64_t key : couriers) start_courier_(key);
    transfers.clear();
    wakeups.clear();
    couriers.clear();
    releases.clear();
    spare_transfers_ = std::move(transfers);
    spare_wakeups_ = std::move(wakeups);
    spare_couriers_ = std::move(couriers);
    spare_releases_ = std::move(releases);
  }

  std::vector<ProcessState>& processes_;
  std::function<void(std::uint64_t)> start_courier_;
  std::vector<ProcessId> wakeups_;
  std::vector<Transfer*> transfers_to_start_;  // in an outbox, whose courier lands them
  std::vector<std::uint64_t> couriers_to_start_;
  std::vector<sg4::Semaphore*> to_release_;
  std::vector<ProcessId> spare_wakeups_;
  std::vector<Transfer*> spare_transfers_;
  std::vector<std::uint64_t> spare_couriers_;
  std::vector<sg4::Semaphore*> spare_releases_;
  double clock_ = 0;
};

}  // namespace ipcsim::sim
