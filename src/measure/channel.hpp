#pragma once
// Private to measure/: one channel instance on real threads, built from the queue core.
// The queue is picked by what the channel needs:
//   capacity 0                        -> Handoff (rendezvous)
//   bounded, one sender, one receiver -> SPSC ring (exact capacity)
//   other bounded                     -> MPMC ring, with credits for the exact capacity
//   unbounded                         -> MPSC list, receivers taking turns
// each wrapped in Blocking for blocking and timed waits. The semantics (full policies,
// failure reasons, destruction) follow DESIGN.md §1 as the simulation implements them.
#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

#include "core/blocking.hpp"
#include "core/handoff.hpp"
#include "core/mpmc_ring.hpp"
#include "core/mpsc_queue.hpp"
#include "core/spsc_ring.hpp"
#include "model/events.hpp"
#include "model/model.hpp"
#include "model/run_result.hpp"

namespace ipcsim::measure {

using core::Clock;
using core::Deadline;

struct Message {
  std::uint64_t number = 0;  // in send-call order from 0, as the events file names it
  model::ProcessId sender = model::none;
  model::ChannelId channel = model::none;        // the instance (none: it reached no channel)
  std::uint32_t declared_channel = model::none;  // where it is counted (none: it reached no channel)
  std::uint64_t size = 0;
  Clock::time_point send_call;
  model::Lineage lineage;                // its times in seconds of the steady clock (since its epoch)
  std::unique_ptr<std::byte[]> payload;  // `size` bytes, copied in by the sender
  // Synchronous sends: the sender's word, set to 1 (and woken) when the message ends.
  std::atomic<std::uint32_t>* ended = nullptr;
};

/// One thread's events (run --measured-events), held until the replay ends, then merged in
/// time order: a thread writing to a file would wait on it. Times are the steady clock's, in
/// seconds; the memory they take is counted in `held_bytes`.
class EventLog {
 public:
  explicit EventLog(std::atomic<std::uint64_t>& held_bytes) : held_bytes_(held_bytes) {}
  void add(Clock::time_point when, model::RunEvent event);
  std::vector<model::RunEvent>& events() { return events_; }

 private:
  std::vector<model::RunEvent> events_;
  std::atomic<std::uint64_t>& held_bytes_;
};

/// What one thread counted; merged into the run's totals at the end.
struct Tally {
  explicit Tally(std::size_t declared_channels) : counts(declared_channels) {}
  model::ChannelCounts counts;
  std::atomic<std::int64_t>* live_bytes = nullptr;  // the run's payload bytes in flight
  EventLog* events = nullptr;                       // set: the thread's events are kept

  void note(Clock::time_point when, const model::RunEvent& event) {
    if (events) events->add(when, event);
  }

  /// Counts a message as ended (delivered when `reason` is none), frees its payload and
  /// tells its synchronous sender, if any.
  void end(Message& message, Reason reason, Clock::time_point now);
  void merge(const Tally& other);
};

class Channel {
 public:
  Channel(const scenario::ChannelSpec& spec, bool one_sender_and_receiver);

  /// Reason::none: the channel holds the message (or a receiver took it). dropped_newest:
  /// lost, the sender not told. Any other reason: failed, the message is still the caller's.
  /// Messages evicted by drop-oldest are counted in `tally`. `blocked_at`, when given, is set
  /// to when the sender began to wait for room or a receiver, if it did.
  Reason send(Message& message, SendMode mode, Deadline deadline, Tally& tally,
              std::optional<Clock::time_point>* blocked_at = nullptr);
  /// A message, or nothing and why (`why`: empty, timed_out, failed: the mailbox is gone,
  /// unfinished: the run stopped).
  std::optional<Message> receive(ReceiveMode mode, Deadline deadline, model::ReceiveResult& why);

  /// Ends every wait on the channel; later sends fail (mailbox_destroyed, or blocked_at_end
  /// when `reason` is queued_at_end: the run stopped), later receives return nothing.
  /// Messages queued now, or pushed by a sender racing with the close, end with `reason`
  /// when drained.
  void close(Reason reason);
  bool closed() const { return closed_reason_.load(std::memory_order_acquire) != Reason::none; }
  /// Counts what is still queued as ended with the close reason (queued_at_end if open).
  void drain(Tally& tally, Clock::time_point now);

 private:
  // An MPMC ring holds at least a power of two; credits keep it to the exact capacity. A
  // push holding a credit always has a slot (at worst one a consumer is still moving out of).
  class ExactRing {
   public:
    explicit ExactRing(std::size_t capacity) : ring_(capacity), room_(static_cast<std::int64_t>(capacity)) {}
    bool try_push(Message&& message);
    std::optional<Message> try_pop();

   private:
    core::MpmcRing<Message> ring_;
    std::atomic<std::int64_t> room_;
  };
  // The MPSC list frees nodes from its one consumer; receivers, and a process deleting
  // the mailbox, take turns (uncontended with one receiver: one exchange per pop).
  class SharedList {
   public:
    bool try_push(Message&& message) { return list_.try_push(std::move(message)); }
    std::optional<Message> try_pop();

   private:
    core::MpscQueue<Message> list_;
    std::atomic<bool> taking_{false};
  };

  Reason closed_failure() const;

  const scenario::ChannelSpec& spec_;
  std::variant<core::Handoff<Message>, core::Blocking<core::SpscRing<Message>>, core::Blocking<ExactRing>,
               core::Blocking<SharedList>>
      queue_;
  std::atomic<Reason> closed_reason_{Reason::none};
};

}  // namespace ipcsim::measure
