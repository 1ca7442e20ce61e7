#pragma once
// Test element types: one that counts constructions and destructions (to prove nothing
// leaks or is destroyed twice), and a move-only one.
#include <atomic>
#include <cstdint>
#include <memory>

namespace ipcsim::test {

struct Counted {
  static inline std::atomic<long> alive{0};
  static inline std::atomic<long> constructed{0};
  std::uint64_t value = 0;
  std::uint64_t canary = 0xC0FFEE;  // zeroed on destruction: catches use after destroy

  Counted() : Counted(0) {}
  explicit Counted(std::uint64_t v) : value(v) { ++alive, ++constructed; }
  Counted(const Counted& o) : value(o.value), canary(o.canary) { ++alive, ++constructed; }
  Counted(Counted&& o) noexcept : value(o.value), canary(o.canary) { ++alive, ++constructed; }
  Counted& operator=(const Counted&) = default;
  Counted& operator=(Counted&&) noexcept = default;
  ~Counted() {
    canary = 0;
    --alive;
  }
};

using MoveOnly = std::unique_ptr<std::uint64_t>;

/// Scales the stress tests down under sanitizers (IPCSIM_STRESS_SCALE=0.05, say).
double stress_scale();

}  // namespace ipcsim::test
