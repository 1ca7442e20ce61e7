#include "summary.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace ipcsim::report {
namespace {

Distribution distribution_of(std::vector<double>& values) {
  Distribution d;
  d.count = values.size();
  if (values.empty()) return d;
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  d.mean = sum / static_cast<double>(values.size());
  // Nearest rank: the smallest value with at least q of the samples at or below it.
  auto rank = [&](double q) {
    auto index = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
    return values[std::max<std::size_t>(index, 1) - 1];
  };
  d.p50 = rank(0.50);
  d.p95 = rank(0.95);
  d.p99 = rank(0.99);
  d.max = values.back();
  return d;
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

Summary summarize(const model::Model& model, const sim::RunOutput& output) {
  Summary s;
  s.scenario = model.scenario->name;
  s.seed = model.scenario->seed;
  s.model = model.scenario->model.name;
  s.stop = output.stop_reason;
  std::vector<double> latencies, blocks;
  latencies.reserve(output.messages.size());
  blocks.reserve(output.messages.size());
  for (const sim::MessageRecord& m : output.messages) {
    ++s.sent;
    ++s.by_reason[static_cast<std::size_t>(m.reason)];
    switch (m.outcome) {
      case Outcome::delivered:
        ++s.delivered;
        s.delivered_bytes += static_cast<double>(m.size);
        latencies.push_back(m.received - m.send_call);
        break;
      case Outcome::failed:
        ++s.failed;
        break;
      case Outcome::lost:
        ++s.lost;
        break;
      case Outcome::pending:
        break;  // finish() settles every message; none is pending here
    }
    if (m.send_return >= 0) blocks.push_back(m.send_return - m.send_call);
  }
  s.latency = distribution_of(latencies);
  s.send_block = distribution_of(blocks);
  s.receive_calls = output.receive_calls;
  s.null_receives = output.null_receives;
  s.receive_timeouts = output.receive_timeouts;
  s.receive_failures = output.receive_failures;
  s.receive_wait_mean =
      output.receive_calls ? output.receive_wait_total / static_cast<double>(output.receive_calls) : 0;
  s.receive_wait_max = output.receive_wait_max;
  s.sim_time = output.sim_time;
  for (std::size_t c = 0; c < output.occupancy.size(); ++c) {
    const sim::Occupancy& o = output.occupancy[c];
    s.occupancy.push_back(ChannelOccupancy{model.scenario->channels[c].name,
                                           s.sim_time > 0 ? o.area / s.sim_time : 0, o.max});
  }
  s.wall_time = output.wall_time;
  s.events = output.events;
  s.deadlock = output.deadlock;
  return s;
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
  add("stop_reason", std::string(sim::to_string(s.stop)));
  add("messages_sent", count(s.sent));
  add("messages_delivered", count(s.delivered));
  add("messages_failed", count(s.failed));
  add("messages_lost", count(s.lost));
  for (Reason r : reasons_of(Outcome::failed)) add(fmt::format("failed_{}", to_string(r)), count(s.count(r)));
  for (Reason r : reasons_of(Outcome::lost)) add(fmt::format("lost_{}", to_string(r)), count(s.count(r)));
  add("receive_calls", count(s.receive_calls));
  add("null_receives", count(s.null_receives));
  add("receive_timeouts", count(s.receive_timeouts));
  add("receive_failures", count(s.receive_failures));
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
  add("receive_wait_mean_s", number(s.receive_wait_mean));
  add("receive_wait_max_s", number(s.receive_wait_max));
  for (const ChannelOccupancy& o : s.occupancy) {
    add(fmt::format("occupancy_mean_{}", o.channel), number(o.mean));
    add(fmt::format("occupancy_max_{}", o.channel), count(o.max));
  }
  add("events", count(s.events));
  add("deadlock", s.deadlock);
  add("wall_time_s", number(s.wall_time));
  add("events_per_wall_s", rate(static_cast<double>(s.events), s.wall_time));
  add("messages_per_wall_s", rate(static_cast<double>(s.sent), s.wall_time));
  return c;
}

Better better_of(std::string_view column) {
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
