#include "summary.hpp"

#include "csv.hpp"
#include "version.hpp"

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

Traffic traffic_of(const model::MessageStats& stats, const model::ReceiveStats& receives) {
  Traffic t;
  t.sent = stats.sent;
  t.by_reason = stats.by_reason;
  t.delivered = stats.count(Reason::none);
  for (Reason r : reasons_of(Outcome::failed)) t.failed += stats.count(r);
  for (Reason r : reasons_of(Outcome::lost)) t.lost += stats.count(r);
  t.delivered_bytes = stats.delivered_bytes;
  t.latency = percentiles_of(stats.latency);
  t.send_block = percentiles_of(stats.send_block);
  t.response = percentiles_of(stats.response);
  t.end_to_end = percentiles_of(stats.end_to_end);
  t.sends_blocked = stats.sends_blocked;
  t.send_block_total = stats.send_block.sum;
  t.receives = receives;
  return t;
}

// A summary per entry of `results`: the declared channels', or each channel instance's.
std::vector<ChannelSummary> channels_of(const model::Model& model, const std::vector<model::ChannelResult>& results,
                                        Detail detail) {
  std::vector<ChannelSummary> channels;
  channels.reserve(results.size());
  for (std::size_t c = 0; c < results.size(); ++c) {
    ChannelSummary& channel = channels.emplace_back();
    static_cast<Traffic&>(channel) = traffic_of(results[c].messages, results[c].receives);
    const bool instance = detail == Detail::instances;
    channel.name = model.scenario->channels[instance ? model.channels[c].spec : c].name;
    if (instance) channel.instance = model.channels[c].name;
  }
  return channels;
}

std::string rate(double amount, double seconds) { return seconds > 0 ? csv_number(amount / seconds) : std::string{}; }

// The instances' times summed per group (or each instance's), as shares of instances x `duration`.
std::vector<ProcessSummary> processes_of(const model::Model& model, const model::RunResult& result, double duration,
                                         Detail detail) {
  const bool instances = detail == Detail::instances;
  std::vector<ProcessSummary> groups(instances ? model.processes.size() : model.scenario->processes.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    groups[g].name = model.scenario->processes[instances ? model.processes[g].group : g].name;
    if (instances) groups[g].instance = model.processes[g].name;
  }
  for (std::size_t i = 0; i < result.processes.size(); ++i) {
    const model::ProcessTimes& t = result.processes[i];
    ProcessSummary& group = groups[instances ? i : model.processes[i].group];
    ++group.instances;
    group.computing += t.computing;
    group.sending += t.sending;
    group.receiving += t.receiving;
    group.sleeping += t.sleeping;
    group.dead += t.dead + (t.ended >= 0 ? duration - t.ended : 0);
    group.sends += t.sends;
    group.receives += t.receives;
    group.messages_received += t.messages_received;
  }
  for (ProcessSummary& group : groups) {
    const double total = duration * group.instances;
    if (total <= 0) continue;
    const double alive = total - group.dead;
    group.utilisation = alive > 0 ? group.computing / alive : 0;
    group.running = alive - group.computing - group.sending - group.receiving - group.sleeping;
    if (group.running < 1e-9 * total) group.running = 0;  // rounding of sums that cancel
    for (double* share :
         {&group.computing, &group.sending, &group.receiving, &group.sleeping, &group.dead, &group.running})
      *share /= total;
  }
  return groups;
}

}  // namespace

std::vector<Reason> reasons_of(Outcome outcome) {
  std::vector<Reason> reasons;
  for (const auto& [reason, name] : EnumNames<Reason>::table)
    if (reason != Reason::none && outcome_of(reason) == outcome) reasons.push_back(reason);
  return reasons;
}

Summary summarize(const model::Model& model, const model::SimulatedRun& run, Detail detail) {
  Summary s;
  s.scenario = model.scenario->name;
  s.seed = model.seed;
  s.model = model.scenario->model.name;
  const model::RunResult& result = run.result;
  s.stop = result.stop_reason;
  static_cast<Traffic&>(s) = traffic_of(result.messages, result.receives);
  s.sim_time = result.duration;
  s.channels = channels_of(model, result.channels, Detail::declared);
  s.processes = processes_of(model, result, s.sim_time, Detail::declared);
  auto occupancy = [&](std::vector<ChannelSummary>& channels, const std::vector<model::Occupancy>& queues) {
    for (std::size_t c = 0; c < queues.size(); ++c) {
      channels[c].occupancy_mean = s.sim_time > 0 ? queues[c].area / s.sim_time : 0;
      channels[c].occupancy_max = queues[c].max;
    }
  };
  occupancy(s.channels, run.occupancy);
  if (detail == Detail::instances) {
    s.channel_instances = channels_of(model, result.channel_instances, Detail::instances);
    occupancy(s.channel_instances, run.instance_occupancy);
    s.process_instances = processes_of(model, result, s.sim_time, Detail::instances);
  }
  s.wall_time = run.wall_time;
  s.events = run.events;
  s.deadlock = result.deadlock;
  return s;
}

MeasuredSummary summarize(const model::Model& model, const model::MeasuredRun& run, Detail detail) {
  MeasuredSummary m;
  m.ran = true;
  const model::RunResult& result = run.result;
  m.stop = result.stop_reason;
  static_cast<Traffic&>(m) = traffic_of(result.messages, result.receives);
  m.channels = channels_of(model, result.channels, Detail::declared);
  m.processes = processes_of(model, result, result.duration, Detail::declared);
  if (detail == Detail::instances) m.process_instances = processes_of(model, result, result.duration, detail);
  m.elapsed = result.duration;
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
  void add(std::string name, std::string value) {
    const ColumnKind kind = kind_of(name);
    columns.push_back({std::move(name), std::move(value), kind});
  }
  // A swept parameter's value: its column is named by the scenario's path.
  void parameter(std::string name, std::string value) {
    columns.push_back({std::move(name), std::move(value), ColumnKind::label});
  }
  // mean, p50, p95, p99 and max of a distribution, empty when it holds nothing.
  void distribution(std::string_view prefix, const Percentiles& d) {
    auto value = [&](double v) { return d.count ? csv_number(v) : std::string{}; };
    add(fmt::format("{}_mean_s", prefix), value(d.mean));
    add(fmt::format("{}_p50_s", prefix), value(d.p50));
    add(fmt::format("{}_p95_s", prefix), value(d.p95));
    add(fmt::format("{}_p99_s", prefix), value(d.p99));
    add(fmt::format("{}_max_s", prefix), value(d.max));
  }
};

void add_outcomes(ColumnList& c, const Traffic& s) {
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

// Rates over `duration` seconds, and times.
void add_timings(ColumnList& c, const Traffic& t, double duration) {
  c.add("throughput_msgs_per_s", rate(static_cast<double>(t.delivered), duration));
  c.add("throughput_bytes_per_s", rate(t.delivered_bytes, duration));
  c.distribution("latency", t.latency);
  c.distribution("send_block", t.send_block);
  c.add("sends_blocked", count(t.sends_blocked));
  c.add("sends_blocked_fraction", t.sent ? csv_number(t.blocked_fraction()) : "");
  c.add("send_block_total_s", csv_number(t.send_block_total));
  c.add("receive_wait_mean_s", csv_number(t.receives.wait_mean()));
  c.add("receive_wait_max_s", csv_number(t.receives.wait_max));
  c.distribution("response", t.response);
  c.distribution("end_to_end", t.end_to_end);
}

// The measured counts, then (after whatever the caller puts between) the measured rates.
void add_measured_counts(ColumnList& c, const Traffic& m, bool ran) {
  auto when_ran = [&](std::uint64_t value) { return ran ? count(value) : std::string{}; };
  c.add("measured_messages_sent", when_ran(m.sent));
  c.add("measured_messages_delivered", when_ran(m.delivered));
  c.add("measured_messages_failed", when_ran(m.failed));
  c.add("measured_messages_lost", when_ran(m.lost));
}
void add_measured_rates(ColumnList& c, const Traffic& m, double elapsed, bool ran) {
  c.add("measured_throughput_msgs_per_s", ran ? rate(static_cast<double>(m.delivered), elapsed) : "");
  c.add("measured_throughput_bytes_per_s", ran ? rate(m.delivered_bytes, elapsed) : "");
  auto measured_value = [&](double v) { return ran && m.latency.count ? csv_number(v) : std::string{}; };
  c.add("measured_latency_mean_s", measured_value(m.latency.mean));
  c.add("measured_latency_p50_s", measured_value(m.latency.p50));
  c.add("measured_latency_p99_s", measured_value(m.latency.p99));
}

// Wall-clock figures of the measured replay: after the deterministic columns, named as the
// modeled ones, and how far they are from them.
void add_measured(ColumnList& c, const MeasuredSummary& m, const Summary& modeled) {
  auto when_ran = [&](std::string value) { return m.ran ? std::move(value) : std::string{}; };
  c.add("measured_stop_reason", when_ran(std::string(to_string(m.stop))));
  add_measured_counts(c, m, m.ran);
  c.add("measured_time_s", when_ran(csv_number(m.elapsed)));
  add_measured_rates(c, m, m.elapsed, m.ran);
  // (measured - modeled) / modeled; empty when either is missing or the modeled one is 0.
  auto difference = [&](double measured, double reference, bool both) {
    return both && reference > 0 ? csv_number((measured - reference) / reference) : std::string{};
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

// Where a group's (or an instance's) time went, and what it did: the simulation's, or (with
// `prefix` measured_) the measured replay's, which has no faults (so no dead share) and no
// count of messages received; empty cells when `p` is none (not measured).
void add_process_figures(ColumnList& c, std::string_view prefix, const ProcessSummary* p, bool simulated) {
  auto share = [&](double ProcessSummary::*field) { return p ? csv_number(p->*field) : std::string{}; };
  auto number = [&](std::uint64_t ProcessSummary::*field) { return p ? count(p->*field) : std::string{}; };
  auto add = [&](std::string_view name, std::string value) {
    c.add(fmt::format("{}{}", prefix, name), std::move(value));
  };
  add("computing_fraction", share(&ProcessSummary::computing));
  add("sending_fraction", share(&ProcessSummary::sending));
  add("receiving_fraction", share(&ProcessSummary::receiving));
  add("sleeping_fraction", share(&ProcessSummary::sleeping));
  if (simulated) add("dead_fraction", share(&ProcessSummary::dead));
  add("running_fraction", share(&ProcessSummary::running));
  add("utilisation", share(&ProcessSummary::utilisation));
  add("sends", number(&ProcessSummary::sends));
  add("receives", number(&ProcessSummary::receives));
  if (simulated) add("messages_received", number(&ProcessSummary::messages_received));
}

// How to make the row again, last in every CSV of a run: the same for every point.
void add_provenance(ColumnList& c, const Provenance& provenance) {
  c.add("scenario_file", provenance.scenario_file);
  c.add("overrides", provenance.overrides);
  c.add("ipcsim_version", std::string(ipcsim_version()));
}

// The columns that say which run a row is, first in every CSV of a run.
// A replicated point's row says how many replications it folds; its seed is the first's.
void add_point(ColumnList& c, const Summary& s, const RowKey& key) {
  c.add("scenario", s.scenario);
  c.add("point", count(key.point));
  c.add("sweep_points", count(key.points));
  // A swept seed or model keeps its own column beside the row's seed and model (which --seed
  // and the model file's name decide): named sweep.seed and sweep.model, no column is repeated.
  for (const auto& [path, value] : key.parameters)
    c.parameter(path == "seed" || path == "model" ? "sweep." + path : path, value);
  c.add("seed", count(s.seed));
  c.add("model", s.model);
  if (key.replications > 1) c.add("replications", count(key.replications));
}

}  // namespace

Columns summary_columns(const Summary& s, const RowKey& key) {
  Columns columns;
  ColumnList c{columns};
  add_point(c, s, key);
  c.add("stop_reason", std::string(to_string(s.stop)));
  add_outcomes(c, s);
  c.add("sim_time_s", csv_number(s.sim_time));
  add_timings(c, s, s.sim_time);
  for (const ChannelSummary& channel : s.channels) {
    c.add(fmt::format("occupancy_mean_{}", channel.name), csv_number(channel.occupancy_mean));
    c.add(fmt::format("occupancy_max_{}", channel.name), count(channel.occupancy_max));
  }
  c.add("events", count(s.events));
  c.add("deadlock", s.deadlock);
  c.add("wall_time_s", csv_number(s.wall_time));
  c.add("events_per_wall_s", rate(static_cast<double>(s.events), s.wall_time));
  c.add("messages_per_wall_s", rate(static_cast<double>(s.sent), s.wall_time));
  if (s.measured) add_measured(c, *s.measured, s);
  add_provenance(c, s.provenance);
  return columns;
}

std::vector<Columns> channel_columns(const Summary& s, const RowKey& key) {
  // Per instance when the summary has them: the measured replay counts per declared channel only.
  const bool instances = !s.channel_instances.empty();
  const std::vector<ChannelSummary>& channels = instances ? s.channel_instances : s.channels;
  std::vector<Columns> rows;
  for (std::size_t k = 0; k < channels.size(); ++k) {
    const ChannelSummary& channel = channels[k];
    ColumnList c{rows.emplace_back()};
    add_point(c, s, key);
    c.add("channel", channel.name);
    if (instances) c.add("instance", channel.instance);
    add_outcomes(c, channel);
    c.add("sim_time_s", csv_number(s.sim_time));
    add_timings(c, channel, s.sim_time);
    c.add("occupancy_mean", csv_number(channel.occupancy_mean));
    c.add("occupancy_max", count(channel.occupancy_max));
    if (s.measured && !instances) {
      const MeasuredSummary& m = *s.measured;
      const Traffic& measured = m.ran ? static_cast<const Traffic&>(m.channels.at(k)) : Traffic{};
      add_measured_counts(c, measured, m.ran);
      add_measured_rates(c, measured, m.elapsed, m.ran);
    }
    add_provenance(c, s.provenance);
  }
  return rows;
}

std::vector<Columns> process_columns(const Summary& s, const RowKey& key) {
  const bool instances = !s.process_instances.empty();
  const std::vector<ProcessSummary>& processes = instances ? s.process_instances : s.processes;
  std::vector<Columns> rows;
  for (std::size_t k = 0; k < processes.size(); ++k) {
    const ProcessSummary& process = processes[k];
    ColumnList c{rows.emplace_back()};
    add_point(c, s, key);
    c.add("process", process.name);
    if (instances)
      c.add("instance", process.instance);
    else
      c.add("instances", count(process.instances));
    c.add("sim_time_s", csv_number(s.sim_time));
    add_process_figures(c, "", &process, true);
    if (s.measured) {
      const MeasuredSummary& m = *s.measured;
      add_process_figures(c, "measured_", m.ran ? &(instances ? m.process_instances : m.processes).at(k) : nullptr,
                          false);
    }
    add_provenance(c, s.provenance);
  }
  return rows;
}

std::vector<Columns> series_columns(const Summary& s, const model::Series& series, const RowKey& key) {
  std::vector<Columns> rows;
  rows.reserve(series.bins.size());
  for (std::size_t k = 0; k < series.channels; ++k)
    for (std::size_t b = 0; b < series.bin_count(); ++b) {
      const model::SeriesBin& bin = series.at(b, k);
      const double start = static_cast<double>(b) * series.step;
      const double end = std::min(start + series.step, s.sim_time), length = end - start;
      ColumnList c{rows.emplace_back()};
      add_point(c, s, key);
      c.add("channel", s.channels.at(k).name);
      c.add("bin", count(b));
      c.add("start_s", csv_number(start));
      c.add("end_s", csv_number(end));
      c.add("occupancy_mean", length > 0 ? csv_number(bin.occupancy_area / length) : "");
      c.add("occupancy_max", count(bin.occupancy_max));
      c.add("delivered", count(bin.delivered));
      c.add("throughput_msgs_per_s", rate(static_cast<double>(bin.delivered), length));
      c.add("throughput_bytes_per_s", rate(bin.delivered_bytes, length));
      add_provenance(c, s.provenance);
    }
  return rows;
}

ColumnKind kind_of(std::string_view column) {
  static constexpr std::array<std::string_view, 19> labels{
      "scenario",       "point",         "sweep_points", "seed",          "model",
      "replications",   "replication",   "channel",      "instance",      "process",
      "instances",      "bin",           "start_s",      "end_s",         "measured_threads",
      "measured_cores", "scenario_file", "overrides",    "ipcsim_version"};
  static constexpr std::array<std::string_view, 4> outcomes{"stop_reason", "deadlock", "measured_stop_reason",
                                                            "measured_note"};
  if (std::find(labels.begin(), labels.end(), column) != labels.end()) return ColumnKind::label;
  if (std::find(outcomes.begin(), outcomes.end(), column) != outcomes.end()) return ColumnKind::outcome;
  // Occupancy columns end in a channel's name, which may end in anything.
  if (column.starts_with("occupancy_max")) return ColumnKind::maximum;
  if (column.starts_with("occupancy_")) return ColumnKind::metric;
  if (column.ends_with("_p50_s") || column.ends_with("_p95_s") || column.ends_with("_p99_s"))
    return ColumnKind::quantile;
  if (column.ends_with("_max_s")) return ColumnKind::maximum;
  return ColumnKind::metric;
}

Better better_of(std::string_view column) {
  if (column.starts_with("measured_vs_modeled_")) return Better::either;
  if (column.starts_with("measured_")) column.remove_prefix(std::string_view("measured_").size());
  auto starts = [&](std::string_view prefix) { return column.substr(0, prefix.size()) == prefix; };
  if (starts("throughput_") || column == "messages_delivered" || starts("events_per_wall") ||
      column == "messages_per_wall_s")
    return Better::higher;
  if (starts("latency_") || starts("send_block_") || starts("response_") || starts("end_to_end_") ||
      starts("receive_wait_") || starts("failed_") || starts("lost_") || column == "messages_failed" ||
      column == "messages_lost" || column == "null_receives" || column == "receive_timeouts" ||
      column == "receive_failures" || column == "wall_time_s")
    return Better::lower;
  return Better::either;
}

}  // namespace ipcsim::report
