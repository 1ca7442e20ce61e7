#pragma once
// Private to sim/: the state of one running simulation, shared by the channel logic
// (channel.cpp), the program interpreter (process.cpp) and the driver (simulation.cpp).
#include <simgrid/s4u.hpp>

#include <chrono>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "buffer.hpp"
#include "fifo.hpp"
#include "memory_use.hpp"
#include "message_ledger.hpp"
#include "model/program.hpp"
#include "model/waits.hpp"
#include "simulation.hpp"

namespace ipcsim::sim {

namespace sg4 = simgrid::s4u;
using model::ChannelId;
using model::ProcessId;

/// Thrown in the actor that stops the run, to unwind its program.
/// References into the ledger's records and states must not be held across pay(),
/// transfer(), block() or flush(): other actors run there and may add messages.
struct StopRun {};

/// Thrown in a process a fault killed, at its next step, to unwind its program.
struct ProcessKilled {};

using model::WaitFor;

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
  ProcessState(ProcessId process, sg4::Host* placed_on, Rng seeded) : id(process), host(placed_on), rng(seeded) {}
  ProcessId id;
  sg4::Host* host;
  Rng rng;
  Waiter waiter;
  model::ProgramState program;
  bool alive = true;
  // Faults (docs/faults.md). A kill marks the process and interrupts what it waits in; the
  // process itself unwinds at its next step and gives up what it held (abandon()).
  bool killable = false;                 // a fault may kill it: its sleeps are interruptible
  Reason kill_reason = Reason::none;     // killed, host_down: it is being killed
  bool restart_on_up = false;            // killed by its host going down: starts again when it is up
  bool awaiting_restart = false;         // ended, waiting for its host to come up
  MessageId sending = no_message;        // its send in progress
  MessageId receiving = no_message;      // a message it has taken but not yet received
  sg4::ExecPtr computing;                // its compute step in progress
};

struct ChannelState {
  const model::ChannelInstance* instance;
  const ChannelSpec* spec;
  sg4::Host* host;
  Buffer queue;
  std::uint64_t reserved = 0;  // slots promised to messages travelling to the buffer
  Fifo<ProcessId> waiting_receivers;
  Fifo<ProcessId> waiting_senders;
  bool destroyed = false;
  Reason lost_reason = Reason::none;  // what queued messages became when it was destroyed
  ProcessId last_served = model::none;  // round-robin position
  Rng rng;                              // random receiver policy
  std::uint32_t generation = 0;  // a re-created mailbox (its owner restarted) is a new one
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
  ProcessId carrier;  // the process carrying it, or none (a courier)
  sg4::CommPtr comm;  // null until started
  Reason failure = Reason::none;
  std::size_t slot = 0;  // its position in Simulation::transfers_
};

/// Messages in transit from one sender to one channel travel in order, carried by one
/// courier actor that lives as long as there are processes (starting an actor per message
/// would cost a stack allocation each time).
struct Outbox {
  Fifo<MessageId> pending;
  sg4::SemaphorePtr work;       // released when an idle courier has something to carry
  bool courier_started = false;
  bool busy = false;            // carrying messages: counts as an activity in flight
};

/// Events between two looks at the limits (wall clock, memory, interruption): a power of two.
inline constexpr std::uint64_t events_between_looks = 4096;

class Simulation {
 public:
  Simulation(const model::Model& model, std::vector<sg4::Host*> hosts, const Options& options);
  void start();
  SimulatedRun finish();

  // Program steps, run by process actors (process.cpp).
  class ProcessSteps;
  void run_program(ProcessState& p);
  void fail_send(ProcessState& p, Bytes size, Reason reason);
  bool send(ProcessState& p, ChannelId c, Bytes size, SendMode mode, Seconds timeout);
  /// The sender of the message received, or none.
  ProcessId receive(ProcessState& p, ChannelId c, ReceiveMode mode, Seconds timeout);
  void destroy(ChannelId c, Reason lost_reason);

 private:
  // channel.cpp
  bool has_room(const ChannelState& ch) const;
  bool send_rendezvous(ProcessState& p, ChannelState& ch, MessageId id, SendMode mode,
                       Seconds timeout);
  bool send_into_buffer(ProcessState& p, ChannelState& ch, MessageId id, SendMode mode,
                        bool slot_reserved);
  bool send_to_full(ProcessState& p, ChannelState& ch, MessageId id, SendMode mode, Seconds timeout);
  bool wait_as_sender(ProcessState& p, ChannelState& ch, MessageId id, WaitFor what, SendMode mode,
                      Seconds timeout);
  bool await_sender_outcome(ProcessState& p, MessageId id, SendMode mode, bool carried);
  /// Takes a message for a receive call (model::ReceiveResult::message), or says why there is none.
  std::pair<model::ReceiveResult, MessageId> wait_for_message(ProcessState& p, ChannelState& ch, ReceiveMode mode,
                                                       Seconds timeout);
  void deliver(ProcessState& p, MessageId id);
  /// `carrier`: the calling process when it blocks until the message arrives anyway (it then
  /// carries the message there itself, and true is returned); null when nobody waits.
  bool dispatch(MessageId id, ProcessState* carrier);
  /// The end of a message's way to its channel: it arrives, or is lost with `failure`.
  void land(MessageId id, Reason failure);
  void arrive(MessageId id);
  void lose_in_transit(MessageId id, Reason reason);
  void give(ProcessId receiver, MessageId id);
  void mark_taken(MessageId id);
  void free_slot(ChannelState& ch);
  ProcessId pick_receiver(ChannelState& ch);
  void settle(MessageId id, Reason reason);
  /// Empties a buffer, every queued message ending with `reason`; with `hand_on_slots` each
  /// freed slot goes to the longest-blocked sender.
  void lose_queued(ChannelState& ch, Reason reason, bool hand_on_slots);
  void run_courier(std::uint64_t key);
  /// Reason::none once the bytes are there; otherwise why they never got there (a fault).
  Reason transfer(sg4::Host* from, sg4::Host* to, std::uint64_t bytes, ProcessId carrier) {
    if (Reason failure = route_failure(from, to); failure != Reason::none) return failure;
    return network_free(from, to) ? Reason::none : transfer_over_network(from, to, bytes, carrier);
  }
  Reason transfer_over_network(sg4::Host* from, sg4::Host* to, std::uint64_t bytes, ProcessId carrier);
  void count_occupancy(const ChannelState& ch, int delta);
  bool network_free(const sg4::Host* from, const sg4::Host* to) const {
    return from == to || model_.scenario->model.network.ideal;
  }

  // faults.cpp
  using Cancels = std::vector<sg4::ActivityPtr>;  // activities to cancel once the books are right
  void run_faults();
  void apply(const model::Fault& fault, Cancels& cancels);
  bool kill(ProcessState& p, Reason reason, Cancels& cancels);
  void stop_waiting(ProcessState& p);
  void fail_transfer(Transfer& t, Reason reason, Cancels& cancels);
  void host_down(sg4::Host* host, Cancels& cancels);
  void host_up(sg4::Host* host);
  void link_down(const std::string& link, Cancels& cancels);
  bool crosses(const sg4::Host* from, const sg4::Host* to, const std::string& link) const;
  Reason route_failure(const sg4::Host* from, const sg4::Host* to) const {
    return down_hosts_.empty() && down_links_.empty() ? Reason::none : route_failure_now(from, to);
  }
  Reason route_failure_now(const sg4::Host* from, const sg4::Host* to) const;
  void abandon(ProcessState& p);
  bool await_restart(ProcessState& p);
  void restart(ProcessState& p);
  bool restart_scheduled(const sg4::Host* host) const;
  void checkpoint(const ProcessState& p) const {
    if (p.kill_reason != Reason::none) throw ProcessKilled{};
  }

  // simulation.cpp
  enum class WaitResult { woken, timed_out };
  void start_process(ProcessState& p);
  WaitResult block(ProcessState& p, WaitFor what, ChannelId c, std::optional<Seconds> timeout);
  void wake(ProcessId id);
  void flush() {
    if (!wakeups_.empty() || !couriers_to_start_.empty() || !couriers_to_wake_.empty()) flush_deferred();
  }
  void flush_deferred();
  void withdraw(ProcessState& p);
  void pay(ProcessState& p, Seconds cost) {
    flush();
    checkpoint(p);
    if (cost.count() > 0) sleep(p, cost);
  }
  void sleep(ProcessState& p, Seconds duration);
  void compute(ProcessState& p, Seconds duration);
  void process_ended(ProcessState& p);
  void check_deadlock();
  void watch_limits();  // progress callbacks, wall-clock and memory limits, interruption, stalls
  bool memory_exhausted() const;
  void check_stall();
  [[noreturn]] void stop(StopReason reason);
  std::string describe_wait(const ProcessState& p) const;
  double now() const { return sg4::Engine::get_clock(); }
  ChannelId id_of(const ChannelState& ch) const { return static_cast<ChannelId>(&ch - channels_.data()); }

  using Clock = std::chrono::steady_clock;
  const model::Model& model_;
  const LocalCosts& local_;
  std::vector<sg4::Host*> hosts_;
  const Options& options_;
  Clock::time_point started_;
  Clock::time_point last_progress_;
  MemoryUse memory_use_;
  std::vector<ProcessState> processes_;
  std::vector<ChannelState> channels_;
  MessageLedger ledger_;
  std::unordered_map<std::uint64_t, Outbox> outboxes_;  // key: sender << 32 | channel
  SimulatedRun out_;
  std::vector<std::uint64_t> queued_per_spec_;
  std::vector<double> occupancy_since_;
  std::uint64_t delivered_ = 0;
  std::size_t live_processes_ = 0;
  std::size_t blocked_processes_ = 0;  // waiting with no timeout
  std::size_t pending_activities_ = 0;  // couriers and timers that can still change state
  // Any SimGrid call lets other actors run, so the channel logic never makes one midway:
  // wake-ups and courier starts wait here until flush(), which runs just before this
  // actor's own next SimGrid call (sleep, transfer, wait, compute or its end).
  std::vector<ProcessId> wakeups_;
  std::vector<std::uint64_t> couriers_to_start_;
  std::vector<std::uint64_t> couriers_to_wake_;
  std::vector<ProcessId> spare_wakeups_;  // flush() swaps these in, keeping their capacity
  std::vector<std::uint64_t> spare_couriers_, spare_idle_couriers_;
  bool stopped_ = false;
  double stop_time_ = -1;
  // Stall detection: where the current simulated instant began.
  bool repeats_forever_ = false;  // only a program that repeats forever can stall
  double instant_ = -1;
  std::uint64_t instant_events_ = 0, instant_delivered_ = 0;
  // Faults
  std::size_t next_fault_ = 0;  // index in model_.faults of the next one to happen
  std::unordered_set<const sg4::Host*> down_hosts_;
  std::set<std::string> down_links_;
  std::vector<Transfer*> transfers_;  // under way
};

}  // namespace ipcsim::sim
