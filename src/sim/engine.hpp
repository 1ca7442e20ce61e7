#pragma once
// Private to sim/: the state of one running simulation, shared by the channel logic
// (channel.cpp), the program interpreter (process.cpp) and the driver (simulation.cpp).
#include <simgrid/s4u.hpp>

#include <chrono>
#include <optional>
#include <unordered_map>
#include <vector>

#include "buffer.hpp"
#include "fifo.hpp"
#include "simulation.hpp"

namespace ipcsim::sim {

namespace sg4 = simgrid::s4u;
using model::ChannelId;
using model::ProcessId;

/// Thrown in the actor that stops the run, to unwind its program.
/// References into records_ or message_states_ must not be held across pay(),
/// transfer(), block() or flush(): other actors run there and may add messages.
struct StopRun {};

/// What a blocked process waits for; it tells the deadlock report what to say.
enum class WaitFor { nothing, message, room, receiver, acceptance, taking };

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

  /// Clears the outcome of the previous operation.
  void reset() {
    what = WaitFor::nothing;
    failure = Reason::none;
    got_message = woken = matched = false;
  }
};

struct ProcessState {
  ProcessId id;
  sg4::Host* host;
  Rng rng;
  Waiter waiter;
  std::vector<std::uint64_t> loops;  // remaining iterations of the enclosing repeats
  ProcessId last_sender = model::none;
  bool alive = true;
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
};

/// Per message, beside its record: the live state the channel logic needs.
struct MessageState {
  ProcessId bound_receiver = model::none;  // rendezvous partner chosen before arrival
  bool dispatched = false;  // on its way to the buffer or the bound receiver
  bool arrived = false;
  bool taken = false;
  bool retired = false;  // counted in the statistics; its slot may serve a new message
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

class Simulation {
 public:
  Simulation(const model::Model& model, std::vector<sg4::Host*> hosts, const Options& options);
  void start();
  RunOutput finish();

  // Program steps, run by process actors (process.cpp).
  void run_program(ProcessState& p);
  bool send(ProcessState& p, ChannelId c, Bytes size, SendMode mode, Seconds timeout);
  void receive(ProcessState& p, ChannelId c, ReceiveMode mode, Seconds timeout);
  void destroy(ChannelId c, Reason lost_reason);

 private:
  // channel.cpp
  MessageId new_message(ProcessState& p, ChannelId c, Bytes size);
  bool has_room(const ChannelState& ch) const;
  bool send_rendezvous(ProcessState& p, ChannelState& ch, MessageId id, SendMode mode,
                       Seconds timeout);
  bool send_into_buffer(ProcessState& p, ChannelState& ch, MessageId id, SendMode mode,
                        bool slot_reserved);
  bool send_to_full(ProcessState& p, ChannelState& ch, MessageId id, SendMode mode, Seconds timeout);
  bool wait_as_sender(ProcessState& p, ChannelState& ch, MessageId id, WaitFor what, SendMode mode,
                      Seconds timeout);
  bool await_sender_outcome(ProcessState& p, MessageId id, SendMode mode, bool carried);
  std::optional<MessageId> wait_for_message(ProcessState& p, ChannelState& ch, ReceiveMode mode,
                                            Seconds timeout);
  void deliver(ProcessState& p, MessageId id);
  /// `caller_waits`: the calling actor blocks until the message arrives anyway. True when
  /// the caller carried it there itself.
  bool dispatch(MessageId id, bool caller_waits);
  void arrive(MessageId id);
  void give(ProcessId receiver, MessageId id);
  void mark_taken(MessageId id);
  void free_slot(ChannelState& ch);
  ProcessId pick_receiver(ChannelState& ch);
  void settle(MessageId id, Reason reason);
  void retire_if_done(MessageId id);
  void retire(MessageId id);
  void run_courier(std::uint64_t key);
  void transfer(sg4::Host* from, sg4::Host* to, std::uint64_t bytes);
  void count_occupancy(const ChannelState& ch, int delta);
  bool network_free(const sg4::Host* from, const sg4::Host* to) const;

  // simulation.cpp
  enum class WaitResult { woken, timed_out };
  WaitResult block(ProcessState& p, WaitFor what, ChannelId c, std::optional<Seconds> timeout);
  void wake(ProcessId id);
  void flush() {
    if (!wakeups_.empty() || !couriers_to_start_.empty() || !couriers_to_wake_.empty()) flush_deferred();
  }
  void flush_deferred();
  void withdraw(ProcessState& p);
  void pay(Seconds cost);
  void process_ended(ProcessState& p);
  void check_deadlock();
  void watch_limits();  // progress callbacks, wall-clock and memory limits, interruption
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
  std::vector<ProcessState> processes_;
  std::vector<ChannelState> channels_;
  std::vector<ChannelId> owned_mailboxes_;  // process-owned: checked when a process ends
  // Messages by id: every one ever sent with keep_records, else only those still live
  // (ended ones are folded into out_.stats and their slots reused).
  std::vector<MessageRecord> records_;
  std::vector<MessageState> message_states_;
  std::vector<MessageId> free_ids_;
  std::unordered_map<std::uint64_t, Outbox> outboxes_;  // key: sender << 32 | channel
  RunOutput out_;
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
};

}  // namespace ipcsim::sim
