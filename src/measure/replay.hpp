#pragma once
// The measured mode: a model replayed on real threads, one OS thread per simulated
// process, each channel a queue of the core (measure/channel.hpp), payloads really copied.
// Times are wall-clock seconds from the start of the replay. No SimGrid here.
//
// compute steps spin for their duration (they take a core, as work does); sleep steps
// sleep on a futex until 20 us before their end and spin the rest, with the timer slack at
// 1 ns (a plain sleep overshoots by the default 50 us slack). A longer spin made wake-ups of
// other threads slower where threads outnumber cores (bench/README.md).
#include <atomic>
#include <cstdint>
#include <string>

#include "model/events.hpp"
#include "model/model.hpp"
#include "model/run_result.hpp"

namespace ipcsim::measure {

struct Options {
  double max_wall_seconds = 0;                     // stop with StopReason::max_wall after this long; 0: never
  const std::atomic<bool>* interrupted = nullptr;  // set: stop with StopReason::interrupted
  // Stop with StopReason::memory when queued payloads take more than this; 0: no limit.
  std::uint64_t max_live_bytes = 0;
  // Set: every event of the replay (run --measured-events), times in wall-clock seconds since
  // its start, given in time order once it has ended. The threads hold them until then: they
  // stop the replay (StopReason::memory) past max_live_bytes, or past max_event_bytes.
  model::EventSink* events = nullptr;
};

/// What the held events may take when max_live_bytes sets no limit.
inline constexpr std::uint64_t max_event_bytes = std::uint64_t{1} << 30;

/// At most this many processes (threads) in a replay.
inline constexpr std::size_t max_threads = 1024;

/// Why the model cannot be replayed on this machine (processes on several hosts, too many
/// threads), or empty when it can.
std::string unmeasurable(const model::Model& model);

/// Runs the replay; the model must be measurable.
model::MeasuredRun replay(const model::Model& model, const Options& options);

}  // namespace ipcsim::measure
