// The timeline for trace viewers: the Chrome trace-event format (Perfetto's UI,
// chrome://tracing) and Paje (SimGrid's format, read by ViTE and pajeng). A process is a
// thread (a container), its states slices (states), a message a flow (a link).
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "scenario/text.hpp"
#include "timeline.hpp"

namespace ipcsim::report {
namespace {

double microseconds(double seconds) { return seconds * 1e6; }

}  // namespace

std::string timeline_chrome_json(const Timeline& t) {
  std::string out = R"({"displayTimeUnit": "ms", "traceEvents": [)";
  out +=
      "\n"
      R"({"name": "process_name", "ph": "M", "pid": 1, "tid": 0, "args": {"name": "ipcsim run"}})";
  auto add = [&](const std::string& event) { out += ",\n" + event; };
  for (std::size_t i = 0; i < t.lanes.size(); ++i) {
    const std::size_t tid = i + 1;
    add(fmt::format(R"({{"name": "thread_name", "ph": "M", "pid": 1, "tid": {}, "args": {{"name": {}}}}})", tid,
                    json_string(t.lanes[i].process)));
    add(fmt::format(R"({{"name": "thread_sort_index", "ph": "M", "pid": 1, "tid": {}, "args": {{"sort_index": {}}}}})",
                    tid, i));
    for (const StateSpan& s : t.lanes[i].spans) {
      add(fmt::format(R"({{"name": "{}", "cat": "state", "ph": "B", "pid": 1, "tid": {}, "ts": {:.3f}}})",
                      to_string(s.state), tid, microseconds(s.from)));
      add(fmt::format(R"({{"name": "{}", "cat": "state", "ph": "E", "pid": 1, "tid": {}, "ts": {:.3f}}})",
                      to_string(s.state), tid, microseconds(s.to)));
    }
  }
  for (const Arrow& a : t.arrows) {
    const std::string name = json_string(fmt::format("message {} on {}", a.message, a.channel));
    if (a.to_lane) {
      add(fmt::format(R"({{"name": {}, "cat": "{}", "ph": "s", "id": {}, "pid": 1, "tid": {}, "ts": {:.3f}}})", name,
                      to_string(a.fate), a.message, a.from_lane + 1, microseconds(a.sent)));
      add(fmt::format(
          R"({{"name": {}, "cat": "{}", "ph": "f", "bp": "e", "id": {}, "pid": 1, "tid": {}, "ts": {:.3f}}})", name,
          to_string(a.fate), a.message, *a.to_lane + 1, microseconds(a.ended)));
    } else {
      add(fmt::format(
          R"({{"name": {}, "cat": "{}", "ph": "i", "s": "t", "pid": 1, "tid": {}, "ts": {:.3f}, "args": {{"reason": {}}}}})",
          name, to_string(a.fate), a.from_lane + 1, microseconds(a.ended),
          json_string(a.fate == Fate::unfinished ? "still under way" : a.reason)));
    }
  }
  for (const Fault& f : t.faults)
    add(fmt::format(R"({{"name": {}, "cat": "fault", "ph": "i", "s": "g", "pid": 1, "tid": 0, "ts": {:.3f}}})",
                    json_string(f.kind + " " + f.target), microseconds(f.time)));
  return out + "\n]}\n";
}

namespace {

// Paje has no escapes: a name keeps its printable text, double quotes made single.
std::string paje_name(std::string_view text) {
  std::string name = printable(text);
  std::replace(name.begin(), name.end(), '"', '\'');
  return "\"" + name + "\"";
}

constexpr const char* paje_header = R"(%EventDef PajeDefineContainerType 0
%  Alias string
%  Type string
%  Name string
%EndEventDef
%EventDef PajeDefineStateType 1
%  Alias string
%  Type string
%  Name string
%EndEventDef
%EventDef PajeDefineEntityValue 2
%  Alias string
%  Type string
%  Name string
%  Color color
%EndEventDef
%EventDef PajeDefineLinkType 3
%  Alias string
%  Type string
%  StartContainerType string
%  EndContainerType string
%  Name string
%EndEventDef
%EventDef PajeDefineEventType 4
%  Alias string
%  Type string
%  Name string
%EndEventDef
%EventDef PajeCreateContainer 5
%  Time date
%  Alias string
%  Type string
%  Container string
%  Name string
%EndEventDef
%EventDef PajeDestroyContainer 6
%  Time date
%  Type string
%  Name string
%EndEventDef
%EventDef PajeSetState 7
%  Time date
%  Type string
%  Container string
%  Value string
%EndEventDef
%EventDef PajeStartLink 8
%  Time date
%  Type string
%  Container string
%  Value string
%  StartContainer string
%  Key string
%EndEventDef
%EventDef PajeEndLink 9
%  Time date
%  Type string
%  Container string
%  Value string
%  EndContainer string
%  Key string
%EndEventDef
%EventDef PajeNewEvent 10
%  Time date
%  Type string
%  Container string
%  Value string
%EndEventDef
0 RUN 0 "Run"
0 PROCESS RUN "Process"
1 STATE PROCESS "State"
3 MESSAGE RUN PROCESS PROCESS "Message"
4 FAULT RUN "Fault"
)";

constexpr std::array<const char*, 6> paje_colours{"0.40 0.73 0.42", "0.12 0.53 0.90", "0.90 0.22 0.21",
                                                  "0.99 0.85 0.21", "0.74 0.74 0.74", "0.13 0.13 0.13"};

}  // namespace

std::string timeline_paje(const Timeline& t) {
  std::string out = paje_header;
  for (const auto& [state, name] : EnumNames<LaneState>::table)
    out += fmt::format("2 {0} STATE \"{0}\" \"{1}\"\n", name, paje_colours[static_cast<std::size_t>(state)]);
  for (const auto& [fate, name] : EnumNames<Fate>::table) out += fmt::format("2 {0} MESSAGE \"{0}\" \"0 0 0\"\n", name);
  // The events after the definitions must come in time order: gathered, then sorted.
  struct Line {
    double time;
    std::size_t order;  // among equal times, as made: a container before its states
    std::string text;
  };
  std::vector<Line> lines;
  auto at = [&](double time, std::string text) { lines.push_back({time, lines.size(), std::move(text)}); };
  at(t.from, fmt::format("5 {:.9f} run RUN 0 \"run\"\n", t.from));
  for (std::size_t i = 0; i < t.lanes.size(); ++i) {
    at(t.from, fmt::format("5 {:.9f} p{} PROCESS run {}\n", t.from, i, paje_name(t.lanes[i].process)));
    const std::vector<StateSpan>& spans = t.lanes[i].spans;
    for (std::size_t k = 0; k < spans.size(); ++k) {
      at(spans[k].from, fmt::format("7 {:.9f} STATE p{} {}\n", spans[k].from, i, to_string(spans[k].state)));
      if (k + 1 == spans.size() || spans[k + 1].from != spans[k].to)  // 0: no state until the next one
        at(spans[k].to, fmt::format("7 {:.9f} STATE p{} 0\n", spans[k].to, i));
    }
    at(t.to, fmt::format("6 {:.9f} PROCESS p{}\n", t.to, i));
  }
  for (const Arrow& a : t.arrows) {
    if (!a.to_lane) continue;  // a link joins two containers: an undelivered message has one
    at(a.sent, fmt::format("8 {:.9f} MESSAGE run {} p{} m{}\n", a.sent, to_string(a.fate), a.from_lane, a.message));
    at(a.ended, fmt::format("9 {:.9f} MESSAGE run {} p{} m{}\n", a.ended, to_string(a.fate), *a.to_lane, a.message));
  }
  for (const Fault& f : t.faults)
    at(f.time, fmt::format("10 {:.9f} FAULT run {}\n", f.time, paje_name(f.kind + " " + f.target)));
  at(t.to, fmt::format("6 {:.9f} RUN run\n", t.to));
  std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.time < b.time; });
  for (const Line& line : lines) out += line.text;
  return out;
}

}  // namespace ipcsim::report
