#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "commands.hpp"
#include "model/model.hpp"
#include "report/atomic_file.hpp"
#include "report/csv.hpp"
#include "report/summary.hpp"
#include "scenario/scenario.hpp"
#include "sim/simulation.hpp"

namespace ipcsim::cli {
namespace {

std::string reasons_text(const report::Summary& s, Outcome outcome) {
  std::string text;
  for (Reason r : report::reasons_of(outcome))
    if (s.count(r)) text += fmt::format("{}{} {}", text.empty() ? "" : ", ", to_string(r), s.count(r));
  return text.empty() ? "" : " (" + text + ")";
}

void print_summary(const report::Summary& s) {
  fmt::print("{} (seed {}, model {}): {} at t={:.9g}s\n", s.scenario, s.seed, s.model,
             s.stop == sim::StopReason::completed ? "all processes ended"
                                                  : fmt::format("stopped by {}", sim::to_string(s.stop)),
             s.sim_time);
  fmt::print("  messages: {} sent, {} delivered, {} failed{}, {} lost{}\n", s.sent, s.delivered, s.failed,
             reasons_text(s, Outcome::failed), s.lost, reasons_text(s, Outcome::lost));
  if (s.null_receives || s.receive_timeouts || s.receive_failures)
    fmt::print("  receives: {} calls, {} null, {} timed out, {} failed\n", s.receive_calls, s.null_receives,
               s.receive_timeouts, s.receive_failures);
  if (s.latency.count)
    fmt::print("  latency: mean {:.6g}s, p50 {:.6g}s, p99 {:.6g}s, max {:.6g}s\n", s.latency.mean, s.latency.p50,
               s.latency.p99, s.latency.max);
  if (s.sim_time > 0)
    fmt::print("  throughput: {:.6g} messages/s, {:.6g} bytes/s\n", static_cast<double>(s.delivered) / s.sim_time,
               s.delivered_bytes / s.sim_time);
  for (const auto& o : s.occupancy)
    fmt::print("  occupancy of {}: mean {:.4g}, max {}\n", o.channel, o.mean, o.max);
  if (!s.deadlock.empty()) fmt::print("  {}\n", s.deadlock);
  fmt::print("  wall time {:.3g}s ({:.3g} simulated messages per wall second)\n", s.wall_time,
             s.wall_time > 0 ? static_cast<double>(s.sent) / s.wall_time : 0.0);
}

}  // namespace

int validate_command(const std::string& path) {
  try {
    Scenario scenario = load_scenario(path);
    model::Model model = model::build_model(scenario);
    fmt::print("{}: ok ({} processes, {} channel instances, {} hosts)\n", path, model.processes.size(),
               model.channels.size(), model.hosts.size());
    return exit_ok;
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
}

namespace {

// Runs every point, `jobs` at a time (each simulation is its own forked process), and
// returns their summaries in point order, so the CSV does not depend on `jobs`.
std::vector<report::Summary> run_points(const std::vector<SweepPoint>& points, unsigned jobs, bool verbose,
                                        sim::RunOutput* single_run_output) {
  std::vector<report::Summary> summaries(points.size());
  std::vector<std::string> errors(points.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < points.size();) {
      try {
        model::Model model = model::build_model(points[i].scenario);
        sim::RunOutput run = sim::simulate_isolated(model, sim::Options{verbose});
        summaries[i] = report::summarize(model, run);
        if (single_run_output) *single_run_output = std::move(run);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < std::min<std::size_t>(jobs, points.size()); ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < points.size(); ++i)
    if (!errors[i].empty()) throw std::runtime_error(fmt::format("sweep point {}: {}", i + 1, errors[i]));
  return summaries;
}

// The summary columns with the swept parameters right after the scenario's name.
report::Row row_of(const SweepPoint& point, const report::Summary& summary) {
  report::Row row = report::summary_columns(summary);
  row.insert(row.begin() + 1, point.parameters.begin(), point.parameters.end());
  return row;
}

void print_point(const SweepPoint& point, const report::Summary& s) {
  std::string parameters;
  for (const auto& [name, value] : point.parameters) parameters += fmt::format("{}{}={}", parameters.empty() ? "" : " ", name, value);
  fmt::print("  {}: {} delivered, {} failed, {} lost, {:.6g} msg/s, latency p99 {}{}\n", parameters, s.delivered, s.failed,
             s.lost, s.sim_time > 0 ? static_cast<double>(s.delivered) / s.sim_time : 0.0,
             s.latency.count ? fmt::format("{:.6g}s", s.latency.p99) : "-",
             s.stop == sim::StopReason::deadlock ? " (deadlock)" : "");
}

}  // namespace

int run_command(const RunArgs& args) {
  std::vector<SweepPoint> points;
  try {
    points = load_sweep(args.scenario, args.overrides);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  if (!args.trace.empty() && points.size() > 1) {
    fmt::print(stderr, "{}: error: --trace records one run, and the sweep has {} points (pick one with --set)\n",
               args.scenario, points.size());
    return exit_bad_input;
  }
  if (args.seed)
    for (SweepPoint& point : points) point.scenario.seed = *args.seed;
  const Scenario& first = points.front().scenario;
  const std::string output = args.output.empty() ? "results/" + first.name + ".csv" : args.output;
  const unsigned jobs = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  try {
    sim::RunOutput single_run;
    std::vector<report::Summary> summaries =
        run_points(points, jobs, args.verbose, points.size() == 1 ? &single_run : nullptr);
    std::vector<report::Row> rows;
    for (std::size_t i = 0; i < points.size(); ++i) rows.push_back(row_of(points[i], summaries[i]));
    report::write_file_atomically(output, report::summary_csv(rows));
    if (!args.trace.empty()) {
      model::Model model = model::build_model(first);
      report::write_file_atomically(args.trace, report::trace_csv(model, single_run));
    }
    if (!args.quiet) {
      if (points.size() == 1) {
        print_summary(summaries.front());
      } else {
        fmt::print("{} (seed {}, model {}): {} sweep points\n", first.name, first.seed, first.model.name, points.size());
        for (std::size_t i = 0; i < points.size(); ++i) print_point(points[i], summaries[i]);
      }
      fmt::print("  wrote {}{}\n", output, args.trace.empty() ? "" : " and " + args.trace);
    }
    bool deadlock = std::any_of(summaries.begin(), summaries.end(),
                                [](const report::Summary& s) { return s.stop == sim::StopReason::deadlock; });
    return deadlock ? exit_deadlock : exit_ok;
  } catch (const std::exception& e) {
    fmt::print(stderr, "ipcsim: {}\n", e.what());
    return exit_failure;
  }
}

}  // namespace ipcsim::cli
