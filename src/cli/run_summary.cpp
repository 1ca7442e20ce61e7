#include "run_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>

#include "report/human_units.hpp"
#include "report/table.hpp"
#include "scenario/text.hpp"

namespace ipcsim::cli {
namespace {

using report::human_bytes_per_second;
using report::human_seconds;

std::string percent(double fraction) { return fmt::format("{:.1f}%", 100 * fraction); }

void print_table(const std::vector<std::vector<std::string>>& rows) {
  fmt::print("{}", aligned_columns(rows, 1, "   "));
}

// The per-channel table, for runs with more than one channel.
void print_channels(const report::Summary& s) {
  auto any = [&](auto figure) {
    return std::any_of(s.channels.begin(), s.channels.end(),
                       [&](const report::ChannelSummary& c) { return (c.*figure).count > 0; });
  };
  // Response and end-to-end columns only where some channel has them (replies, forwards).
  const bool responses = any(&report::Traffic::response), chains = any(&report::Traffic::end_to_end);
  std::vector<std::vector<std::string>> rows{{"channel", "sent", "delivered", "failed", "lost", "msg/s", "latency p50",
                                              "latency p99", "sends blocked", "occupancy mean/max"}};
  if (responses) rows[0].emplace_back("response p50");
  if (chains) rows[0].emplace_back("end to end p50");
  auto p50 = [](const report::Percentiles& d) { return d.count ? human_seconds(d.p50) : "-"; };
  for (const report::ChannelSummary& c : s.channels) {
    rows.push_back(
        {c.name, std::to_string(c.sent), std::to_string(c.delivered), std::to_string(c.failed), std::to_string(c.lost),
         s.sim_time > 0 ? fmt::format("{:.4g}", static_cast<double>(c.delivered) / s.sim_time) : "-", p50(c.latency),
         c.latency.count ? human_seconds(c.latency.p99) : "-", c.sent ? percent(c.blocked_fraction()) : "-",
         fmt::format("{:.3g} / {}", c.occupancy_mean, c.occupancy_max)});
    if (responses) rows.back().push_back(p50(c.response));
    if (chains) rows.back().push_back(p50(c.end_to_end));
  }
  print_table(rows);
}

// Where each process group's time went, for runs with more than one group.
void print_processes(const report::Summary& s) {
  std::vector<std::vector<std::string>> rows{
      {"process", "instances", "computing", "in send", "in receive", "sleeping", "dead"}};
  for (const report::ProcessSummary& p : s.processes)
    rows.push_back({p.name, std::to_string(p.instances), percent(p.computing), percent(p.sending), percent(p.receiving),
                    percent(p.sleeping), percent(p.dead)});
  print_table(rows);
}

// "+3.1%" of the modeled value, or nothing when there is none to compare with.
std::string versus(double measured, double modeled) {
  return modeled > 0 ? fmt::format(" ({:+.1f}% of modeled)", 100 * (measured - modeled) / modeled) : "";
}

std::string reasons_text(const report::Summary& s, Outcome outcome) {
  std::string text;
  for (Reason r : report::reasons_of(outcome))
    if (s.count(r)) text += fmt::format("{}{} {}", text.empty() ? "" : ", ", to_string(r), s.count(r));
  return text.empty() ? "" : " (" + text + ")";
}

void print_measured(const report::Summary& s) {
  const report::MeasuredSummary& m = *s.measured;
  if (!m.ran) {
    fmt::print("  measured: not run: {}\n", m.note);
    return;
  }
  fmt::print("  measured on {} threads ({} cores): {} sent, {} delivered, {} failed, {} lost in {:.6g}s{}\n", m.threads,
             m.cores, m.sent, m.delivered, m.failed, m.lost, m.elapsed,
             m.stop == model::StopReason::completed ? "" : fmt::format(", stopped by {}", to_string(m.stop)));
  if (m.elapsed > 0 && s.sim_time > 0)
    fmt::print("    throughput {:.6g} messages/s{}\n", m.throughput(), versus(m.throughput(), s.throughput()));
  if (m.latency.count)
    fmt::print("    latency p50 {}{}, p99 {}{}\n", human_seconds(m.latency.p50), versus(m.latency.p50, s.latency.p50),
               human_seconds(m.latency.p99), versus(m.latency.p99, s.latency.p99));
  if (!m.deadlock.empty()) fmt::print("    {}\n", m.deadlock);
  if (!m.note.empty()) fmt::print("    note: {}\n", m.note);
}

}  // namespace

void print_summary(const report::Summary& s) {
  fmt::print(
      "{} (seed {}, model {}): {} at t={:.9g}s\n", s.scenario, s.seed, s.model,
      s.stop == model::StopReason::completed ? "all processes ended" : fmt::format("stopped by {}", to_string(s.stop)),
      s.sim_time);
  fmt::print("  messages: {} sent, {} delivered, {} failed{}, {} lost{}\n", s.sent, s.delivered, s.failed,
             reasons_text(s, Outcome::failed), s.lost, reasons_text(s, Outcome::lost));
  if (s.receives.empty || s.receives.timed_out || s.receives.failed)
    fmt::print("  receives: {} calls, {} null, {} timed out, {} failed\n", s.receives.calls, s.receives.empty,
               s.receives.timed_out, s.receives.failed);
  if (s.sent)
    fmt::print("  sends: {} returned, {} in send calls together; {} of {} blocked for room or a receiver ({})\n",
               s.send_block.count, human_seconds(s.send_block_total), s.sends_blocked, s.sent,
               percent(s.blocked_fraction()));
  if (s.latency.count)
    fmt::print("  latency: mean {}, p50 {}, p99 {}, max {}\n", human_seconds(s.latency.mean),
               human_seconds(s.latency.p50), human_seconds(s.latency.p99), human_seconds(s.latency.max));
  if (s.response.count)
    fmt::print("  response (request to reply): mean {}, p50 {}, p99 {}, max {}\n", human_seconds(s.response.mean),
               human_seconds(s.response.p50), human_seconds(s.response.p99), human_seconds(s.response.max));
  if (s.end_to_end.count)
    fmt::print("  end to end (forwarded chains, at their last hop): mean {}, p50 {}, p99 {}, max {}\n",
               human_seconds(s.end_to_end.mean), human_seconds(s.end_to_end.p50), human_seconds(s.end_to_end.p99),
               human_seconds(s.end_to_end.max));
  if (s.sim_time > 0) {
    fmt::print("  throughput: {:.6g} messages/s, {}{}\n", s.throughput(),
               human_bytes_per_second(s.delivered_bytes / s.sim_time),
               s.channels.size() > 1 ? fmt::format(", the {} channels' deliveries together", s.channels.size()) : "");
    // A pipeline's items pass several channels: the rate at which whole chains come out.
    if (s.end_to_end.count)
      fmt::print("  flow: {:.6g} items/s end to end\n", static_cast<double>(s.end_to_end.count) / s.sim_time);
  }
  if (s.processes.size() > 1) print_processes(s);
  if (s.channels.size() > 1) {
    print_channels(s);
  } else {
    for (const report::ChannelSummary& c : s.channels)
      fmt::print("  occupancy of {}: mean {:.4g}, max {}\n", c.name, c.occupancy_mean, c.occupancy_max);
  }
  if (!s.deadlock.empty()) fmt::print("  {}\n", s.deadlock);
  if (s.measured) print_measured(s);
  fmt::print("  wall time {:.3g}s ({:.3g} simulated messages per wall second)\n", s.wall_time,
             s.wall_time > 0 ? static_cast<double>(s.sent) / s.wall_time : 0.0);
}

std::string parameters_text(const scenario::SweepPoint& point) {
  std::vector<std::string> paths, values;
  for (const auto& [path, value] : point.parameters) {
    paths.push_back(path);
    values.push_back(value);
  }
  return report::point_label(report::short_names(paths), values);
}

void print_point(const scenario::SweepPoint& point, const report::Summary& s) {
  std::string measured;
  if (s.measured && s.measured->ran && s.measured->elapsed > 0) {
    measured = fmt::format("; measured {:.6g} msg/s{}", s.measured->throughput(),
                           versus(s.measured->throughput(), s.throughput()));
  } else if (s.measured) {
    measured = "; not measured";
  }
  fmt::print("  {}: {} delivered, {} failed, {} lost, {:.6g} msg/s, latency p99 {}{}{}\n", parameters_text(point),
             s.delivered, s.failed, s.lost, s.throughput(), s.latency.count ? human_seconds(s.latency.p99) : "-",
             s.stop == model::StopReason::completed || s.stop == model::StopReason::time ||
                     s.stop == model::StopReason::messages
                 ? ""
                 : fmt::format(" (stopped by {})", to_string(s.stop)),
             measured);
}

namespace {

// A number of a replicated row and its 95% half-width, by column name; nullopt when empty.
struct Folded {
  const report::Columns& row;
  std::optional<double> number(std::string_view name) const {
    for (const report::Column& c : row)
      if (c.name == name && !c.value.empty()) return std::stod(c.value);
    return std::nullopt;
  }
  std::string text(std::string_view name) const {
    for (const report::Column& c : row)
      if (c.name == name) return c.value;
    return {};
  }
};

// How the terminal shows one figure of a replicated row: its column, its name, its units.
struct Figure {
  std::string_view column, name;
  std::string (*show)(double);
};

std::string plain_number(double v) { return fmt::format("{:.5g}", v); }

constexpr std::array replicated_figures{
    Figure{"messages_delivered", "delivered", plain_number},
    Figure{"messages_failed", "failed", plain_number},
    Figure{"messages_lost", "lost", plain_number},
    Figure{"throughput_msgs_per_s", "throughput (msg/s)", plain_number},
    Figure{"latency_mean_s", "latency mean", human_seconds},
    Figure{"latency_p50_s", "latency p50 (pooled)", human_seconds},
    Figure{"latency_p99_s", "latency p99 (pooled)", human_seconds},
    Figure{"sends_blocked_fraction", "sends blocked", percent},
    Figure{"response_mean_s", "response mean", human_seconds},
    Figure{"end_to_end_mean_s", "end to end mean", human_seconds},
};

std::string with_interval(const Figure& figure, const Folded& folded) {
  const std::optional<double> value = folded.number(figure.column);
  if (!value) return "-";
  const std::optional<double> half = folded.number(fmt::format("{}_ci95", figure.column));
  return half ? fmt::format("{} ± {}", figure.show(*value), figure.show(*half)) : figure.show(*value);
}

}  // namespace

void print_replicated(const report::Columns& row, std::size_t replications) {
  const Folded folded{row};
  const std::uint64_t seed = std::stoull(folded.text("seed"));
  fmt::print("{} (seeds {} to {}, model {}): {} replications, stop reason {}\n", folded.text("scenario"), seed,
             seed + replications - 1, folded.text("model"), replications, folded.text("stop_reason"));
  std::vector<std::vector<std::string>> rows{{"", "mean ± 95% interval"}};
  for (const Figure& figure : replicated_figures)
    if (folded.number(figure.column)) rows.push_back({std::string(figure.name), with_interval(figure, folded)});
  print_table(rows);
  if (const std::string deadlock = folded.text("deadlock"); !deadlock.empty()) fmt::print("  {}\n", deadlock);
}

void print_replicated_point(const scenario::SweepPoint& point, const report::Columns& row) {
  const Folded folded{row};
  fmt::print(
      "  {}: {} msg/s, latency p99 {}{}\n", parameters_text(point),
      with_interval({"throughput_msgs_per_s", "", plain_number}, folded),
      with_interval({"latency_p99_s", "", human_seconds}, folded),
      folded.text("stop_reason") == "completed" ? "" : fmt::format(" (stop reason {})", folded.text("stop_reason")));
}

}  // namespace ipcsim::cli
