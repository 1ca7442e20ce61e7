// The timeline as an SVG sequence chart: a lane per process with its state as coloured bars,
// an arrow per message, faults across the lanes, a time axis and a legend. Hovering a bar or
// an arrow shows what it is (SVG <title>). Every user text goes through markup_text.
#include <fmt/format.h>

#include <array>
#include <cmath>

#include "human_units.hpp"
#include "scenario/text.hpp"
#include "timeline.hpp"

namespace ipcsim::report {
namespace {

constexpr double width = 1200, left = 170, right = 30, top = 64, lane_height = 36, bar_height = 14;
constexpr double plot_width = width - left - right;

struct StateStyle {
  LaneState state;
  const char* label;  // as the legend and the titles say it
  const char* colour;
};
constexpr std::array state_styles{StateStyle{LaneState::running, "running", "#66bb6a"},
                                  StateStyle{LaneState::computing, "computing", "#1e88e5"},
                                  StateStyle{LaneState::blocked_send, "blocked in send", "#e53935"},
                                  StateStyle{LaneState::waiting_receive, "waiting in receive", "#fdd835"},
                                  StateStyle{LaneState::sleeping, "sleeping", "#bdbdbd"},
                                  StateStyle{LaneState::dead, "dead", "#212121"}};

struct FateStyle {
  Fate fate;
  const char* colour;
  const char* dash;  // stroke-dasharray, or empty
};
constexpr std::array fate_styles{
    FateStyle{Fate::rendezvous, "#6a1b9a", ""}, FateStyle{Fate::buffered, "#283593", ""},
    FateStyle{Fate::failed, "#c62828", "5,3"},  FateStyle{Fate::dropped, "#ef6c00", "5,3"},
    FateStyle{Fate::lost, "#616161", "2,3"},    FateStyle{Fate::unfinished, "#9e9e9e", "2,3"}};

// Looked up by value: listed in the enums' order.
constexpr bool styles_in_order() {
  for (std::size_t i = 0; i < state_styles.size(); ++i)
    if (static_cast<std::size_t>(state_styles[i].state) != i) return false;
  for (std::size_t i = 0; i < fate_styles.size(); ++i)
    if (static_cast<std::size_t>(fate_styles[i].fate) != i) return false;
  return true;
}
static_assert(styles_in_order());

const StateStyle& style_of(LaneState state) { return state_styles[static_cast<std::size_t>(state)]; }
const FateStyle& style_of(Fate fate) { return fate_styles[static_cast<std::size_t>(fate)]; }

// 1, 2 or 5 times a power of ten, for about eight ticks over `span`.
double tick_step(double span) {
  const double rough = span / 8;
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * power >= rough) return m * power;
  return 10 * power;
}

// A time on an axis whose ticks are `step` apart: in the unit of the step, with the decimals
// that tell neighbouring ticks apart ("1002 ms", not "1 s").
std::string tick_label(double time, double step) {
  constexpr std::array<std::pair<double, const char*>, 4> units{
      {{1.0, "s"}, {1e-3, "ms"}, {1e-6, "\u00b5s"}, {1e-9, "ns"}}};
  std::size_t u = 0;
  while (u + 1 < units.size() && step < units[u].first * (1 - 1e-9)) ++u;
  const double scaled_step = step / units[u].first;
  const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(scaled_step) + 1e-9)));
  const double value = std::abs(time) < step * 1e-6 ? 0 : time / units[u].first;
  return fmt::format("{:.{}f} {}", value, decimals, units[u].second);
}

struct Chart {
  const Timeline& t;
  double span = t.to > t.from ? t.to - t.from : 1e-9;
  std::string svg{};

  double x(double time) const { return left + (time - t.from) / span * plot_width; }
  static double y(std::size_t lane) { return top + (static_cast<double>(lane) + 0.5) * lane_height; }
  double bottom() const { return top + static_cast<double>(t.lanes.size()) * lane_height; }

  void header() {
    const double height = bottom() + 110;
    fmt::format_to(std::back_inserter(svg),
                   R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" )"
                   R"(font-family="sans-serif" font-size="12">)"
                   "\n<defs>\n",
                   width, height);
    for (const FateStyle& f : fate_styles)
      fmt::format_to(
          std::back_inserter(svg),
          R"(<marker id="head-{0}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" )"
          R"(markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{1}"/></marker>)"
          "\n",
          to_string(f.fate), f.colour);
    svg += R"(<marker id="cross" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="9" markerHeight="9">)"
           R"(<path d="M1,1 L9,9 M9,1 L1,9" stroke="#c62828" stroke-width="2"/></marker>)"
           "\n</defs>\n";
    fmt::format_to(
        std::back_inserter(svg),
        R"(<rect width="100%" height="100%" fill="white"/>)"
        "\n"
        R"(<text x="10" y="22" font-size="15" font-weight="bold">Timeline, {} to {}: {} processes, {} messages</text>)"
        "\n",
        tick_label(t.from, tick_step(span)), tick_label(t.to, tick_step(span)), t.lanes.size(), t.arrows.size());
    if (!t.note.empty())
      fmt::format_to(std::back_inserter(svg),
                     R"(<text x="10" y="42" fill="#555">{}</text>)"
                     "\n",
                     markup_text(t.note));
  }

  void lanes() {
    svg += "<g id=\"lanes\">\n";
    for (std::size_t i = 0; i < t.lanes.size(); ++i) {
      const Lane& lane = t.lanes[i];
      fmt::format_to(std::back_inserter(svg),
                     R"(<text x="{}" y="{:.1f}" text-anchor="end">{}</text>)"
                     "\n"
                     R"(<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" stroke="#e0e0e0"/>)"
                     "\n",
                     left - 8, y(i) + 4, markup_text(lane.process), left, y(i), width - right, y(i));
      for (const StateSpan& s : lane.spans) {
        const StateStyle& style = style_of(s.state);
        fmt::format_to(std::back_inserter(svg),
                       R"(<rect class="state" x="{:.2f}" y="{:.1f}" width="{:.2f}" height="{}" fill="{}">)"
                       R"(<title>{}: {} from {} to {}</title></rect>)"
                       "\n",
                       x(s.from), y(i) - bar_height / 2, std::max(0.5, x(s.to) - x(s.from)), bar_height, style.colour,
                       markup_text(lane.process), style.label, human_seconds(s.from), human_seconds(s.to));
      }
    }
    svg += "</g>\n";
  }

  void arrows() {
    svg += "<g id=\"messages\">\n";
    for (const Arrow& a : t.arrows) {
      const FateStyle& style = style_of(a.fate);
      const double x1 = x(a.sent), y1 = y(a.from_lane);
      // Delivered: to the receiver's lane. Otherwise a short stroke down from the sender,
      // crossed out where the message ended.
      const double x2 = x(a.ended), y2 = a.to_lane ? y(*a.to_lane) : y1 + lane_height / 2.5;
      const std::string to_whom = a.to_lane ? " to " + t.lanes[*a.to_lane].process : std::string{};
      const std::string how = a.to_lane ? "received" : a.fate == Fate::unfinished ? "still under way" : a.reason;
      fmt::format_to(std::back_inserter(svg),
                     R"(<g class="message {}"><title>message {} on {}{}: sent {}, {} {}</title>)"
                     R"(<line x1="{:.2f}" y1="{:.1f}" x2="{:.2f}" y2="{:.1f}" stroke="{}" stroke-width="1.4"{}{}/></g>)"
                     "\n",
                     to_string(a.fate), a.message, markup_text(a.channel), markup_text(to_whom), human_seconds(a.sent),
                     markup_text(how), human_seconds(a.ended), x1, y1, x2, y2, style.colour,
                     *style.dash ? fmt::format(R"( stroke-dasharray="{}")", style.dash) : std::string{},
                     a.to_lane ? fmt::format(R"svg( marker-end="url(#head-{})")svg", to_string(a.fate))
                               : std::string(R"svg( marker-end="url(#cross)")svg"));
    }
    svg += "</g>\n";
  }

  void faults() {
    svg += "<g id=\"faults\">\n";
    for (const Fault& f : t.faults)
      fmt::format_to(std::back_inserter(svg),
                     R"(<g class="fault"><title>{} {} at {}</title>)"
                     R"(<line x1="{:.2f}" y1="{}" x2="{:.2f}" y2="{:.1f}" stroke="#c62828" stroke-dasharray="6,4"/>)"
                     R"(<text x="{:.2f}" y="{}" fill="#c62828" font-size="10">{} {}</text></g>)"
                     "\n",
                     f.kind, markup_text(f.target), human_seconds(f.time), x(f.time), top - 6, x(f.time), bottom(),
                     x(f.time) + 2, top - 8, f.kind, markup_text(f.target));
    svg += "</g>\n";
  }

  void axis() {
    const double base = bottom() + 6;
    fmt::format_to(std::back_inserter(svg),
                   R"(<g id="axis"><line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" stroke="black"/>)"
                   "\n",
                   left, base, width - right, base);
    const double step = tick_step(span);
    // Counted, not stepped: far from 0 a step can be below the times' precision (an events
    // file's lone event at 1e12 s), and adding it would never reach the end.
    const double first = std::ceil(t.from / step), ticks = std::floor(t.to / step + 1e-9) - first + 1;
    for (int i = 0; i < (std::isfinite(ticks) ? std::min(ticks, 20.0) : 0.0); ++i) {
      const double tick = (first + i) * step;
      fmt::format_to(std::back_inserter(svg),
                     R"(<line x1="{0:.2f}" y1="{1:.1f}" x2="{0:.2f}" y2="{2:.1f}" stroke="black"/>)"
                     R"(<text x="{0:.2f}" y="{3:.1f}" text-anchor="middle">{4}</text>)"
                     "\n",
                     x(tick), base, base + 5, base + 18, tick_label(tick, step));
    }
    svg += "</g>\n";
  }

  void legend() {
    double at = left;
    const double row = bottom() + 48;
    svg += "<g id=\"legend\">\n";
    for (const StateStyle& s : state_styles) {
      fmt::format_to(
          std::back_inserter(svg),
          R"(<rect x="{:.0f}" y="{:.0f}" width="14" height="10" fill="{}"/><text x="{:.0f}" y="{:.0f}">{}</text>)"
          "\n",
          at, row - 9, s.colour, at + 18, row, s.label);
      at += 140;
    }
    at = left;
    for (const FateStyle& f : fate_styles) {
      fmt::format_to(std::back_inserter(svg),
                     R"(<line x1="{:.0f}" y1="{:.0f}" x2="{:.0f}" y2="{:.0f}" stroke="{}" stroke-width="1.4"{}/>)"
                     R"(<text x="{:.0f}" y="{:.0f}">{}</text>)"
                     "\n",
                     at, row + 20, at + 24, row + 20, f.colour,
                     *f.dash ? fmt::format(R"( stroke-dasharray="{}")", f.dash) : std::string{}, at + 30, row + 24,
                     to_string(f.fate));
      at += 140;
    }
    svg += "</g>\n";
  }
};

}  // namespace

LaneStyle lane_style(LaneState state) {
  const StateStyle& style = style_of(state);
  return {style.label, style.colour};
}

std::string timeline_svg(const Timeline& timeline) {
  Chart chart{timeline};
  chart.header();
  chart.lanes();
  chart.faults();
  chart.arrows();
  chart.axis();
  chart.legend();
  chart.svg += "</svg>\n";
  return std::move(chart.svg);
}

}  // namespace ipcsim::report
