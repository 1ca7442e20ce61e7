#pragma once
// The progress line on stderr, rewritten in place; only when stderr is a terminal.
#include <functional>
#include <string>

#include "scenario/scenario.hpp"
#include "sim/simulation.hpp"

namespace ipcsim::cli {

class ProgressLine {
 public:
  explicit ProgressLine(bool wanted);
  bool enabled() const { return enabled_; }
  void show(const std::string& text) const;
  void clear() const;

 private:
  bool enabled_;
};

/// ", ETA 12s" once `fraction` of the work took `elapsed` seconds; empty at 0 or 1.
std::string eta_text(double elapsed, double fraction);

/// Progress of one run, shown by the simulating child: simulated time, messages and, when
/// the scenario stops at a time or a message count, how far along that is. Empty when the
/// line is off.
std::function<void(const sim::Progress&)> run_progress(const ProgressLine& line, const scenario::Scenario& scenario);

}  // namespace ipcsim::cli
