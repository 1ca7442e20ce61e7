#include <fmt/format.h>

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

int run_command(const RunArgs& args) {
  Scenario scenario;
  try {
    scenario = load_scenario(args.scenario);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  if (args.seed) scenario.seed = *args.seed;
  const std::string output = args.output.empty() ? "results/" + scenario.name + ".csv" : args.output;
  try {
    model::Model model = model::build_model(scenario);
    sim::RunOutput run = sim::simulate_isolated(model, sim::Options{args.verbose});
    report::Summary summary = report::summarize(model, run);
    report::write_file_atomically(output, report::summary_csv({report::summary_columns(summary)}));
    if (!args.trace.empty()) report::write_file_atomically(args.trace, report::trace_csv(model, run));
    if (!args.quiet) {
      print_summary(summary);
      fmt::print("  wrote {}{}\n", output, args.trace.empty() ? "" : " and " + args.trace);
    }
    return summary.stop == sim::StopReason::deadlock ? exit_deadlock : exit_ok;
  } catch (const std::exception& e) {
    fmt::print(stderr, "ipcsim: {}\n", e.what());
    return exit_failure;
  }
}

}  // namespace ipcsim::cli
