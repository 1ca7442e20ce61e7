#pragma once
// A counterexample read back: the steps of the scenario it takes, and the same as events (the
// columns of run --events) for ipcsim timeline to draw.
#include <string>
#include <vector>

#include "model/events.hpp"
#include "spin.hpp"

namespace ipcsim::verify {

/// A step of the counterexample: a Promela line that does something (a send, a receive, a
/// failure, a deletion, a fault), or a process's end (line 0).
struct Said {
  std::string proctype;
  std::size_t line = 0;
};

/// The scenario's process a Promela process is (p<k>), or none for the helpers (deleter<c>,
/// faults0), which the trail also names p<pid> when they end.
model::ProcessId process_of(const model::Model& model, const std::string& proctype);

/// The trail's steps, each line once however many of its statements ran.
std::vector<Said> said_steps(const Promela& promela, const Verdict& verdict);

/// The counterexample as events: the n-th step happens at n seconds (times mean nothing in an
/// interleaving); messages are numbered as they are sent and taken oldest first, as the
/// program's channels do; at its end, each process that waits calls its step and blocks.
void counterexample_events(const model::Model& model, const Promela& promela, const Verdict& verdict,
                           model::EventSink& sink);

}  // namespace ipcsim::verify
