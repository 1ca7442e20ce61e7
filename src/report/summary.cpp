#include "summary.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace ipcsim::report {
namespace {

Distribution distribution_of(const model::Quantiles& values) {
  Distribution d;
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
std::string rate(double amount, double seconds) {
  return seconds > 0 ? number(amount / seconds) : std::string{};
}

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
  s.latency = distribution_of(stats.latency);
  s.send_block = distribution_of(stats.send_block);
  s.receives = result.receives;
  s.sim_time = result.duration;
  for (std::size_t c = 0; c < run.occupancy.size(); ++c) {
    const model::Occupancy& o = run.occupancy[c];
    s.occupancy.push_back(ChannelOccupancy{model.scenario->channels[c].name,
                                           s.sim_time > 0 ? o.area / s.sim_time : 0, o.max});
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
  m.latency = distribution_of(result.messages.latency);
  m.threads = run.threads;
  m.cores = run.cores;
  m.deadlock = result.deadlock;
  m.note = run.note;
  return m;
}

Columns summary_columns(const Summary& s, std::size_t point, std::size_t points, const Columns& parameters) {
  Columns c;
  auto add = [&](std::string name, std::string value) { c.emplace_back(std::move(name), std::move(value)); };
  auto count = [](std::uint64_t v) { return std::to_string(v); };
  add("scenario", s.scenario);
  add("point", count(point));
  add("sweep_points", count(points));
  c.insert(c.end(), parameters.begin(), parameters.end());
  add("seed", count(s.seed));
  add("model", s.model);
  add("stop_reason", std::string(to_string(s.stop)));
  add("messages_sent", count(s.sent));
  add("messages_delivered", count(s.delivered));
  add("messages_failed", count(s.failed));
  add("messages_lost", count(s.lost));
  for (Reason r : reasons_of(Outcome::failed)) add(fmt::format("failed_{}", to_string(r)), count(s.count(r)));
  for (Reason r : reasons_of(Outcome::lost)) add(fmt::format("lost_{}", to_string(r)), count(s.count(r)));
  add("receive_calls", count(s.receives.calls));
  add("null_receives", count(s.receives.empty));
  add("receive_timeouts", count(s.receives.timed_out));
  add("receive_failures", count(s.receives.failed));
  add("sim_time_s", number(s.sim_time));
  add("throughput_msgs_per_s", rate(static_cast<double>(s.delivered), s.sim_time));
  add("throughput_bytes_per_s", rate(s.delivered_bytes, s.sim_time));
  auto stats = [&](std::string_view prefix, const Distribution& d) {
    auto value = [&](double v) { return d.count ? number(v) : std::string{}; };
    add(fmt::format("{}_mean_s", prefix), value(d.mean));
    add(fmt::format("{}_p50_s", prefix), value(d.p50));
    add(fmt::format("{}_p95_s", prefix), value(d.p95));
    add(fmt::format("{}_p99_s", prefix), value(d.p99));
    add(fmt::format("{}_max_s", prefix), value(d.max));
  };
  stats("latency", s.latency);
  stats("send_block", s.send_block);
  add("receive_wait_mean_s", number(s.receives.wait_mean()));
  add("receive_wait_max_s", number(s.receives.wait_max));
  for (const ChannelOccupancy& o : s.occupancy) {
    add(fmt::format("occupancy_mean_{}", o.channel), number(o.mean));
    add(fmt::format("occupancy_max_{}", o.channel), count(o.max));
  }
  add("events", count(s.events));
  add("deadlock", s.deadlock);
  add("wall_time_s", number(s.wall_time));
  add("events_per_wall_s", rate(static_cast<double>(s.events), s.wall_time));
  add("messages_per_wall_s", rate(static_cast<double>(s.sent), s.wall_time));
  if (s.measured) {
    // Wall-clock figures too: after the deterministic columns, named as the modeled ones.
    const MeasuredSummary& m = *s.measured;
    auto when_ran = [&](std::string value) { return m.ran ? std::move(value) : std::string{}; };
    add("measured_stop_reason", when_ran(std::string(to_string(m.stop))));
    add("measured_messages_sent", when_ran(count(m.sent)));
    add("measured_messages_delivered", when_ran(count(m.delivered)));
    add("measured_messages_failed", when_ran(count(m.failed)));
    add("measured_messages_lost", when_ran(count(m.lost)));
    add("measured_time_s", when_ran(number(m.elapsed)));
    add("measured_throughput_msgs_per_s", m.ran ? rate(static_cast<double>(m.delivered), m.elapsed) : "");
    add("measured_throughput_bytes_per_s", m.ran ? rate(m.delivered_bytes, m.elapsed) : "");
    auto measured_value = [&](double v) { return m.ran && m.latency.count ? number(v) : std::string{}; };
    add("measured_latency_mean_s", measured_value(m.latency.mean));
    add("measured_latency_p50_s", measured_value(m.latency.p50));
    add("measured_latency_p99_s", measured_value(m.latency.p99));
    // (measured - modeled) / modeled; empty when either is missing or the modeled one is 0.
    auto difference = [&](double measured, double modeled, bool both) {
      return both && modeled > 0 ? number((measured - modeled) / modeled) : std::string{};
    };
    const bool latencies = m.ran && m.latency.count && s.latency.count;
    add("measured_vs_modeled_throughput",
        difference(m.throughput(), s.throughput(), m.ran && m.elapsed > 0));
    add("measured_vs_modeled_latency_mean", difference(m.latency.mean, s.latency.mean, latencies));
    add("measured_vs_modeled_latency_p50", difference(m.latency.p50, s.latency.p50, latencies));
    add("measured_vs_modeled_latency_p99", difference(m.latency.p99, s.latency.p99, latencies));
    add("measured_threads", when_ran(count(m.threads)));
    add("measured_cores", when_ran(count(m.cores)));
    add("measured_note", m.deadlock.empty() ? m.note : m.deadlock + (m.note.empty() ? "" : "; " + m.note));
  }
  return c;
}

Better better_of(std::string_view column) {
  if (column.starts_with("measured_vs_modeled_")) return Better::either;
  if (column.starts_with("measured_")) column.remove_prefix(std::string_view("measured_").size());
  auto starts = [&](std::string_view prefix) { return column.substr(0, prefix.size()) == prefix; };
  if (starts("throughput_") || column == "messages_delivered" || starts("events_per_wall") ||
      column == "messages_per_wall_s")
    return Better::higher;
  if (starts("latency_") || starts("send_block_") || starts("receive_wait_") || starts("failed_") ||
      starts("lost_") || column == "messages_failed" || column == "messages_lost" || column == "null_receives" ||
      column == "receive_timeouts" || column == "receive_failures" || column == "wall_time_s")
    return Better::lower;
  return Better::either;
}

}  // namespace ipcsim::report
