#pragma once
// A run's events (run --events) as what `ipcsim timeline` draws: a lane per process with its
// state over time, an arrow per message, the faults; built once and written as an SVG
// sequence chart, a Chrome trace (Perfetto, chrome://tracing) or a Paje trace (ViTE, pajeng).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenario/semantics.hpp"
#include "table.hpp"

namespace ipcsim::report {

/// What a process is doing, as a lane shows it.
enum class LaneState : std::uint8_t { running, computing, blocked_send, waiting_receive, sleeping, dead };

/// How the sequence chart shows a state; the report's shares of time use the same colours.
struct LaneStyle {
  std::string_view label;   // "blocked in send"
  std::string_view colour;  // "#e53935"
};
LaneStyle lane_style(LaneState state);

struct StateSpan {
  double from = 0, to = 0;
  LaneState state = LaneState::running;
};

struct Lane {
  std::string process;
  std::vector<StateSpan> spans;  // in time order, within the window
};

/// How a message ended, as its arrow shows it.
enum class Fate : std::uint8_t { rendezvous, buffered, failed, dropped, lost, unfinished };

struct Arrow {
  std::uint64_t message = 0;
  std::size_t from_lane = 0;
  std::optional<std::size_t> to_lane;  // the receiver's, when delivered
  double sent = 0;                     // send call
  double ended = 0;                    // received, failed or lost; the end of the events when unfinished
  Fate fate = Fate::unfinished;
  std::string channel, reason;
};

struct Fault {
  double time = 0;
  std::string kind, target;  // host_down, beta
};

struct Timeline {
  std::vector<Lane> lanes;
  std::vector<Arrow> arrows;  // by send time
  std::vector<Fault> faults;
  double from = 0, to = 0;             // the window drawn
  std::size_t messages_in_window = 0;  // sent within it; arrows holds at most max_messages of them
  std::string note;                    // what was left out and how to see it, or empty
};

struct TimelineOptions {
  std::optional<double> from, to;      // seconds; default: the events' first and last
  std::vector<std::string> processes;  // default: all
  std::size_t max_messages = 500;      // past it, the window ends where the first ones do
};

/// The lanes, arrows and faults of `events` (an events CSV) within the window. InputError
/// naming the file and line for a table that is not an events CSV, a bad row, times that go
/// back, an unknown process in `processes`, or a window with no events.
Timeline build_timeline(const Table& events, const TimelineOptions& options);

std::string timeline_svg(const Timeline& timeline);
std::string timeline_chrome_json(const Timeline& timeline);
std::string timeline_paje(const Timeline& timeline);

}  // namespace ipcsim::report

namespace ipcsim {
// How the Chrome and Paje traces and the SVG's classes spell them.
template <>
struct EnumNames<report::LaneState> {
  using S = report::LaneState;
  static constexpr std::array table{std::pair{S::running, std::string_view{"running"}},
                                    std::pair{S::computing, std::string_view{"computing"}},
                                    std::pair{S::blocked_send, std::string_view{"blocked_send"}},
                                    std::pair{S::waiting_receive, std::string_view{"waiting_receive"}},
                                    std::pair{S::sleeping, std::string_view{"sleeping"}},
                                    std::pair{S::dead, std::string_view{"dead"}}};
};
template <>
struct EnumNames<report::Fate> {
  using F = report::Fate;
  static constexpr std::array table{std::pair{F::rendezvous, std::string_view{"rendezvous"}},
                                    std::pair{F::buffered, std::string_view{"buffered"}},
                                    std::pair{F::failed, std::string_view{"failed"}},
                                    std::pair{F::dropped, std::string_view{"dropped"}},
                                    std::pair{F::lost, std::string_view{"lost"}},
                                    std::pair{F::unfinished, std::string_view{"unfinished"}}};
};
}  // namespace ipcsim
