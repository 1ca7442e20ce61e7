#pragma once
// The vocabulary of DESIGN.md §1: one enum per option, one table per enum, so the YAML parser,
// error messages and CSV columns all spell an option the same way. Every module speaks it,
// so it lives in ipcsim:: with the units and input errors, not in ipcsim::scenario.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ipcsim {

enum class Addressing { direct_symmetric, direct_asymmetric, mailbox };
enum class ReceiverPolicy { fifo, round_robin, random };
enum class SendMode { blocking, synchronous, nonblocking, timeout };
enum class ReceiveMode { blocking, nonblocking, timeout };
enum class FullPolicy { block, fail, drop_oldest, drop_newest };
enum class Outcome : std::uint8_t { pending, delivered, failed, lost };
/// Fault events a scenario schedules (docs/faults.md).
enum class FaultKind { host_down, host_up, link_down, link_up, kill };

/// Why a message failed or was lost; `none` for delivered ones.
enum class Reason : std::uint8_t {
  none,
  would_block,        // nonblocking send found no room (or no waiting receiver at capacity 0)
  full,               // full policy `fail`
  timeout,            // timed send gave up
  mailbox_destroyed,  // sent to a mailbox that no longer exists (owner ended or deleted)
  mailbox_deleted,    // queued in, or travelling to, an OS mailbox when it was deleted
  no_reply_channel,   // reply to a sender that has no channel back
  dropped_oldest,     // evicted by a newer message (full policy drop-oldest)
  dropped_newest,     // discarded on a full buffer (full policy drop-newest)
  owner_ended,        // queued in or travelling to a mailbox when its owner ended
  killed,             // its sender was killed before the channel accepted it, or its receiver
                      // after taking it and before its receive returned (fault `kill`)
  host_down,          // queued on, or travelling to or from, a host that went down
  link_down,          // travelling over a link that went down, or sent while it was down
  blocked_at_end,     // the sender was still blocked when the run stopped
  queued_at_end,      // still in a buffer when the run stopped
  in_transit_at_end,  // accepted but not yet received when the run stopped
};

template <class E>
struct EnumNames;  // specialised below with a `table` of {value, spelling}

#define IPCSIM_ENUM_NAMES(E, ...)                   \
  template <>                                       \
  struct EnumNames<E> {                             \
    static constexpr std::array table{__VA_ARGS__}; \
  };

IPCSIM_ENUM_NAMES(Addressing, std::pair{Addressing::direct_symmetric, std::string_view{"direct-symmetric"}},
                  std::pair{Addressing::direct_asymmetric, std::string_view{"direct-asymmetric"}},
                  std::pair{Addressing::mailbox, std::string_view{"mailbox"}})
IPCSIM_ENUM_NAMES(ReceiverPolicy, std::pair{ReceiverPolicy::fifo, std::string_view{"fifo"}},
                  std::pair{ReceiverPolicy::round_robin, std::string_view{"round-robin"}},
                  std::pair{ReceiverPolicy::random, std::string_view{"random"}})
IPCSIM_ENUM_NAMES(SendMode, std::pair{SendMode::blocking, std::string_view{"blocking"}},
                  std::pair{SendMode::synchronous, std::string_view{"synchronous"}},
                  std::pair{SendMode::nonblocking, std::string_view{"nonblocking"}},
                  std::pair{SendMode::timeout, std::string_view{"timeout"}})
IPCSIM_ENUM_NAMES(ReceiveMode, std::pair{ReceiveMode::blocking, std::string_view{"blocking"}},
                  std::pair{ReceiveMode::nonblocking, std::string_view{"nonblocking"}},
                  std::pair{ReceiveMode::timeout, std::string_view{"timeout"}})
IPCSIM_ENUM_NAMES(FullPolicy, std::pair{FullPolicy::block, std::string_view{"block"}},
                  std::pair{FullPolicy::fail, std::string_view{"fail"}},
                  std::pair{FullPolicy::drop_oldest, std::string_view{"drop-oldest"}},
                  std::pair{FullPolicy::drop_newest, std::string_view{"drop-newest"}})
IPCSIM_ENUM_NAMES(Outcome, std::pair{Outcome::pending, std::string_view{"pending"}},
                  std::pair{Outcome::delivered, std::string_view{"delivered"}},
                  std::pair{Outcome::failed, std::string_view{"failed"}},
                  std::pair{Outcome::lost, std::string_view{"lost"}})
IPCSIM_ENUM_NAMES(FaultKind, std::pair{FaultKind::host_down, std::string_view{"host_down"}},
                  std::pair{FaultKind::host_up, std::string_view{"host_up"}},
                  std::pair{FaultKind::link_down, std::string_view{"link_down"}},
                  std::pair{FaultKind::link_up, std::string_view{"link_up"}},
                  std::pair{FaultKind::kill, std::string_view{"kill"}})
IPCSIM_ENUM_NAMES(Reason, std::pair{Reason::none, std::string_view{""}},
                  std::pair{Reason::would_block, std::string_view{"would_block"}},
                  std::pair{Reason::full, std::string_view{"full"}},
                  std::pair{Reason::timeout, std::string_view{"timeout"}},
                  std::pair{Reason::mailbox_destroyed, std::string_view{"mailbox_destroyed"}},
                  std::pair{Reason::mailbox_deleted, std::string_view{"mailbox_deleted"}},
                  std::pair{Reason::no_reply_channel, std::string_view{"no_reply_channel"}},
                  std::pair{Reason::dropped_oldest, std::string_view{"dropped_oldest"}},
                  std::pair{Reason::dropped_newest, std::string_view{"dropped_newest"}},
                  std::pair{Reason::owner_ended, std::string_view{"owner_ended"}},
                  std::pair{Reason::killed, std::string_view{"killed"}},
                  std::pair{Reason::host_down, std::string_view{"host_down"}},
                  std::pair{Reason::link_down, std::string_view{"link_down"}},
                  std::pair{Reason::blocked_at_end, std::string_view{"blocked_at_end"}},
                  std::pair{Reason::queued_at_end, std::string_view{"queued_at_end"}},
                  std::pair{Reason::in_transit_at_end, std::string_view{"in_transit_at_end"}})
#undef IPCSIM_ENUM_NAMES

template <class E>
constexpr std::string_view to_string(E value) {
  for (const auto& [v, name] : EnumNames<E>::table)
    if (v == value) return name;
  return "?";
}

template <class E>
constexpr std::optional<E> parse_enum(std::string_view text) {
  for (const auto& [v, name] : EnumNames<E>::table)
    if (name == text) return v;
  return std::nullopt;
}

/// "a, b or c", at most `shown` of them (then ", ... (N in all)"), for error messages.
std::string or_list(const std::vector<std::string>& names, std::size_t shown = SIZE_MAX);

/// "a, b or c": the spellings a user may write, for error messages.
template <class E>
std::string spellings() {
  std::vector<std::string> names;
  for (const auto& [value, name] : EnumNames<E>::table)
    if (!name.empty()) names.emplace_back(name);
  return or_list(names);
}

/// The outcome a reason belongs to: failed (the sender was told) or lost (it was not).
Outcome outcome_of(Reason reason);

}  // namespace ipcsim
