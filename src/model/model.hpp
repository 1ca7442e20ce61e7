#pragma once
// The scenario turned into what runs: process instances with compiled programs, channel
// instances (one per mailbox, one per receiver of a direct channel, one per direction of a
// symmetric link), hosts with their core counts. No SimGrid here: sim/ executes this.
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "scenario/scenario.hpp"

namespace ipcsim::model {

using ProcessId = std::uint32_t;
using ChannelId = std::uint32_t;
using HostId = std::uint32_t;
inline constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::uint64_t forever = std::numeric_limits<std::uint64_t>::max();

/// One instruction of a compiled program; `repeat` blocks become loop_begin/loop_end jumps.
struct Op {
  enum class Kind { send, receive, reply, compute, sleep, delete_mailbox, loop_begin, loop_end };
  explicit Op(Kind k) : kind(k) {}
  Kind kind;
  ChannelId channel = none;           // send, receive, delete_mailbox
  scenario::RandomSize size;          // send, reply
  scenario::RandomDuration duration;  // compute, sleep
  SendMode send_mode = SendMode::blocking;
  ReceiveMode receive_mode = ReceiveMode::blocking;
  Seconds timeout{0};
  bool forward = false;     // send, reply: carry on the lineage of the last message received
  std::uint64_t times = 0;  // loop_begin: iterations (`forever` for no end)
  std::uint32_t jump = 0;   // loop_begin: index after its loop_end; loop_end: its loop_begin
  int line = 0;             // the step's line in the scenario file (loop_end: its repeat's)
};

struct ProcessInstance {
  std::string name;
  std::uint32_t group;  // index into Scenario::processes
  HostId host;
  std::vector<Op> program;
};

struct ChannelInstance {
  std::string name;
  std::uint32_t spec;         // index into Scenario::channels
  HostId host;                // where the buffer lives
  ProcessId owner = none;     // process-owned mailbox
  ProcessId receiver = none;  // direct channels: the only receiver
  ProcessId sender = none;    // direct-symmetric: the only sender
};

struct Host {
  std::string name;
  Speed speed;
  int cores;
};

/// A scenario fault, resolved: a group kill becomes one per instance.
struct Fault {
  Seconds at{0};
  FaultKind kind = FaultKind::kill;
  HostId host = none;        // host_down, host_up
  ProcessId process = none;  // kill
  std::string link;          // link_down, link_up
};

struct Model {
  const scenario::Scenario* scenario = nullptr;
  std::uint64_t seed = 0;  // the scenario's, or a replication's (the random draws' only source)
  std::vector<Host> hosts;
  std::vector<ProcessInstance> processes;
  std::vector<ChannelInstance> channels;
  std::vector<Fault> faults;          // by time; those at the same time in the order written
  std::uint32_t stop_channel = none;  // the declared channel whose deliveries stop.messages counts; none: all
  // Per declared channel: no process that receives from it forwards anything, so a forwarded
  // message delivered there has reached its chain's end (the run's end-to-end figures count those).
  std::vector<bool> chain_end;

  /// Whether a delivery on channel `c` counts toward stop.messages.
  bool counts_toward_stop(ChannelId c) const { return stop_channel == none || channels[c].spec == stop_channel; }

  const scenario::ChannelSpec& spec(ChannelId id) const { return scenario->channels[channels[id].spec]; }
  /// The direct channel `from` uses to answer `to` (for reply), or `none`.
  ChannelId reply_channel(ProcessId from, ProcessId to) const;

  std::unordered_map<std::uint64_t, ChannelId> symmetric_links;  // (from << 32 | to) -> channel
  std::vector<ChannelId> inbox_of;                               // per process: its first direct-asymmetric channel
  std::vector<std::vector<ChannelId>> mailboxes_of;              // per process: the mailboxes it owns
};

/// Instantiates a validated scenario. The scenario must outlive the model. InputError when a
/// message would have to cross between hosts of a platform file that no route joins.
Model build_model(const scenario::Scenario& scenario);

}  // namespace ipcsim::model
