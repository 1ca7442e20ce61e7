#pragma once
// A validated scenario: what the user wrote, with names checked and units parsed.
// Built by load_scenario(); everything downstream may rely on its invariants.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "distribution.hpp"
#include "input_error.hpp"
#include "semantics.hpp"
#include "timing_model.hpp"
#include "units.hpp"

namespace ipcsim::scenario {

/// Buffer capacity: nullopt is unbounded, 0 is a rendezvous.
struct Capacity {
  std::optional<std::uint64_t> limit;
  bool unbounded() const { return !limit.has_value(); }
  bool rendezvous() const { return limit == std::uint64_t{0}; }
};

struct ChannelSpec {
  std::string name;
  Addressing addressing = Addressing::mailbox;
  std::vector<std::string> between;  // direct-symmetric: the two processes
  std::string receiver;              // direct-asymmetric: the receiving process (group)
  std::string owner;                 // mailbox: empty when the OS owns it
  std::optional<Seconds> delete_at;  // OS mailbox deleted at this time
  std::string host;                  // mailbox: where its buffer lives (empty: derived)
  Capacity capacity;
  FullPolicy full = FullPolicy::block;
  ReceiverPolicy receivers = ReceiverPolicy::fifo;
  // The sender's host keeps a send buffer, as a socket's kernel does: a blocking send returns
  // once its message is in it, and the message travels behind the send.
  bool sender_buffer = false;
  SourceMark mark;
};

struct SendStep {
  std::string to;   // a mailbox, or a process (instance or single-instance group)
  std::string via;  // optional channel name when `to` is a process
  RandomSize size;
  SendMode mode = SendMode::blocking;
  Seconds timeout{0};
  bool forward = false;  // carries on the lineage of the last message received (end-to-end latency)
};

struct ReceiveStep {
  std::string from;  // a mailbox, a process (direct-symmetric) or empty for "any"
  ReceiveMode mode = ReceiveMode::blocking;
  Seconds timeout{0};
};

/// Sends to the sender of the last message received, on the direct channel back to it.
struct ReplyStep {
  RandomSize size;
  SendMode mode = SendMode::blocking;
  Seconds timeout{0};
  bool forward = false;  // as SendStep's
};

struct ComputeStep {
  RandomDuration duration;
};

struct SleepStep {
  RandomDuration duration;
};

struct DeleteStep {
  std::string mailbox;
};

struct Step;
struct RepeatStep {
  std::optional<std::uint64_t> times;  // nullopt: forever
  std::vector<Step> body;
};

struct Step {
  using Action = std::variant<SendStep, ReceiveStep, ReplyStep, ComputeStep, SleepStep, DeleteStep, RepeatStep>;
  Action action;
  SourceMark mark;
};

struct ProcessSpec {
  std::string name;
  std::string host;
  std::uint32_t count = 1;
  std::vector<Step> program;
  SourceMark mark;
};

struct StopCondition {
  std::optional<std::uint64_t> messages;  // stop after this many deliveries
  std::string channel;                    // counting only those on this declared channel, when set
  std::optional<Seconds> time;            // stop at this simulated time
};

/// A fault at a simulated time: a host or link going down or up, or a process killed.
struct FaultSpec {
  Seconds at{0};
  FaultKind kind = FaultKind::kill;
  std::string target;  // the host, the link, or the process (an instance or a whole group)
  SourceMark mark;
};

/// Most replications a scenario may ask for.
inline constexpr std::uint32_t max_replications = 10'000;

struct Scenario {
  std::string name;
  std::string file;
  std::uint64_t seed = 1;
  std::uint32_t replications = 1;  // runs of each point, seeds seed, seed + 1, ... (report/replications.hpp)
  TimingModel model;
  StopCondition stop;
  bool measure = false;  // also replay on real threads (ipcsim run --measure)
  std::vector<ChannelSpec> channels;
  std::vector<ProcessSpec> processes;
  std::vector<FaultSpec> faults;  // in the order written

  const ChannelSpec* find_channel(std::string_view name) const;
  const ProcessSpec* find_process(std::string_view name) const;
  /// The hosts a run has, in model order: the model's own, or else those the processes
  /// and then the mailboxes name, each once.
  std::vector<std::string> host_names() const;
};

/// Reads and validates a scenario; throws InputError naming file:line:col on bad input.
Scenario load_scenario(const std::string& path);

/// One run of a sweep: the swept parameters (scenario path, value as written) and the
/// scenario with those values in place.
struct SweepPoint {
  std::vector<std::pair<std::string, std::string>> parameters;
  Scenario scenario;
};

/// Reads a scenario, applies `path=value` overrides (as `--set` gives them), and expands
/// its `sweep:` block into points, the first swept path varying slowest. A scenario with
/// no sweep gives one point. Throws InputError.
std::vector<SweepPoint> load_sweep(const std::string& path, const std::vector<std::string>& overrides);

/// Same as load_sweep, from text already in memory (`file` is used in error messages only).
std::vector<SweepPoint> parse_sweep(const std::string& text, const std::string& file,
                                    const std::vector<std::string>& overrides);

/// Same as load_scenario, from text already in memory (`file` is used in error messages only).
Scenario parse_scenario(const std::string& text, const std::string& file);

/// Instance names of a process group: "p" for one instance, "p.0", "p.1", ... for several.
std::string instance_name(const ProcessSpec& process, std::uint32_t index);

}  // namespace ipcsim::scenario
