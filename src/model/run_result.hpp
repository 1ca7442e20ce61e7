#pragma once
// What a run reports, whoever ran it: the simulation (sim/) or the measured replay on real
// threads (measure/); the report reads only this. Messages and receive calls are counted as
// each ends, so memory does not grow with the number sent; the per-message records are kept
// only when asked for (a trace, the tests).
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model.hpp"
#include "quantiles.hpp"
#include "scenario/semantics.hpp"
#include "series.hpp"

namespace ipcsim::model {

// stalled: a loop that takes no simulated time ran on at one instant (it never would end).
enum class StopReason { completed, messages, time, deadlock, stalled, max_wall, interrupted, memory };

struct MessageStats {
  std::uint64_t sent = 0;
  std::array<std::uint64_t, EnumNames<Reason>::table.size()> by_reason{};  // Reason::none: delivered
  double delivered_bytes = 0;
  Quantiles latency;     // send call to receive return, delivered messages
  Quantiles send_block;  // send call to send return, every send that returned
  Quantiles response;    // requests sent on this channel: send call to the return of the receive of the reply
  Quantiles end_to_end;  // forwarded messages received on this channel: the chain's first send call to here
  // Sends whose caller waited for another process: for room in a full buffer, for a receiver
  // at a rendezvous, or (synchronous) for a receiver to take its message from a buffer.
  // Carrying a message across a network is not blocking. Simulated runs only.
  std::uint64_t sends_blocked = 0;

  std::uint64_t count(Reason reason) const { return by_reason[static_cast<std::size_t>(reason)]; }
  /// Counts a message that ended: delivered when `reason` is none, `latency_seconds` after its
  /// send call; else failed or lost for `reason`.
  void end(Reason reason, std::uint64_t size, double latency_seconds) {
    ++by_reason[static_cast<std::size_t>(reason)];
    if (reason != Reason::none) return;
    delivered_bytes += static_cast<double>(size);
    latency.add(latency_seconds);
  }
  /// Adds another run's (or thread's) counts, as if its messages had ended here.
  void merge(const MessageStats& other) {
    sent += other.sent;
    for (std::size_t r = 0; r < by_reason.size(); ++r) by_reason[r] += other.by_reason[r];
    delivered_bytes += other.delivered_bytes;
    latency.merge(other.latency);
    send_block.merge(other.send_block);
    response.merge(other.response);
    end_to_end.merge(other.end_to_end);
    sends_blocked += other.sends_blocked;
  }
  /// Messages that ended: delivered, failed or lost. Equals `sent` once a run is over.
  std::uint64_t ended() const {
    std::uint64_t n = 0;
    for (std::uint64_t c : by_reason) n += c;
    return n;
  }
};

/// How a receive call ended.
enum class ReceiveResult : std::uint8_t {
  unfinished,  // the run stopped, or a fault killed the process, during the call
  message,     // it returned a message
  empty,       // nonblocking: nothing there
  timed_out,
  failed,  // the mailbox went away, or the message it took was cut by a fault
};

/// Receive calls, counted as each returns.
struct ReceiveStats {
  std::uint64_t calls = 0;
  std::uint64_t empty = 0;      // nonblocking receive found nothing (a null message)
  std::uint64_t timed_out = 0;  // timed receive gave up
  std::uint64_t failed = 0;     // mailbox gone, or the message cut by a fault, while receiving
  double wait_total = 0;        // seconds from call to return, summed
  double wait_max = 0;

  void add(ReceiveResult result, double waited) {
    ++calls;
    empty += result == ReceiveResult::empty;
    timed_out += result == ReceiveResult::timed_out;
    failed += result == ReceiveResult::failed;
    wait_total += waited;
    wait_max = std::max(wait_max, waited);
  }
  void merge(const ReceiveStats& other) {
    calls += other.calls;
    empty += other.empty;
    timed_out += other.timed_out;
    failed += other.failed;
    wait_total += other.wait_total;
    wait_max = std::max(wait_max, other.wait_max);
  }
  double wait_mean() const { return calls ? wait_total / static_cast<double>(calls) : 0; }
};

/// Where a message comes from beyond its own send: the request a reply answers, and the first
/// send of a chain of messages each sent on after receiving the one before (`forward: true`).
/// Times are send calls, in the run's seconds; -1: none.
struct Lineage {
  double request_sent = -1;
  std::uint32_t request_channel = none;  // the request's declared channel
  double first_sent = -1;
};

/// What a receive returned, as the stepper keeps it for a reply or a forward: the sender
/// (none: no message), the message's send call, its declared channel and its lineage.
struct Received {
  ProcessId sender = none;
  double sent = -1;
  std::uint32_t channel = none;
  Lineage lineage;
};

/// What one declared channel saw, all its instances together.
struct ChannelResult {
  MessageStats messages;  // the messages sent on it
  ReceiveStats receives;  // the receive calls on it
};

/// Where one process instance's time went, in the run's seconds (simulated, or wall-clock when
/// measured), and what it did. The stepper (program.hpp) times each step as it runs it.
struct ProcessTimes {
  double computing = 0;  // compute steps
  double sending = 0;    // in send calls, replies included: call to return
  double receiving = 0;  // in receive calls: call to return
  double sleeping = 0;   // sleep steps
  double dead = 0;       // killed, waiting for its host to come back up
  double ended = -1;     // when it ended for good (program done, or killed); -1: alive at the end
  std::uint64_t sends = 0, receives = 0, messages_received = 0;
};

/// What every run reports, simulated or measured.
struct RunResult {
  MessageStats messages;                         // every message: the channels' and those that reached none
  ReceiveStats receives;                         // every receive call
  std::vector<ChannelResult> channels;           // per declared channel, in the scenario's order
  std::vector<ChannelResult> channel_instances;  // per channel instance, when asked for (simulated runs)
  std::vector<ProcessTimes> processes;           // per process instance
  StopReason stop_reason = StopReason::completed;
  std::string deadlock;  // who waits on what, when stop_reason is deadlock
  double duration = 0;   // seconds the run lasted: simulated, or wall-clock when measured
};

/// Messages and receive calls counted where they belong as they end: per declared channel, and
/// apart the messages that reached no channel (a reply with no channel back). One per run, or
/// per thread and merged; the run's totals are summed once, at the end.
class ChannelCounts {
 public:
  explicit ChannelCounts(std::size_t declared_channels) : channels_(declared_channels) {}

  /// `spec`: a declared channel's index, or `none` for a message that reached no channel.
  MessageStats& messages(std::uint32_t spec) { return spec == none ? without_channel_ : channels_[spec].messages; }
  ReceiveStats& receives(std::uint32_t spec) { return channels_[spec].receives; }
  /// A message of declared channel `spec`, with `lineage`, was delivered at `received`: a
  /// reply counts its request's response time on the request's channel, a forwarded message
  /// its chain's time on its own.
  void delivered(std::uint32_t spec, const Lineage& lineage, double received);

  void merge(const ChannelCounts& other);
  /// Moves the per-channel figures into `result`, with the totals over all of them; the total
  /// end-to-end figures over the channels where chains end (Model::chain_end) only.
  void report_into(RunResult& result, const std::vector<bool>& chain_end) &&;

 private:
  std::vector<ChannelResult> channels_;
  MessageStats without_channel_;
};

/// The declared channels' figures: those of their instances, `instances` (per ChannelId), together.
std::vector<ChannelResult> by_declared_channel(const Model& model, const std::vector<ChannelResult>& instances);

using MessageId = std::uint32_t;
inline constexpr MessageId no_message = std::numeric_limits<MessageId>::max();

/// What happened to one message; times are seconds from the start, -1 when the stage never came.
struct MessageRecord {
  ProcessId sender = none;
  ProcessId receiver = none;  // who received it, when delivered
  ChannelId channel = none;
  std::uint64_t size = 0;
  double send_call = -1;    // the sender called send
  double accepted = -1;     // deposited in the buffer, or taken at a rendezvous
  double taken = -1;        // a receiver took it (out of the buffer, or at the rendezvous)
  double received = -1;     // the receive call returned it
  double send_return = -1;  // the send call returned
  double ended = -1;        // its outcome was decided (received, failed or lost)
  Outcome outcome = Outcome::pending;
  Reason reason = Reason::none;
  bool send_blocked = false;  // its sender waited for another process (MessageStats::sends_blocked)
  Lineage lineage;
};

/// One receive call.
struct ReceiveRecord {
  ProcessId process = none;
  ChannelId channel = none;
  double called = -1;
  double returned = -1;
  MessageId message = no_message;  // what it took, if anything
  ReceiveResult result = ReceiveResult::unfinished;
};

/// Time-weighted queue length of one declared channel (all its instances together).
struct Occupancy {
  double area = 0;  // integral of queued messages over time
  std::uint64_t max = 0;
};

/// A simulated run: the result, with what only a simulation can tell.
struct SimulatedRun {
  RunResult result;                            // duration: simulated seconds
  std::vector<MessageRecord> message_records;  // every message, in send-call order: when records are kept
  std::vector<ReceiveRecord> receive_records;  // every receive call, in call order: when records are kept
  std::vector<Occupancy> occupancy;            // per ChannelSpec
  std::vector<Occupancy> instance_occupancy;   // per ChannelId, with per-instance figures
  Series series;                               // the channels over time: with Options::series_step
  double wall_time = 0;
  std::uint64_t events = 0;  // program steps executed plus network transfers
};

/// A measured run (real threads): the result, with the machine it ran on.
struct MeasuredRun {
  RunResult result;      // duration: wall seconds from the start until the stop or the last process's end
  unsigned threads = 0;  // one per simulated process
  unsigned cores = 0;    // the hardware threads of this machine
  std::string note;      // what a reader of the figures should know (threads past cores, ...)
};

}  // namespace ipcsim::model

namespace ipcsim {
template <>
struct EnumNames<model::StopReason> {
  using S = model::StopReason;
  static constexpr std::array table{std::pair{S::completed, std::string_view{"completed"}},
                                    std::pair{S::messages, std::string_view{"messages"}},
                                    std::pair{S::time, std::string_view{"time"}},
                                    std::pair{S::deadlock, std::string_view{"deadlock"}},
                                    std::pair{S::stalled, std::string_view{"stalled"}},
                                    std::pair{S::max_wall, std::string_view{"max_wall"}},
                                    std::pair{S::interrupted, std::string_view{"interrupted"}},
                                    std::pair{S::memory, std::string_view{"memory"}}};
};
template <>
struct EnumNames<model::ReceiveResult> {
  using R = model::ReceiveResult;
  static constexpr std::array table{
      std::pair{R::unfinished, std::string_view{"unfinished"}}, std::pair{R::message, std::string_view{"message"}},
      std::pair{R::empty, std::string_view{"empty"}}, std::pair{R::timed_out, std::string_view{"timed_out"}},
      std::pair{R::failed, std::string_view{"failed"}}};
};
}  // namespace ipcsim
