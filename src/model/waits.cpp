#include "waits.hpp"

#include <fmt/format.h>

namespace ipcsim::model {

std::string describe_wait(std::string_view process, WaitFor what, std::string_view channel, std::uint64_t queued) {
  switch (what) {
    case WaitFor::message:
      return fmt::format("{} waits to receive from {} (empty)", process, channel);
    case WaitFor::room:
      return fmt::format("{} waits for room in {} (full, {} queued)", process, channel, queued);
    case WaitFor::receiver:
      return fmt::format("{} waits for a receiver on {} (rendezvous)", process, channel);
    case WaitFor::acceptance:
      return fmt::format("{} waits for its message to reach {}", process, channel);
    case WaitFor::taking:
      return fmt::format("{} waits for its message in {} to be taken (synchronous send)", process, channel);
    case WaitFor::nothing:
      break;
  }
  return fmt::format("{} is blocked", process);
}

}  // namespace ipcsim::model
