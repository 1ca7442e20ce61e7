#include "summary.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

namespace ipcsim::report {
namespace {

Percentiles percentiles_of(const model::Quantiles& values) {
  Percentiles d;
  d.count = values.count;
  if (d.count == 0) return d;
  d.mean = values.mean();
  d.p50 = values.quantile(0.50);
  d.p95 = values.quantile(0.95);
  d.p99 = values.quantile(0.99);
  d.max = values.max;
  return d;
}

struct Outcomes {
  std::uint64_t delivered = 0, failed = 0, lost = 0;
};
Outcomes outcomes_of(const model::MessageStats& stats) {
  Outcomes o;
  o.delivered = stats.count(Reason::none);
  for (Reason r : reasons_of(Outcome::failed)) o.failed += stats.count(r);
  for (Reason r : reasons_of(Outcome::lost)) o.lost += stats.count(r);
  return o;
}

std::string number(double v) { return fmt::format("{:.9g}", v); }
std::string rate(double amount, double seconds) { return seconds > 0 ? number(amount / seconds) : std::string{}; }

}  // namespace

std::vector<Reason> reasons_of(Outcome outcome) {
  std::vector<Reason> reasons;
  for (const auto& [reason, name] : EnumNames<Reason>::table)
    if (reason != Reason::none && outcome_of(reason) == outcome) reasons.push_back(reason);
  return reasons;
}

Summary summarize(const model::Model& model, const model::SimulatedRun& run) {
  Summary s;
  s.scenario = model.scenario->name;
  s.seed = model.scenario->seed;
  s.model = model.scenario->model.name;
  const model::RunResult& result = run.result;
  s.stop = result.stop_reason;
  const model::MessageStats& stats = result.messages;
  s.sent = stats.sent;
  s.by_reason = stats.by_reason;
  const Outcomes outcomes = outcomes_of(stats);
  s.delivered = outcomes.delivered;
  s.failed = outcomes.failed;
  s.lost = outcomes.lost;
  s.delivered_bytes = stats.delivered_bytes;
  s.latency = percentiles_of(stats.latency);
  s.send_block = percentiles_of(stats.send_block);
  s.receives = result.receives;
  s.sim_time = result.duration;
  for (std::size_t c = 0; c < run.occupancy.size(); ++c) {
    const model::Occupancy& o = run.occupancy[c];
    s.occupancy.push_back(
        ChannelOccupancy{model.scenario->channels[c].name, s.sim_time > 0 ? o.area / s.sim_time : 0, o.max});
  }
  s.wall_time = run.wall_time;
  s.events = run.events;
  s.deadlock = result.deadlock;
  return s;
}

MeasuredSummary summarize(const model::MeasuredRun& run) {
  MeasuredSummary m;
  m.ran = true;
  const model::RunResult& result = run.result;
  m.stop = result.stop_reason;
  m.sent = result.messages.sent;
  const Outcomes outcomes = outcomes_of(result.messages);
  m.delivered = outcomes.delivered;
  m.failed = outcomes.failed;
  m.lost = outcomes.lost;
  m.elapsed = result.duration;
  m.delivered_bytes = result.messages.delivered_bytes;
  m.latency = percentiles_of(result.messages.latency);
  m.threads = run.threads;
  m.cores = run.cores;
  m.deadlock = result.deadlock;
  m.note = run.note;
  return m;
}

namespace {

std::string count(std::uint64_t v) { return std::to_string(v); }

// Columns are added in order: one list serves header and row alike.
struct ColumnList {
  Columns& columns;
  void add(std::string name, std::string value) { columns.emplace_back(std::move(name), std::move(value)); }
  // mean, p50, p95, p99 and max of a distribution, empty when it holds nothing.
  void distribution(std::string_view prefix, const Percentiles& d) {
    auto value = [&](double v) { return d.count ? number(v) : std::string{}; };
    add(fmt::format("{}_mean_s", prefix), value(d.mean));
    add(fmt::format("{}_p50_s", prefix), value(d.p50));
    add(fmt::format("{}_p95_s", prefix), value(d.p95));
    add(fmt::format("{}_p99_s", prefix), value(d.p99));
    add(fmt::format("{}_max_s", prefix), value(d.max));
  }
};

void add_outcomes(ColumnList& c, const Summary& s) {
  c.add("messages_sent", count(s.sent));
  c.add("messages_delivered", count(s.delivered));
  c.add("messages_failed", count(s.failed));
  c.add("messages_lost", count(s.lost));
  for (Reason r : reasons_of(Outcome::failed)) c.add(fmt::format("failed_{}", to_string(r)), count(s.count(r)));
  for (Reason r : reasons_of(Outcome::lost)) c.add(fmt::format("lost_{}", to_string(r)), count(s.count(r)));
  c.add("receive_calls", count(s.receives.calls));
  c.add("null_receives", count(s.receives.empty));
  c.add("receive_timeouts", count(s.receives.timed_out));
  c.add("receive_failures", count(s.receives.failed));
}

void add_timings(ColumnList& c, const Summary& s) {
  c.add("sim_time_s", number(s.sim_time));
  c.add("throughput_msgs_per_s", rate(static_cast<double>(s.delivered), s.sim_time));
  c.add("throughput_bytes_per_s", rate(s.delivered_bytes, s.sim_time));
  c.distribution("latency", s.latency);
  c.distribution("send_block", s.send_block);
  c.add("receive_wait_mean_s", number(s.receives.wait_mean()));
  c.add("receive_wait_max_s", number(s.receives.wait_max));
  for (const ChannelOccupancy& o : s.occupancy) {
    c.add(fmt::format("occupancy_mean_{}", o.channel), number(o.mean));
    c.add(fmt::format("occupancy_max_{}", o.channel), count(o.max));
  }
}

// Wall-clock figures of the measured replay: after the deterministic columns, named as the
// modeled ones, and how far they are from them.
void add_measured(ColumnList& c, const MeasuredSummary& m, const Summary& modeled) {
  auto when_ran = [&](std::string value) { return m.ran ? std::move(value) : std::string{}; };
  c.add("measured_stop_reason", when_ran(std::string(to_string(m.stop))));
  c.add("measured_messages_sent", when_ran(count(m.sent)));
  c.add("measured_messages_delivered", when_ran(count(m.delivered)));
  c.add("measured_messages_failed", when_ran(count(m.failed)));
  c.add("measured_messages_lost", when_ran(count(m.lost)));
  c.add("measured_time_s", when_ran(number(m.elapsed)));
  c.add("measured_throughput_msgs_per_s", m.ran ? rate(static_cast<double>(m.delivered), m.elapsed) : "");
  c.add("measured_throughput_bytes_per_s", m.ran ? rate(m.delivered_bytes, m.elapsed) : "");
  auto measured_value = [&](double v) { return m.ran && m.latency.count ? number(v) : std::string{}; };
  c.add("measured_latency_mean_s", measured_value(m.latency.mean));
  c.add("measured_latency_p50_s", measured_value(m.latency.p50));
  c.add("measured_latency_p99_s", measured_value(m.latency.p99));
  // (measured - modeled) / modeled; empty when either is missing or the modeled one is 0.
  auto difference = [&](double measured, double reference, bool both) {
    return both && reference > 0 ? number((measured - reference) / reference) : std::string{};
  };
  const bool latencies = m.ran && m.latency.count && modeled.latency.count;
  c.add("measured_vs_modeled_throughput", difference(m.throughput(), modeled.throughput(), m.ran && m.elapsed > 0));
  c.add("measured_vs_modeled_latency_mean", difference(m.latency.mean, modeled.latency.mean, latencies));
  c.add("measured_vs_modeled_latency_p50", difference(m.latency.p50, modeled.latency.p50, latencies));
  c.add("measured_vs_modeled_latency_p99", difference(m.latency.p99, modeled.latency.p99, latencies));
  c.add("measured_threads", when_ran(count(m.threads)));
  c.add("measured_cores", when_ran(count(m.cores)));
  c.add("measured_note", m.deadlock.empty() ? m.note : m.deadlock + (m.note.empty() ? "" : "; " + m.note));
}

}  // namespace

Columns summary_columns(const Summary& s, std::size_t point, std::size_t points, const Columns& parameters) {
  Columns columns;
  ColumnList c{columns};
  c.add("scenario", s.scenario);
  c.add("point", count(point));
  c.add("sweep_points", count(points));
  columns.insert(columns.end(), parameters.begin(), parameters.end());
  c.add("seed", count(s.seed));
  c.add("model", s.model);
  c.add("stop_reason", std::string(to_string(s.stop)));
  add_outcomes(c, s);
  add_timings(c, s);
  c.add("events", count(s.events));
  c.add("deadlock", s.deadlock);
  c.add("wall_time_s", number(s.wall_time));
  c.add("events_per_wall_s", rate(static_cast<double>(s.events), s.wall_time));
  c.add("messages_per_wall_s", rate(static_cast<double>(s.sent), s.wall_time));
  if (s.measured) add_measured(c, *s.measured, s);
  return columns;
}

Better better_of(std::string_view column) {
  if (column.starts_with("measured_vs_modeled_")) return Better::either;
  if (column.starts_with("measured_")) column.remove_prefix(std::string_view("measured_").size());
  auto starts = [&](std::string_view prefix) { return column.substr(0, prefix.size()) == prefix; };
  if (starts("throughput_") || column == "messages_delivered" || starts("events_per_wall") ||
      column == "messages_per_wall_s")
    return Better::higher;
  if (starts("latency_") || starts("send_block_") || starts("receive_wait_") || starts("failed_") || starts("lost_") ||
      column == "messages_failed" || column == "messages_lost" || column == "null_receives" ||
      column == "receive_timeouts" || column == "receive_failures" || column == "wall_time_s")
    return Better::lower;
  return Better::either;
}

}  // namespace ipcsim::report
