#pragma once
// How much memory each simulation may hold, decided before any starts: a share of what the
// machine has (or --memory), and under ulimit -v the address space each process has. What
// cannot fit is refused up front rather than killed by the kernel halfway.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "simulation.hpp"

namespace ipcsim::sim {

/// 80% of what the machine has available, leaving room for everything else; 0 when unknown.
double available_memory_bytes();

// Measured (bench/README.md): a run starts at about 10 MiB resident and 64 MiB of address
// space; a simulated process adds about 16 KiB resident and its whole stack of address space.
inline constexpr double resident_per_run = 16 << 20, resident_per_process = 16 << 10;
inline constexpr double address_space_per_run = 128 << 20;

struct MemoryPlan {
  double resident = 0;              // per run; 0: no limit
  std::uint64_t address_space = 0;  // per process (ulimit -v); 0: no limit

  /// Sets the limits a run watches (Options::max_resident_bytes, max_address_space_bytes).
  void limit(Options& options) const;
  /// What a replay on threads may hold in payloads in flight: what the processes leave of
  /// the run's share; 0: no limit.
  std::uint64_t payload_bytes(std::size_t processes) const;
};

/// The plan for `runs_at_once` runs sharing `memory` bytes (0: no limit), the largest with
/// `processes` simulated processes; or why that one cannot fit.
std::variant<MemoryPlan, std::string> plan_memory(double memory, std::size_t runs_at_once, std::size_t processes);

}  // namespace ipcsim::sim
