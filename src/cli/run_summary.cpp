#include "run_summary.hpp"

#include <fmt/format.h>

#include "report/table.hpp"

namespace ipcsim::cli {
namespace {

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
    fmt::print("    latency p50 {:.6g}s{}, p99 {:.6g}s{}\n", m.latency.p50, versus(m.latency.p50, s.latency.p50),
               m.latency.p99, versus(m.latency.p99, s.latency.p99));
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
  if (s.latency.count)
    fmt::print("  latency: mean {:.6g}s, p50 {:.6g}s, p99 {:.6g}s, max {:.6g}s\n", s.latency.mean, s.latency.p50,
               s.latency.p99, s.latency.max);
  if (s.sim_time > 0)
    fmt::print("  throughput: {:.6g} messages/s, {:.6g} bytes/s\n", s.throughput(), s.delivered_bytes / s.sim_time);
  for (const auto& o : s.occupancy) fmt::print("  occupancy of {}: mean {:.4g}, max {}\n", o.channel, o.mean, o.max);
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
             s.delivered, s.failed, s.lost, s.throughput(),
             s.latency.count ? fmt::format("{:.6g}s", s.latency.p99) : "-",
             s.stop == model::StopReason::completed || s.stop == model::StopReason::time ||
                     s.stop == model::StopReason::messages
                 ? ""
                 : fmt::format(" (stopped by {})", to_string(s.stop)),
             measured);
}

}  // namespace ipcsim::cli
