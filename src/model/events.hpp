#pragma once
// A run's events, one at a time as they happen (run --events): what each process did and
// when, what became of each message, the faults. A runner that is given a sink tells it every
// event in the order of its clock; writing them is the sink's business (report/events_csv),
// so no runner holds a whole trace in memory.
#include <cstdint>
#include <limits>
#include <string_view>

#include "model.hpp"
#include "run_result.hpp"

namespace ipcsim::model {

enum class EventKind : std::uint8_t {
  start,              // a process starts its program
  end,                // its program is done
  killed,             // a fault killed it (detail: the reason)
  restarted,          // it starts again, its host being up
  send_call,          // a send (or reply) is called (message: the new message; amount: its size in bytes)
  send_return,        // it returns (detail: ok, or why the message failed)
  accepted,           // the channel took the message (detail: buffer, or rendezvous: a receiver took it)
  receive_call,       // a receive is called
  receive_return,     // it returns (detail: message, empty, timed_out, failed or unfinished)
  failed,             // a message failed: its sender was told (detail: the reason)
  lost,               // a message was lost: nobody was told (detail: the reason)
  blocked,            // a process waits (detail: for what)
  woken,              // another process ended its wait
  compute_start,      // amount: the work asked for, in seconds at the host's speed
  compute_end,        //
  sleep_start,        // amount: the duration, in seconds
  sleep_end,          //
  host_down,          // detail: the host
  host_up,            //
  link_down,          // detail: the link
  link_up,            //
  mailbox_destroyed,  // channel: the mailbox (detail: why)
  mailbox_created,    // a process-owned mailbox made anew as its owner restarts (the others exist from the start)
};

inline constexpr std::uint64_t no_event_message = std::numeric_limits<std::uint64_t>::max();

/// The event that ends a message that was not delivered: failed (its sender was told) or lost.
inline EventKind ending_of(Reason reason) {
  return outcome_of(reason) == Outcome::failed ? EventKind::failed : EventKind::lost;
}

/// What a send_return says: ok, or why its message failed (a loss is not the sender's news).
inline std::string_view send_return_detail(Reason reason) {
  return outcome_of(reason) == Outcome::failed ? to_string(reason) : std::string_view("ok");
}

struct RunEvent {
  double time = 0;
  EventKind kind = EventKind::start;
  ProcessId process = none;
  ChannelId channel = none;
  std::uint64_t message = no_event_message;  // the message's number, in send-call order from 0 (--trace's id)
  std::string_view detail{};                 // a word (a reason, an outcome, what a process waits for, a name)
  double amount = -1;                        // or a number (bytes, seconds) when there is no word
};

class EventSink {
 public:
  EventSink() = default;
  EventSink(const EventSink&) = delete;
  EventSink& operator=(const EventSink&) = delete;
  virtual ~EventSink() = default;
  /// The run of `model` starts (its processes and channels are the events' numbers).
  virtual void begin(const Model& model) = 0;
  /// Never throws: the runner may be inside a simulated process.
  virtual void add(const RunEvent& event) noexcept = 0;
  /// The run is over: write out what is held; std::runtime_error if any of it could not be.
  virtual void finish() = 0;
};

}  // namespace ipcsim::model

namespace ipcsim {
template <>
struct EnumNames<model::EventKind> {
  using K = model::EventKind;
  static constexpr std::array table{std::pair{K::start, std::string_view{"start"}},
                                    std::pair{K::end, std::string_view{"end"}},
                                    std::pair{K::killed, std::string_view{"killed"}},
                                    std::pair{K::restarted, std::string_view{"restarted"}},
                                    std::pair{K::send_call, std::string_view{"send_call"}},
                                    std::pair{K::send_return, std::string_view{"send_return"}},
                                    std::pair{K::accepted, std::string_view{"accepted"}},
                                    std::pair{K::receive_call, std::string_view{"receive_call"}},
                                    std::pair{K::receive_return, std::string_view{"receive_return"}},
                                    std::pair{K::failed, std::string_view{"failed"}},
                                    std::pair{K::lost, std::string_view{"lost"}},
                                    std::pair{K::blocked, std::string_view{"blocked"}},
                                    std::pair{K::woken, std::string_view{"woken"}},
                                    std::pair{K::compute_start, std::string_view{"compute_start"}},
                                    std::pair{K::compute_end, std::string_view{"compute_end"}},
                                    std::pair{K::sleep_start, std::string_view{"sleep_start"}},
                                    std::pair{K::sleep_end, std::string_view{"sleep_end"}},
                                    std::pair{K::host_down, std::string_view{"host_down"}},
                                    std::pair{K::host_up, std::string_view{"host_up"}},
                                    std::pair{K::link_down, std::string_view{"link_down"}},
                                    std::pair{K::link_up, std::string_view{"link_up"}},
                                    std::pair{K::mailbox_destroyed, std::string_view{"mailbox_destroyed"}},
                                    std::pair{K::mailbox_created, std::string_view{"mailbox_created"}}};
};
}  // namespace ipcsim
