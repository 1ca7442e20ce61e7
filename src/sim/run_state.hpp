#pragma once
// Private to sim/: the live state of a running simulation: per process, per channel, per
// network transfer and per courier. No behaviour here beyond small predicates.
#include <simgrid/s4u.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "buffer.hpp"
#include "fifo.hpp"
#include "message_ledger.hpp"
#include "model/program.hpp"
#include "model/waits.hpp"
#include "simulation.hpp"

namespace ipcsim::sim {

namespace sg4 = simgrid::s4u;
using model::ChannelId;
using model::ProcessId;
using model::WaitFor;

/// Thrown in the actor that stops the run, to unwind its program.
/// References into the ledger's records and states must not be held across a SimGrid call
/// (pay(), transfer(), block(), anything through DeferredWork): other actors run there and
/// may add messages.
struct StopRun {};

/// Thrown in a process a fault killed, at its next step, to unwind its program.
struct ProcessKilled {};

struct Waiter {
  sg4::SemaphorePtr semaphore;
  WaitFor what = WaitFor::nothing;
  ChannelId channel = model::none;
  MessageId message = 0;          // receiver: the message handed over; sender: its own
  Reason failure = Reason::none;  // set when the wait ended by a failure (mailbox gone)
  bool got_message = false;       // receiver: a message was handed over
  bool woken = false;
  bool matched = false;  // a partner committed: a timeout no longer applies
  bool counted_blocked = false;
  bool slot_granted = false;  // sender: free_slot() reserved a buffer slot for it

  /// Clears the outcome of the previous operation.
  void reset() {
    what = WaitFor::nothing;
    failure = Reason::none;
    got_message = woken = matched = slot_granted = false;
  }
};

struct ProcessState {
  ProcessState(ProcessId process, sg4::Host* placed_on, scenario::Rng seeded)
      : id(process), host(placed_on), rng(seeded) {}
  ProcessId id;
  sg4::Host* host;
  scenario::Rng rng;
  Waiter waiter;
  model::ProgramState program;
  model::ProcessTimes times;
  bool alive = true;
  // Faults (docs/faults.md). A kill marks the process and interrupts what it waits in; the
  // process itself unwinds at its next step and gives up what it held (abandon()).
  bool killable = false;              // a fault may kill it: its sleeps are interruptible
  Reason kill_reason = Reason::none;  // killed, host_down: it is being killed
  bool restart_on_up = false;         // killed by its host going down: starts again when it is up
  bool awaiting_restart = false;      // ended, waiting for its host to come up
  MessageId sending = no_message;     // its send in progress
  MessageId receiving = no_message;   // a message it has taken but not yet received
  sg4::ExecPtr computing;             // its compute step in progress
};

struct ChannelState {
  const model::ChannelInstance* instance;
  const scenario::ChannelSpec* spec;
  sg4::Host* host;
  Buffer queue;
  std::uint64_t reserved = 0;   // slots promised to messages travelling to the buffer
  std::uint64_t returning = 0;  // sender buffer: slots freed, their acknowledgement on its way back
  Fifo<ProcessId> waiting_receivers;
  Fifo<ProcessId> waiting_senders;
  bool destroyed = false;
  Reason lost_reason = Reason::none;    // what queued messages became when it was destroyed
  ProcessId last_served = model::none;  // round-robin position
  scenario::Rng rng;                    // random receiver policy
  std::uint32_t generation = 0;         // a re-created mailbox (its owner restarted) is a new one
};

/// Whether the mailbox a message was sent on its way to still exists: not destroyed, and not
/// re-created since (an owner that restarted has a new one).
inline bool still_there(const ChannelState& ch, const MessageState& message) {
  return !ch.destroyed && message.generation == ch.generation;
}

/// A network transfer under way, registered so that a fault can make it fail.
struct Transfer {
  sg4::Host* from;
  sg4::Host* to;
  std::uint64_t bytes;
  ProcessId carrier;  // the process carrying it, or none (a courier)
  sg4::CommPtr comm;  // null until started
  Reason failure = Reason::none;
  std::size_t slot = 0;  // its position in Simulation::transfers_
  bool started = false;  // start() is done with it: under way, or failed before it went

  /// Puts the bytes on the network, unless a fault failed the transfer already. A SimGrid
  /// call: other actors run meanwhile, and a fault among them may fail it.
  void start() {
    if (failure == Reason::none) {
      comm = sg4::Comm::sendto_async(from, to, bytes);
      if (failure != Reason::none) comm->cancel();  // a fault came while it started
    }
    started = true;
  }
};

/// The messages from one sender to one channel that are on their way, in the order sent.
/// Their transfers travel at once, sharing the route's bandwidth (each is started by its
/// sender's next flush of deferred work); one courier actor per outbox waits for them in
/// that order and lands each, so a message that arrives before its predecessor waits for it
/// and the channel stays FIFO per sender. The courier lives as long as there are processes
/// (starting an actor per message would cost a stack allocation each time).
struct Outbox {
  struct InFlight {
    MessageId message;
    Transfer transfer;
  };
  std::deque<InFlight> in_flight;  // a deque: a transfer's address is registered while it travels
  sg4::SemaphorePtr work;          // released when an idle courier has something to wait for
  bool courier_started = false;
  bool busy = false;  // waiting for messages: counts as an activity in flight
};

/// A slot of a sender buffer freed by a receiver, free for senders from `due` on, when the
/// acknowledgement reaches the sender's host.
struct SlotReturn {
  double due;
  std::uint64_t order;  // among equal due times, the first freed returns first
  ChannelId channel;
  std::uint32_t generation;  // of the mailbox it was freed in (a re-created one starts afresh)
  bool operator>(const SlotReturn& other) const { return due != other.due ? due > other.due : order > other.order; }
};

/// Events between two looks at the limits (wall clock, memory, interruption), at most: a power
/// of two. The wall clock is read every `events_between_clock_reads` events, and the limits
/// looked at sooner when `look_interval` has passed: a link shared by thousands of transfers
/// makes each event cost milliseconds, and --max-wall or an interruption must still be heard.
inline constexpr std::uint64_t events_between_looks = 4096;
inline constexpr std::uint64_t events_between_clock_reads = 16;
inline constexpr std::chrono::milliseconds look_interval{100};

}  // namespace ipcsim::sim
