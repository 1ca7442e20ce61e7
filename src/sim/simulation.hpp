#pragma once
// Runs a model on SimGrid and returns what happened (model/run_result.hpp). Nothing outside
// sim/ includes SimGrid.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/events.hpp"
#include "model/model.hpp"
#include "model/run_result.hpp"

namespace ipcsim::sim {

using model::MessageId;
using model::MessageRecord;
using model::no_message;
using model::SimulatedRun;
using model::StopReason;

/// How far a run has come, for progress lines.
struct Progress {
  double sim_time = 0;
  std::uint64_t sent = 0, delivered = 0;
  double wall_time = 0;  // seconds since the run started
};

struct Options {
  bool verbose = false;         // SimGrid's own log on stderr
  bool keep_records = false;    // fill the message and receive records (traces, tests); costs memory per message
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
  // Record the channels over time in bins of this many simulated seconds (SimulatedRun::series); 0: not.
  double series_step = 0;
  // Also count each channel instance's messages, receive calls and queue on its own
  // (RunResult::channel_instances, SimulatedRun::instance_occupancy).
  bool per_instance = false;
  std::size_t series_max_bins = 10'000;  // per channel: past it, neighbouring bins merge and the step doubles
  // Told every event as it happens, in simulated-time order (run --events); finished at the end.
  model::EventSink* events = nullptr;
};

/// The stack SimGrid gives each simulated process, which depends on how many there are.
struct ActorStack {
  std::size_t kib;
  std::size_t guard_pages;
};
ActorStack actor_stack_for(std::size_t processes);

/// The SimGrid library this binary runs on: "3.32.0".
std::string simgrid_version();

/// Runs in this process. SimGrid allows one engine per process: call once.
SimulatedRun simulate(const model::Model& model, const Options& options);

/// Runs in a forked child so that any number of runs can happen in one program.
SimulatedRun simulate_isolated(const model::Model& model, const Options& options);

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
  SimulatedRun finish();

 private:
  int child_ = 0;
  int fd_ = -1;
  std::string received_;
  bool sized_ = false;  // received_ holds room for all of the child's output
};

}  // namespace ipcsim::sim
