#include "run_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "report/table.hpp"

namespace ipcsim::cli {
namespace {

// Human units for the terminal (the CSVs keep SI base units): "97.4 µs", "2.19 s".
std::string human_seconds(double seconds) {
  if (seconds >= 100) return fmt::format("{:.0f} s", seconds);
  if (seconds >= 1 || seconds == 0) return fmt::format("{:.3g} s", seconds);
  if (seconds >= 1e-3) return fmt::format("{:.3g} ms", seconds * 1e3);
  if (seconds >= 1e-6) return fmt::format("{:.3g} µs", seconds * 1e6);
  return fmt::format("{:.3g} ns", seconds * 1e9);
}

// "1.86 MB/s", with decimal prefixes.
std::string human_bytes_per_second(double rate) {
  constexpr std::array<const char*, 5> prefixes{"", "k", "M", "G", "T"};
  std::size_t prefix = 0;
  while (rate >= 1000 && prefix + 1 < prefixes.size()) {
    rate /= 1000;
    ++prefix;
  }
  return fmt::format("{:.3g} {}B/s", rate, prefixes[prefix]);
}

std::string percent(double fraction) { return fmt::format("{:.1f}%", 100 * fraction); }

// Columns as wide as their widest cell, the first left-aligned, the others right-aligned.
void print_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths(rows.front().size(), 0);
  // Counting characters, not bytes (µ is two).
  auto width = [](const std::string& text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char ch) { return (ch & 0xC0) != 0x80; }));
  };
  for (const auto& row : rows)
    for (std::size_t k = 0; k < row.size(); ++k) widths[k] = std::max(widths[k], width(row[k]));
  for (const auto& row : rows) {
    std::string line = " ";
    for (std::size_t k = 0; k < row.size(); ++k) {
      const std::string pad(widths[k] - width(row[k]), ' ');
      line += "  " + (k == 0 ? row[k] + pad : pad + row[k]);
    }
    fmt::print("{}\n", line);
  }
}

// The per-channel table, for runs with more than one channel.
void print_channels(const report::Summary& s) {
  std::vector<std::vector<std::string>> rows{{"channel", "sent", "delivered", "failed", "lost", "msg/s", "latency p50",
                                              "latency p99", "sends blocked", "occupancy mean/max"}};
  for (const report::ChannelSummary& c : s.channels)
    rows.push_back(
        {c.name, std::to_string(c.sent), std::to_string(c.delivered), std::to_string(c.failed), std::to_string(c.lost),
         s.sim_time > 0 ? fmt::format("{:.4g}", static_cast<double>(c.delivered) / s.sim_time) : "-",
         c.latency.count ? human_seconds(c.latency.p50) : "-", c.latency.count ? human_seconds(c.latency.p99) : "-",
         c.send_block.count ? percent(c.blocked_fraction()) : "-",
         fmt::format("{:.3g} / {}", c.occupancy_mean, c.occupancy_max)});
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
  if (s.send_block.count)
    fmt::print("  sends: {} returned, {} in send calls together; {} blocked for room or a receiver ({})\n",
               s.send_block.count, human_seconds(s.send_block_total), s.sends_blocked, percent(s.blocked_fraction()));
  if (s.latency.count)
    fmt::print("  latency: mean {}, p50 {}, p99 {}, max {}\n", human_seconds(s.latency.mean),
               human_seconds(s.latency.p50), human_seconds(s.latency.p99), human_seconds(s.latency.max));
  if (s.response.count)
    fmt::print("  response (request to reply): mean {}, p50 {}, p99 {}, max {}\n", human_seconds(s.response.mean),
               human_seconds(s.response.p50), human_seconds(s.response.p99), human_seconds(s.response.max));
  if (s.end_to_end.count)
    fmt::print("  end to end (forwarded): mean {}, p50 {}, p99 {}, max {}\n", human_seconds(s.end_to_end.mean),
               human_seconds(s.end_to_end.p50), human_seconds(s.end_to_end.p99), human_seconds(s.end_to_end.max));
  if (s.sim_time > 0)
    fmt::print("  throughput: {:.6g} messages/s, {}\n", s.throughput(),
               human_bytes_per_second(s.delivered_bytes / s.sim_time));
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
             s.delivered, s.failed, s.lost, s.throughput(),
             s.latency.count ? fmt::format("{:.6g}s", s.latency.p99) : "-",
             s.stop == model::StopReason::completed || s.stop == model::StopReason::time ||
                     s.stop == model::StopReason::messages
                 ? ""
                 : fmt::format(" (stopped by {})", to_string(s.stop)),
             measured);
}

}  // namespace ipcsim::cli
