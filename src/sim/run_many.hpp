#pragma once
// Several simulations at once, each in its own forked child, started and collected by the
// calling thread alone (forking from a multi-threaded program can leave a child stuck on a
// lock another thread held).
#include <cstddef>
#include <functional>
#include <stdexcept>

#include "simulation.hpp"

namespace ipcsim::sim {

/// Run `index` failed (the child crashed, or could not start).
struct RunFailed : std::runtime_error {
  RunFailed(std::size_t failed_run, const std::string& why) : std::runtime_error(why), index(failed_run) {}
  std::size_t index;
};

/// Runs `count` simulations, at most `jobs` at once. `model_of(i)` builds run i's model when
/// its turn comes (what it throws goes through); `finished(i, model, run)` gets each run, and
/// its model to keep or drop, as it ends, in any order. Once options.interrupted is set no
/// run starts; those going on end with stop_reason interrupted.
void run_many(std::size_t count, unsigned jobs, const Options& options,
              const std::function<model::Model(std::size_t)>& model_of,
              const std::function<void(std::size_t, model::Model&&, model::SimulatedRun&&)>& finished);

}  // namespace ipcsim::sim
