#pragma once
// Runs a model on SimGrid and returns what happened to every message. Nothing outside
// sim/ includes SimGrid.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "model/run_stats.hpp"

namespace ipcsim::sim {

using MessageId = std::uint32_t;
inline constexpr MessageId no_message = std::numeric_limits<MessageId>::max();

/// What happened to one message; times are simulated seconds, -1 when the stage never came.
struct MessageRecord {
  model::ProcessId sender = model::none;
  model::ProcessId receiver = model::none;  // who received it, when delivered
  model::ChannelId channel = model::none;
  std::uint64_t size = 0;
  double send_call = -1;    // the sender called send
  double accepted = -1;     // deposited in the buffer, or taken at a rendezvous
  double taken = -1;        // a receiver took it (out of the buffer, or at the rendezvous)
  double received = -1;     // the receive call returned it
  double send_return = -1;  // the send call returned
  double ended = -1;        // its outcome was decided (received, failed or lost)
  Outcome outcome = Outcome::pending;
  Reason reason = Reason::none;
};

/// How a receive call ended.
enum class ReceiveResult : std::uint8_t {
  unfinished,  // the run stopped, or a fault killed the process, during the call
  message,     // it returned a message
  empty,       // nonblocking: nothing there
  timed_out,
  failed,      // the mailbox went away, or the message it took was cut by a fault
};

/// One receive call, kept with keep_records.
struct ReceiveRecord {
  model::ProcessId process = model::none;
  model::ChannelId channel = model::none;
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

using model::MessageStats;
using model::Quantiles;
using model::StopReason;

struct RunOutput {
  std::vector<MessageRecord> messages;  // every message, in send-call order: with keep_records only
  std::vector<ReceiveRecord> receives;  // every receive call, in call order: with keep_records only
  MessageStats stats;
  std::vector<Occupancy> occupancy;  // per ChannelSpec
  std::uint64_t receive_calls = 0;
  std::uint64_t null_receives = 0;     // nonblocking receive found nothing
  std::uint64_t receive_timeouts = 0;  // timed receive gave up
  std::uint64_t receive_failures = 0;  // mailbox gone, or the message cut by a fault, while receiving
  double receive_wait_total = 0;       // seconds from receive call to return, summed
  double receive_wait_max = 0;
  double sim_time = 0;
  double wall_time = 0;
  std::uint64_t events = 0;  // program steps executed plus network transfers
  StopReason stop_reason = StopReason::completed;
  std::string deadlock;  // who waits on what, when stop_reason is deadlock
};

/// How far a run has come, for progress lines.
struct Progress {
  double sim_time = 0;
  std::uint64_t sent = 0, delivered = 0;
  double wall_time = 0;  // seconds since the run started
};

struct Options {
  bool verbose = false;        // SimGrid's own log on stderr
  bool keep_records = false;   // fill RunOutput::messages (traces, tests); costs memory per message
  double max_wall_seconds = 0;  // stop with StopReason::max_wall after this long; 0: never
  // Set (from a signal handler, possibly in another process sharing the page) to stop the
  // run with StopReason::interrupted.
  const std::atomic<bool>* interrupted = nullptr;
  // Stop with StopReason::memory when the process's resident memory or its address space
  // reaches these (looked at every few thousand events); 0: no limit.
  std::uint64_t max_resident_bytes = 0;
  std::uint64_t max_address_space_bytes = 0;
  // What the process that collects the result holds already (set by IsolatedRun): with
  // keep_records it will hold the records too, and must stay within max_resident_bytes.
  std::uint64_t collector_resident_bytes = 0;
  // Stop with StopReason::stalled after this many steps at one simulated instant, when a
  // program repeats forever (a loop that takes no time would never end).
  std::uint64_t max_steps_at_one_instant = 100'000'000;
  // Called about every progress_interval_seconds of wall time while the run goes on.
  std::function<void(const Progress&)> on_progress;
  double progress_interval_seconds = 0.5;
};

/// The stack SimGrid gives each simulated process, which depends on how many there are.
struct ActorStack {
  std::size_t kib;
  std::size_t guard_pages;
};
ActorStack actor_stack_for(std::size_t processes);

/// Runs in this process. SimGrid allows one engine per process: call once.
RunOutput simulate(const model::Model& model, const Options& options);

/// Runs in a forked child so that any number of runs can happen in one program.
RunOutput simulate_isolated(const model::Model& model, const Options& options);

/// One simulation in a forked child, for running several at once from one thread: poll
/// fd() for input, call read_some() when it has some (false: the child is done writing),
/// then finish(). Fork only from a single-threaded program: a lock another thread holds
/// at the fork (in a sanitizer's allocator, say) stays locked in the child forever.
class IsolatedRun {
 public:
  IsolatedRun(const model::Model& model, const Options& options);
  IsolatedRun(const IsolatedRun&) = delete;
  IsolatedRun& operator=(const IsolatedRun&) = delete;
  ~IsolatedRun();  // kills the child if finish() was never reached

  int fd() const { return fd_; }
  bool read_some();
  /// Waits for the child; its output, or std::runtime_error if it failed or crashed.
  RunOutput finish();

 private:
  int child_ = 0;
  int fd_ = -1;
  std::string received_;
  bool sized_ = false;  // received_ holds room for all of the child's output
};

}  // namespace ipcsim::sim
