#include "timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "human_units.hpp"
#include "model/events.hpp"
#include "scenario/input_error.hpp"
#include "scenario/text.hpp"
#include "scenario/units.hpp"

namespace ipcsim::report {
namespace {

using model::EventKind;

/// Past this many processes a chart is unreadable: the first ones are drawn, and the note says so.
constexpr std::size_t max_lanes = 200;

// One row of the events CSV, read.
struct Row {
  double time;
  EventKind kind;
  std::size_t process;  // index into the names met, or none
  std::optional<std::uint64_t> message;
  const std::string* channel;
  const std::string* detail;
};

constexpr std::size_t no_process = static_cast<std::size_t>(-1);

struct Reader {
  const Table& table;
  std::size_t time_column, process_column, kind_column, channel_column, message_column, detail_column;
  std::vector<std::string> processes;  // in order of appearance
  std::unordered_map<std::string, std::size_t> process_index;

  explicit Reader(const Table& events)
      : table(events),
        time_column(events.require_column("time_s", why)),
        process_column(events.require_column("process", why)),
        kind_column(events.require_column("kind", why)),
        channel_column(events.require_column("channel", why)),
        message_column(events.require_column("message", why)),
        detail_column(events.require_column("detail", why)) {}

  static constexpr std::string_view why = "in an events CSV (as run --events writes)";

  [[noreturn]] void fail(std::size_t row, const std::string& message) const {
    throw InputError({table.file, table.lines[row], 1}, message);
  }

  std::vector<Row> rows() {
    std::vector<Row> out;
    out.reserve(table.rows.size());
    double last = -HUGE_VAL;
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
      const std::vector<std::string>& cells = table.rows[i];
      const std::optional<double> time = number_at(table, i, time_column);
      if (!time || !std::isfinite(*time) || *time < 0) fail(i, "time_s: expected a time in seconds, 0 or more");
      if (*time < last)
        fail(i, fmt::format("time_s: {} comes before the row above ({}): expected events in time order", *time, last));
      last = *time;
      const auto kind = parse_enum<EventKind>(cells[kind_column]);
      if (!kind) fail(i, fmt::format("kind: unknown event '{}'", printable(cells[kind_column].substr(0, 40))));
      std::optional<std::uint64_t> message;
      if (!cells[message_column].empty()) {
        message = parse_unsigned(cells[message_column]);
        if (!message)
          fail(i, fmt::format("message: expected a message number, found '{}'",
                              printable(cells[message_column].substr(0, 40))));
      }
      out.push_back(
          {*time, *kind, process_of(cells[process_column]), message, &cells[channel_column], &cells[detail_column]});
    }
    if (out.empty()) throw InputError({table.file}, "no events: expected the CSV that run --events writes");
    return out;
  }

  std::size_t process_of(const std::string& name) {
    if (name.empty()) return no_process;
    auto [at, added] = process_index.try_emplace(name, processes.size());
    if (added) processes.push_back(name);
    return at->second;
  }
};

// A lane's state as its process's events change it.
struct LaneBuilder {
  std::optional<LaneState> state;  // none before its start and after its end
  double since = 0;
  bool in_send = false;

  void become(std::optional<LaneState> next, double time, Lane& lane, double from, double to) {
    if (state) {  // what it was doing since `since`, clipped to the window; a span continued merges
      const double a = std::max(since, from), b = std::min(time, to);
      if (b > a && !lane.spans.empty() && lane.spans.back().state == *state && lane.spans.back().to == a)
        lane.spans.back().to = b;
      else if (b > a)
        lane.spans.push_back({a, b, *state});
    }
    since = time;
    state = next;
  }
};

std::optional<LaneState> state_after(const Row& row, LaneBuilder& lane) {
  switch (row.kind) {
    case EventKind::start:
    case EventKind::restarted:
    case EventKind::send_return:
    case EventKind::receive_return:
    case EventKind::compute_end:
    case EventKind::sleep_end:
    case EventKind::woken:
      lane.in_send = false;
      return LaneState::running;
    case EventKind::send_call:
      lane.in_send = true;
      return LaneState::running;
    case EventKind::blocked:
      return lane.in_send ? LaneState::blocked_send : LaneState::waiting_receive;
    case EventKind::receive_call:
      return LaneState::waiting_receive;
    case EventKind::compute_start:
      return LaneState::computing;
    case EventKind::sleep_start:
      return LaneState::sleeping;
    case EventKind::killed:
      return LaneState::dead;
    case EventKind::end:
      return std::nullopt;
    default:
      return lane.state;  // a message's or a fault's event: the process carries on as it was
  }
}

// Every message, by send: who sent it when, and how it ended.
std::vector<Arrow> arrows_of(const std::vector<Row>& rows, double last) {
  std::vector<Arrow> arrows;
  std::unordered_map<std::uint64_t, std::size_t> index;
  for (const Row& row : rows) {
    if (!row.message) continue;
    if (row.kind == EventKind::send_call) {
      if (!index.try_emplace(*row.message, arrows.size()).second) continue;  // sent twice: the first counts
      Arrow& a = arrows.emplace_back();
      a.message = *row.message;
      a.from_lane = row.process;
      a.sent = a.ended = row.time;
      a.channel = *row.channel;
      continue;
    }
    const auto found = index.find(*row.message);
    if (found == index.end()) continue;
    Arrow& a = arrows[found->second];
    switch (row.kind) {
      case EventKind::accepted:
        a.fate = *row.detail == "rendezvous" ? Fate::rendezvous : Fate::buffered;
        break;
      case EventKind::receive_return:
        if (*row.detail != "message") break;
        a.to_lane = row.process;
        a.ended = row.time;
        if (a.fate != Fate::rendezvous) a.fate = Fate::buffered;
        break;
      case EventKind::failed:
      case EventKind::lost:
        a.ended = row.time;
        a.reason = *row.detail;
        a.fate = row.kind == EventKind::failed                                  ? Fate::failed
                 : a.reason == "dropped_oldest" || a.reason == "dropped_newest" ? Fate::dropped
                                                                                : Fate::lost;
        break;
      default:
        break;
    }
  }
  for (Arrow& a : arrows)
    if (!a.to_lane && a.fate != Fate::failed && a.fate != Fate::dropped && a.fate != Fate::lost) {
      a.fate = Fate::unfinished;
      a.ended = last;
    }
  return arrows;
}

// The messages sent in the window, the first max_messages of them; without --to, the window
// then ends when the last of those does.
std::vector<Arrow> messages_in_window(std::vector<Arrow> arrows, const TimelineOptions& options, Timeline& t) {
  std::vector<Arrow> in_window;
  for (Arrow& a : arrows)
    if (a.sent >= t.from && a.sent <= t.to) in_window.push_back(std::move(a));
  t.messages_in_window = in_window.size();
  if (in_window.size() <= options.max_messages) return in_window;
  in_window.resize(options.max_messages);
  if (!options.to) {
    double end = t.from;
    for (const Arrow& a : in_window) end = std::max(end, a.ended);
    t.to = end;
  }
  t.note = fmt::format(
      "drew the first {} of the {} messages sent in the window (up to {}); choose one with "
      "--from and --to, or raise --max-messages",
      options.max_messages, t.messages_in_window, human_seconds(t.to));
  return in_window;
}

// The lanes: the processes asked for, else every one met (the first max_lanes). Returns each
// process's lane, or no_process.
std::vector<std::size_t> choose_lanes(const Reader& reader, const TimelineOptions& options, Timeline& t) {
  std::vector<std::size_t> lane_of(reader.processes.size(), no_process);
  if (!options.processes.empty()) {
    for (const std::string& name : options.processes) {
      const auto found = reader.process_index.find(name);
      if (found == reader.process_index.end())
        throw InputError({reader.table.file},
                         fmt::format("--processes: no process '{}' in the events", printable(name)));
      lane_of[found->second] = t.lanes.size();
      t.lanes.push_back({name, {}});
    }
    return lane_of;
  }
  for (std::size_t p = 0; p < reader.processes.size() && p < max_lanes; ++p) {
    lane_of[p] = p;
    t.lanes.push_back({reader.processes[p], {}});
  }
  if (reader.processes.size() > max_lanes)
    t.note += fmt::format("{}drew the first {} of {} processes; choose them with --processes",
                          t.note.empty() ? "" : "; ", max_lanes, reader.processes.size());
  return lane_of;
}

void draw_states(const std::vector<Row>& rows, const std::vector<std::size_t>& lane_of, Timeline& t) {
  std::vector<LaneBuilder> builders(lane_of.size());
  for (const Row& row : rows) {
    if (row.time > t.to) break;
    if (row.process == no_process || lane_of[row.process] == no_process) continue;
    LaneBuilder& b = builders[row.process];
    b.become(state_after(row, b), row.time, t.lanes[lane_of[row.process]], t.from, t.to);
  }
  for (std::size_t p = 0; p < builders.size(); ++p)
    if (lane_of[p] != no_process) builders[p].become(std::nullopt, t.to, t.lanes[lane_of[p]], t.from, t.to);
}

// An arrow is drawn when its sender's lane is; it reaches the receiver's lane when that is drawn too.
void place_arrows(std::vector<Arrow> arrows, const std::vector<std::size_t>& lane_of, Timeline& t) {
  for (Arrow& a : arrows) {
    if (a.from_lane == no_process || lane_of[a.from_lane] == no_process) continue;
    a.from_lane = lane_of[a.from_lane];
    if (a.to_lane && *a.to_lane != no_process && lane_of[*a.to_lane] != no_process)
      a.to_lane = lane_of[*a.to_lane];
    else
      a.to_lane.reset();
    t.arrows.push_back(std::move(a));
  }
}

}  // namespace

Timeline build_timeline(const Table& events, const TimelineOptions& options) {
  Reader reader(events);
  const std::vector<Row> rows = reader.rows();
  Timeline t;
  t.from = options.from.value_or(rows.front().time);
  t.to = options.to.value_or(rows.back().time);
  if (t.to < t.from)
    throw InputError({events.file}, fmt::format("--from {} is after {} {}", human_seconds(t.from),
                                                options.to ? "--to" : "the last event, at", human_seconds(t.to)));
  if (std::none_of(rows.begin(), rows.end(), [&](const Row& r) { return r.time >= t.from && r.time <= t.to; }))
    throw InputError({events.file}, fmt::format("no events from {} to {} (the events run from {} to {})",
                                                human_seconds(t.from), human_seconds(t.to),
                                                human_seconds(rows.front().time), human_seconds(rows.back().time)));
  std::vector<Arrow> arrows = messages_in_window(arrows_of(rows, rows.back().time), options, t);
  const std::vector<std::size_t> lane_of = choose_lanes(reader, options, t);
  draw_states(rows, lane_of, t);
  place_arrows(std::move(arrows), lane_of, t);
  for (const Row& row : rows)
    if (row.time >= t.from && row.time <= t.to &&
        (row.kind == EventKind::host_down || row.kind == EventKind::host_up || row.kind == EventKind::link_down ||
         row.kind == EventKind::link_up))
      t.faults.push_back({row.time, std::string(to_string(row.kind)), *row.detail});
  return t;
}

}  // namespace ipcsim::report
