#pragma once
// Runs SPIN on a Promela program: spin -a writes the verifier's C, the system's C compiler
// builds it, and the verifier searches every interleaving for an invalid end state (a
// deadlock: processes wait and nothing can move) or a failed assertion. Each program runs in
// a process group of its own in a temporary folder, with no shell and no user text on its
// command line; past the wall-clock limit the group is killed.
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "promela.hpp"

namespace ipcsim::verify {

struct SearchOptions {
  std::uint64_t memory_bytes = std::uint64_t{1} << 30;  // what the verifier may take
  double max_wall_seconds = 600;                        // for the compile and the search together
  std::uint64_t depth = 1'000'000;                      // steps of the longest interleaving searched
  std::string keep;                                     // non-empty: leave model.pml and its trail here
  const std::atomic<bool>* interrupted = nullptr;       // set: stop, as past the wall-clock limit
};

enum class Finding { no_deadlock, deadlock, assertion, bound_reached, incomplete };

/// A process of the program where the search's last state finds it.
struct Stuck {
  std::string proctype;  // p<k> or deleter<c>
  std::size_t line = 0;  // its Promela line, 1-based
};

struct Verdict {
  Finding outcome = Finding::incomplete;
  std::uint64_t states = 0;  // stored by the search
  std::uint64_t depth_reached = 0;
  std::string incomplete;          // what ran out, when the search did not finish
  std::vector<std::size_t> steps;  // the counterexample: Promela lines in the order run
  std::vector<std::string> step_proctypes;
  std::vector<Stuck> stuck;     // at its end, the processes that had not ended
  std::size_t failed_line = 0;  // the assertion that failed
};

/// std::runtime_error naming the program when spin or the C compiler is missing or fails.
Verdict search(const Promela& promela, const SearchOptions& options);

}  // namespace ipcsim::verify
