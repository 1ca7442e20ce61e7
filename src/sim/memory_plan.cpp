#include "memory_plan.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <fstream>

namespace ipcsim::sim {

double available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kib = 0;
  while (meminfo >> key >> kib)
    if (key == "MemAvailable:") return 0.8 * kib * 1024;
  return 0;
}

void MemoryPlan::limit(Options& options) const {
  options.max_resident_bytes = static_cast<std::uint64_t>(resident);
  // Under ulimit -v a run that reaches the limit fails an allocation inside SimGrid, which
  // aborts: it stops a little before, with stop_reason memory.
  options.max_address_space_bytes = address_space - std::min<std::uint64_t>(address_space, 16 << 20);
}

std::uint64_t MemoryPlan::payload_bytes(std::size_t processes) const {
  if (resident <= 0) return 0;
  return static_cast<std::uint64_t>(std::max(1.0, resident - static_cast<double>(processes) * resident_per_process));
}

std::variant<MemoryPlan, std::string> plan_memory(double memory, std::size_t runs_at_once, std::size_t processes) {
  MemoryPlan plan;
  plan.resident = memory / static_cast<double>(runs_at_once);
  const double resident_need = resident_per_run + static_cast<double>(processes) * resident_per_process;
  if (plan.resident > 0 && resident_need > plan.resident)
    return fmt::format(
        "{} simulated processes need about {:.2f} GiB ({} MiB and 16 KiB each), and {:.2f} GiB is "
        "available per run: expected fewer processes, or fewer points at once (-j)",
        processes, resident_need / (1 << 30), resident_per_run / (1 << 20), plan.resident / (1 << 30));
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    plan.address_space = limit.rlim_cur;
    const ActorStack stack = actor_stack_for(processes);
    const double per_process = static_cast<double>(stack.kib * 1024 + stack.guard_pages * 4096);
    const double need = address_space_per_run + static_cast<double>(processes) * per_process;
    if (need > static_cast<double>(plan.address_space))
      return fmt::format(
          "{} simulated processes need about {:.2f} GiB of address space ({} KiB of stack each), and "
          "ulimit -v allows {:.2f} GiB: expected fewer processes or a larger ulimit -v",
          processes, need / (1 << 30), stack.kib, static_cast<double>(plan.address_space) / (1 << 30));
  }
  return plan;
}

}  // namespace ipcsim::sim
