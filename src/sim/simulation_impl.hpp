#pragma once
// Private to sim/: the running simulation, shared by the channel logic (channel.cpp), the
// transport (transport.cpp), the program steps (process.cpp), faults (faults.cpp) and the
// driver (simulation.cpp).
#include <simgrid/s4u.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "deferred_work.hpp"
#include "memory_use.hpp"
#include "message_ledger.hpp"
#include "run_state.hpp"

namespace ipcsim::sim {

class Simulation {
 public:
  Simulation(const model::Model& model, std::vector<sg4::Host*> hosts, const Options& options);
  void start();
  SimulatedRun finish();

  // Program steps, run by process actors (process.cpp).
  class ProcessSteps;
  void run_program(ProcessState& p);
  void fail_send(ProcessState& p, Bytes size, Reason reason);
  bool send(ProcessState& p, ChannelId c, Bytes size, SendMode mode, Seconds timeout, const model::Lineage& lineage);
  /// The sender of the message received, or none.
  model::Received receive(ProcessState& p, ChannelId c, ReceiveMode mode, Seconds timeout);
  void destroy(ChannelId c, Reason lost_reason);

 private:
  // channel.cpp
  bool has_room(const ChannelState& ch) const;
  bool send_rendezvous(ProcessState& p, ChannelState& ch, MessageId id, SendMode mode, Seconds timeout);
  bool send_into_buffer(ProcessState& p, ChannelState& ch, MessageId id, SendMode mode, bool slot_reserved);
  bool send_to_full(ProcessState& p, ChannelState& ch, MessageId id, SendMode mode, Seconds timeout);
  bool wait_as_sender(ProcessState& p, ChannelState& ch, MessageId id, WaitFor what, SendMode mode, Seconds timeout);
  bool send_on_its_way(ProcessState& p, const scenario::ChannelSpec& spec, MessageId id, SendMode mode);
  bool await_sender_outcome(ProcessState& p, MessageId id, bool until_taken, bool carried);
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
  void release_slot(ChannelState& ch, MessageId id);
  void free_slot(ChannelState& ch);
  ProcessId pick_receiver(ChannelState& ch);
  void settle(MessageId id, Reason reason);
  /// Empties a buffer, every queued message ending with `reason`; with `hand_on_slots` each
  /// freed slot goes to the longest-blocked sender.
  void lose_queued(ChannelState& ch, Reason reason, bool hand_on_slots);
  void run_courier(std::uint64_t key);
  void run_slot_returns();
  /// The time a signal takes from one host to another: the sum of the route's latencies.
  double route_latency(const sg4::Host* from, const sg4::Host* to) const;
  /// Reason::none once the bytes are there; otherwise why they never got there (a fault).
  Reason transfer(sg4::Host* from, sg4::Host* to, std::uint64_t bytes, ProcessId carrier) {
    if (Reason failure = route_failure(from, to); failure != Reason::none) return failure;
    return network_free(from, to) ? Reason::none : transfer_over_network(from, to, bytes, carrier);
  }
  Reason transfer_over_network(sg4::Host* from, sg4::Host* to, std::uint64_t bytes, ProcessId carrier);
  /// Registers a transfer for the faults, until it ends.
  void track(Transfer& t);
  void untrack(const Transfer& t);
  /// Waits for a started transfer to end: Reason::none when its bytes are there.
  Reason await(Transfer& t);
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
  void flush() { deferred_.flush(); }
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
  // Progress callbacks, wall-clock and memory limits, interruption, stalls: every
  // events_between_looks events, or sooner when they are slow (run_state.hpp).
  void watch_limits();
  bool memory_exhausted() const;
  void check_stall();
  /// Ends the run now: no process takes another step (the caller finishes the one it is in).
  void halt(StopReason reason);
  [[noreturn]] void stop(StopReason reason);  // halt, and leave the caller's step at once
  std::string describe_wait(const ProcessState& p) const;
  double now() const { return deferred_.now(); }
  /// Tells the events sink, if any, of an event now.
  void note(model::EventKind kind, ProcessId process, ChannelId channel = model::none, MessageId message = no_message,
            std::string_view detail = {}, double amount = -1) {
    if (!options_.events) return;
    options_.events->add({now(), kind, process, channel,
                          message == no_message ? model::no_event_message : ledger_.state(message).number, detail,
                          amount});
  }
  ChannelId id_of(const ChannelState& ch) const { return static_cast<ChannelId>(&ch - channels_.data()); }

  using Clock = std::chrono::steady_clock;
  const model::Model& model_;
  const scenario::LocalCosts& local_;
  std::vector<sg4::Host*> hosts_;
  const Options& options_;
  Clock::time_point started_;
  Clock::time_point last_look_;
  Clock::time_point last_progress_;
  MemoryUse memory_use_;
  std::vector<ProcessState> processes_;
  std::vector<ChannelState> channels_;
  MessageLedger ledger_;
  std::unordered_map<std::uint64_t, Outbox> outboxes_;  // key: sender << 32 | channel
  std::priority_queue<SlotReturn, std::vector<SlotReturn>, std::greater<>> slot_returns_;  // soonest first
  std::uint64_t slot_returns_made_ = 0;
  sg4::SemaphorePtr slot_returned_;  // wakes run_slot_returns() for a sooner return
  SimulatedRun out_;
  std::vector<std::uint64_t> queued_per_spec_;
  std::vector<double> occupancy_since_;
  std::vector<std::uint64_t> queued_per_instance_;  // with per-instance figures
  std::vector<double> instance_since_;
  model::SeriesRecorder series_;
  std::uint64_t delivered_ = 0;
  std::uint64_t deliveries_toward_stop_ = 0;  // those stop.messages counts
  std::size_t live_processes_ = 0;
  std::size_t blocked_processes_ = 0;   // waiting with no timeout
  std::size_t pending_activities_ = 0;  // couriers and timers that can still change state
  DeferredWork deferred_;               // every blocking SimGrid call goes through it
  bool stopped_ = false;
  double stop_time_ = -1;
  // Stall detection: where the current simulated instant began.
  bool repeats_forever_ = false;  // only a program that repeats forever can stall
  double instant_ = -1;
  std::uint64_t instant_events_ = 0, instant_delivered_ = 0, instant_toward_stop_ = 0;
  // Faults
  std::size_t next_fault_ = 0;  // index in model_.faults of the next one to happen
  std::unordered_set<const sg4::Host*> down_hosts_;
  std::set<std::string> down_links_;
  std::vector<Transfer*> transfers_;  // under way
};

}  // namespace ipcsim::sim
