#include "semantics.hpp"

#include <fmt/format.h>

namespace ipcsim {

Outcome outcome_of(Reason reason) {
  switch (reason) {
    case Reason::none:
      return Outcome::delivered;
    case Reason::would_block:
    case Reason::full:
    case Reason::timeout:
    case Reason::mailbox_destroyed:
    case Reason::no_reply_channel:
    case Reason::blocked_at_end:
      return Outcome::failed;
    case Reason::dropped_oldest:
    case Reason::dropped_newest:
    case Reason::owner_ended:
    case Reason::killed:
    case Reason::host_down:
    case Reason::link_down:
    case Reason::mailbox_deleted:
    case Reason::queued_at_end:
    case Reason::in_transit_at_end:
      return Outcome::lost;
  }
  return Outcome::failed;
}

std::string or_list(const std::vector<std::string>& names, std::size_t shown) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < shown; ++i)
    text += (i == 0 ? "" : (i + 1 == names.size() ? " or " : ", ")) + names[i];
  if (names.size() > shown) text += fmt::format(", ... ({} in all)", names.size());
  return text;
}

}  // namespace ipcsim
