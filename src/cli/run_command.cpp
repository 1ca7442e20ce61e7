// ipcsim run (and validate): simulate the planned runs (run_plan.hpp), measure them on threads
// if asked, write the CSVs all at once, print the account.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <span>

#include "commands.hpp"
#include "interruption.hpp"
#include "measure/replay.hpp"
#include "model/model.hpp"
#include "option_checks.hpp"
#include "progress.hpp"
#include "report/csv.hpp"
#include "report/events_csv.hpp"
#include "report/output_files.hpp"
#include "report/replications.hpp"
#include "report/summary.hpp"
#include "report/table.hpp"
#include "run_plan.hpp"
#include "run_summary.hpp"
#include "scenario/scenario.hpp"
#include "scenario/text.hpp"
#include "scenario/units.hpp"
#include "sim/memory_plan.hpp"
#include "sim/run_many.hpp"

namespace ipcsim::cli {
namespace {

// What the simulations gave: a summary per run, and for one run its trace.
struct Simulated {
  std::vector<report::Summary> runs;    // in RunPlan::runs() order
  std::vector<report::Summary> pooled;  // per point, when replicated: its runs' messages pooled
  std::string trace_csv;
  std::vector<model::Model> models;          // each run's, when kept for the measured replay
  std::vector<model::Series> series;         // each run's, with --series
  std::vector<report::TextRows> histograms;  // each run's distributions, in a shard of a replicated run
};

// A point's replications pooled as they end (the first run taken whole, the others' messages
// added), and summarized when its last one ends.
template <class Run>
struct Pool {
  std::optional<Run> run;
  std::size_t runs = 0;
  /// Whether `more` was the point's last replication of `replications`.
  bool add(Run&& more, std::size_t replications) {
    if (!run)
      run = std::move(more);
    else
      report::pool_messages(run->result, more.result);
    return ++runs == replications;
  }
};

// Simulates the chosen points' runs, `jobs` at a time, each in a forked child; each run's
// model is built once, when its turn comes, and kept afterwards only if `keep_models`. The
// summaries come in the order of the runs, so the CSV does not depend on `jobs`.
Simulated simulate(const RunPlan& plan, const sim::Options& options, bool keep_models, const ProgressLine& progress) {
  Simulated result;
  const std::size_t replications = plan.replications, runs = plan.runs();
  result.runs.resize(runs);
  if (keep_models) result.models.resize(runs);
  if (options.series_step > 0) result.series.resize(runs);
  if (plan.split_replications) result.histograms.resize(runs);
  std::vector<Pool<model::SimulatedRun>> pools(plan.folds() ? plan.chosen.size() : 0);
  if (plan.folds()) result.pooled.resize(plan.chosen.size());
  std::size_t done = 0;
  const auto started = std::chrono::steady_clock::now();
  auto model_of = [&](std::size_t k) {
    model::Model model = model::build_model(plan.chosen[plan.slots[k].point]->scenario);
    model.seed = report::replication_seed(model.seed, plan.slots[k].replication);
    if (plan.detail == report::Detail::instances && model.channels.size() > max_channel_instances)
      throw InputError({model.scenario->file},
                       fmt::format("--instances: {} channel instances: expected at most {} (each keeps its own latency "
                                   "histograms)",
                                   model.channels.size(), max_channel_instances));
    return model;
  };
  auto finished = [&](std::size_t k, model::Model&& model, model::SimulatedRun&& run) {
    result.runs[k] = report::summarize(model, run, plan.detail);
    result.runs[k].provenance = plan.provenance;
    if (options.keep_records) result.trace_csv = report::trace_csv(model, run);
    if (options.series_step > 0) result.series[k] = std::move(run.series);
    const RunSlot& slot = plan.slots[k];
    if (plan.split_replications)
      report::add_histogram_rows(result.histograms[k], plan.point_numbers[slot.point], slot.replication + 1, run.result,
                                 report::Runner::simulated);
    if (plan.folds() && pools[slot.point].add(std::move(run), replications))
      result.pooled[slot.point] = report::summarize(model, *std::exchange(pools[slot.point].run, {}), plan.detail);
    if (keep_models) result.models[k] = std::move(model);
    if (runs == 1) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double fraction = static_cast<double>(++done) / static_cast<double>(runs);
    progress.show(fmt::format("  {}/{} {} done, {:.0f}s wall{}", done, runs, replications > 1 ? "runs" : "points",
                              elapsed, eta_text(elapsed, fraction)));
  };
  try {
    sim::run_many(runs, plan.jobs, options, model_of, finished);
  } catch (const sim::RunFailed& e) {
    const scenario::SweepPoint& point = *plan.chosen[plan.slots[e.index].point];
    const std::string replication =
        replications > 1 ? fmt::format("replication {}: ", plan.slots[e.index].replication + 1) : std::string{};
    if (point.parameters.empty() && replication.empty()) throw;
    throw std::runtime_error(fmt::format("{}{}{}",
                                         point.parameters.empty() ? "" : "sweep point " + parameters_text(point) + ": ",
                                         replication, e.what()));
  }
  progress.clear();
  return result;
}

// The one run (in a child process) writes its events straight to the temporary of `events`.
Simulated simulate_writing_events(const RunPlan& plan, sim::Options options, bool keep_models,
                                  const ProgressLine& progress, report::OutputFiles& files, const std::string& events) {
  Simulated simulated;
  files.stage_with(events, [&](int fd) {
    report::EventsCsv sink(fd);
    options.events = &sink;
    simulated = simulate(plan, options, keep_models, progress);
  });
  return simulated;
}

// Replays each run on real threads, one at a time and after every simulation has ended, so
// that the threads have the machine's cores to themselves.
void measure_points(const RunPlan& plan, Simulated& simulated, const measure::Options& options,
                    const ProgressLine& progress) {
  const std::size_t replications = plan.replications;
  Pool<model::MeasuredRun> pool;
  for (std::size_t k = 0; k < simulated.models.size() && !options.interrupted->load(); ++k) {
    const model::Model& model = simulated.models[k];
    const RunSlot& slot = plan.slots[k];
    report::Summary* pooled = plan.folds() ? &simulated.pooled[slot.point] : nullptr;
    const std::string why = measure::unmeasurable(model);
    if (!why.empty()) {
      simulated.runs[k].measured = report::MeasuredSummary{};
      simulated.runs[k].measured->note = why;
      if (pooled) pooled->measured = simulated.runs[k].measured;
      continue;
    }
    progress.show(
        fmt::format("  measuring run {}/{} on {} threads", k + 1, simulated.models.size(), model.processes.size()));
    model::MeasuredRun run = measure::replay(model, options);
    simulated.runs[k].measured = report::summarize(model, run, plan.detail);
    if (plan.split_replications)
      report::add_histogram_rows(simulated.histograms[k], plan.point_numbers[slot.point], slot.replication + 1,
                                 run.result, report::Runner::measured);
    if (pooled && pool.add(std::move(run), replications)) {
      pooled->measured = report::summarize(model, *pool.run, plan.detail);
      pool = {};
    }
  }
  progress.clear();
}

// The one run's replay writes its events to the temporary of `events`; a run that cannot be
// replayed has none to write.
void measure_writing_events(const RunPlan& plan, Simulated& simulated, measure::Options options,
                            const ProgressLine& progress, report::OutputFiles& files, const std::string& events) {
  if (const std::string why = measure::unmeasurable(simulated.models.front()); !why.empty())
    throw InputError({"ipcsim"}, fmt::format("--measured-events: the run cannot be replayed on threads: {}", why));
  files.stage_with(events, [&](int fd) {
    report::EventsCsv sink(fd);
    options.events = &sink;
    measure_points(plan, simulated, options, progress);
  });
}

// Checks every output before anything runs: a bad path costs no simulation.
void expect_outputs(const RunPlan& plan, const RunArgs& args, report::OutputFiles& files) {
  std::error_code ec;
  if (args.output.empty()) std::filesystem::create_directories("results", ec);
  files.expect(args.output.empty() ? "the summary CSV" : "-o", plan.output, !args.output.empty());
  if (!plan.channels_output.empty())
    files.expect(args.channels.empty() ? "the channels CSV" : "--channels", plan.channels_output,
                 !args.channels.empty());
  if (!plan.processes_output.empty())
    files.expect(args.processes.empty() ? "the processes CSV" : "--processes", plan.processes_output,
                 !args.processes.empty());
  if (!plan.replications_output.empty()) files.expect("the replications CSV", plan.replications_output, false);
  if (!plan.series_output.empty()) files.expect("the series CSV", plan.series_output, false);
  if (!plan.histograms_output.empty()) files.expect("the histograms CSV", plan.histograms_output, false);
  if (!args.trace.empty()) files.expect("--trace", args.trace);
  if (!args.events.empty()) files.expect("--events", args.events);
  if (!args.measured_events.empty()) files.expect("--measured-events", args.measured_events);
}

// The series CSV, a point at a time: its rows as Columns are many times its text.
std::string series_csv(const RunPlan& plan, const Simulated& simulated) {
  std::string text;
  for (std::size_t i = 0; i < plan.chosen.size(); ++i) {
    const report::RowKey key{plan.point_numbers[i], plan.points.size(), plan.chosen[i]->parameters};
    const std::string point = report::rows_csv(report::series_columns(simulated.runs[i], simulated.series[i], key));
    text += i == 0 ? point : point.substr(point.find('\n') + 1);
  }
  return text;
}

// The summary, channels, processes and replications rows of every chosen point, and the
// trace. Returns the summary rows.
std::vector<report::Columns> stage_results(const RunPlan& plan, const Simulated& simulated, const RunArgs& args,
                                           report::OutputFiles& files) {
  std::vector<report::Columns> rows, channel_rows, process_rows, replication_rows;
  const std::size_t replications = plan.replications;
  auto key_of = [&](std::size_t i) {
    return report::RowKey{plan.point_numbers[i], plan.points.size(), plan.chosen[i]->parameters, replications};
  };
  if (plan.split_replications) {  // each replication's row, for merge to fold
    for (std::size_t k = 0; k < plan.runs(); ++k)
      rows.push_back(report::replication_row(report::summary_columns(simulated.runs[k], key_of(plan.slots[k].point)),
                                             plan.slots[k].replication + 1));
    report::TextRows histograms;
    for (const report::TextRows& run : simulated.histograms)
      histograms.insert(histograms.end(), run.begin(), run.end());
    files.stage(plan.histograms_output, report::table_csv(report::histogram_header(), histograms));
  }
  for (std::size_t i = 0; i < plan.chosen.size() && !plan.split_replications; ++i) {
    const report::RowKey key = key_of(i);
    const std::span<const report::Summary> runs(simulated.runs.data() + i * replications, replications);
    const report::Summary& pooled = plan.folds() ? simulated.pooled[i] : runs.front();
    auto add = [&](std::vector<report::Columns>& to,
                   const std::function<std::vector<report::Columns>(const report::Summary&)>& rows_of) {
      for (report::Columns& row : report::point_rows(runs, pooled, rows_of)) to.push_back(std::move(row));
    };
    add(rows, [&](const report::Summary& s) { return std::vector<report::Columns>{report::summary_columns(s, key)}; });
    add(channel_rows, [&](const report::Summary& s) { return report::channel_columns(s, key); });
    add(process_rows, [&](const report::Summary& s) { return report::process_columns(s, key); });
    if (plan.folds())
      for (std::size_t r = 0; r < replications; ++r)
        replication_rows.push_back(report::replication_row(report::summary_columns(runs[r], key), r + 1));
  }
  files.stage(plan.output, report::rows_csv(rows));
  if (!plan.channels_output.empty()) files.stage(plan.channels_output, report::rows_csv(channel_rows));
  if (!plan.processes_output.empty()) files.stage(plan.processes_output, report::rows_csv(process_rows));
  if (!plan.replications_output.empty()) files.stage(plan.replications_output, report::rows_csv(replication_rows));
  if (!plan.series_output.empty()) files.stage(plan.series_output, series_csv(plan, simulated));
  if (!args.trace.empty()) files.stage(args.trace, simulated.trace_csv);
  return rows;
}

// `rows`: the summary rows, one per chosen point (or, in a shard of a replicated run, per run).
void print_account(const RunPlan& plan, const Simulated& simulated, const std::vector<report::Columns>& rows,
                   const RunArgs& args) {
  const bool replicated = plan.replications > 1;
  if (plan.split_replications) {
    const scenario::Scenario& first = plan.points.front().scenario;
    fmt::print("{} (seed {}, model {}): {} of the {} runs of {} points x {} replications (merge folds the shards)\n",
               first.name, first.seed, first.model.name, plan.runs(), plan.points.size() * plan.replications,
               plan.points.size(), plan.replications);
  } else if (plan.points.size() == 1) {
    if (replicated)
      print_replicated(rows.front(), plan.replications);
    else
      print_summary(simulated.runs.front());
  } else {
    const scenario::Scenario& first = plan.points.front().scenario;
    fmt::print("{} (seed {}, model {}): {} of {} sweep points{}\n", first.name, first.seed, first.model.name,
               plan.chosen.size(), plan.points.size(),
               replicated ? fmt::format(", {} replications each (mean ± 95% interval)", plan.replications) : "");
    for (std::size_t i = 0; i < plan.chosen.size(); ++i)
      if (replicated)
        print_replicated_point(*plan.chosen[i], rows[i]);
      else
        print_point(*plan.chosen[i], simulated.runs[i]);
  }
  std::vector<std::string> written{plan.output};
  for (const std::string& path :
       {plan.channels_output, plan.processes_output, plan.replications_output, plan.series_output,
        plan.histograms_output, args.trace, args.events, args.measured_events})
    if (!path.empty()) written.push_back(path);
  fmt::print("  wrote {}\n", fmt::join(written, ", "));
}

bool any_deadlock(const std::vector<report::Summary>& runs) {
  return std::any_of(runs.begin(), runs.end(), [](const report::Summary& s) {
    return s.stop == model::StopReason::deadlock || s.stop == model::StopReason::stalled ||
           (s.measured && s.measured->stop == model::StopReason::deadlock);
  });
}

int run_command(const RunArgs& args) {
  RunPlan plan;
  try {
    plan = plan_run(args);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  report::OutputFiles files(input_files(args.scenario, plan.points));
  try {
    expect_outputs(plan, args, files);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  const ProgressLine progress(!args.quiet);
  sim::Options options;
  options.verbose = args.verbose;
  options.max_wall_seconds = args.max_wall;
  options.keep_records = !args.trace.empty();
  options.series_step = plan.series_step;
  options.series_max_bins = plan.series_max_bins;
  options.per_instance = args.instances;
  options.interrupted = &interruption_flag();
  plan.memory.limit(options);
  if (plan.runs() == 1) options.on_progress = run_progress(progress, plan.chosen.front()->scenario);
  measure::Options measure_options;
  measure_options.max_wall_seconds = args.max_wall;
  measure_options.interrupted = options.interrupted;
  measure_options.max_live_bytes = plan.memory.payload_bytes(plan.most_processes);
  try {
    const bool measuring = args.measure || plan.points.front().scenario.measure;
    Simulated simulated = args.events.empty()
                              ? simulate(plan, options, measuring, progress)
                              : simulate_writing_events(plan, options, measuring, progress, files, args.events);
    if (measuring && args.measured_events.empty()) measure_points(plan, simulated, measure_options, progress);
    if (measuring && !args.measured_events.empty())
      measure_writing_events(plan, simulated, measure_options, progress, files, args.measured_events);
    if (options.interrupted->load()) return exit_interrupted_nothing_written(plan.output);
    const std::vector<report::Columns> rows = stage_results(plan, simulated, args, files);
    if (options.interrupted->load()) return exit_interrupted_nothing_written(plan.output);
    files.commit();
    // With a result on standard output, the account of the run goes to stderr.
    if (plan.output == "-" || plan.channels_output == "-" || plan.processes_output == "-" || args.trace == "-" ||
        args.events == "-" || args.measured_events == "-")
      ::dup2(STDERR_FILENO, STDOUT_FILENO);
    if (!args.quiet) print_account(plan, simulated, rows, args);
    return any_deadlock(simulated.runs) ? exit_deadlock : exit_ok;
  } catch (const InputError& e) {  // what only a model can check (routes between hosts)
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  } catch (const std::exception& e) {
    fmt::print(stderr, "ipcsim: {}\n", e.what());
    return exit_failure;
  }
}

// Checks every point of the scenario's sweep, as `run` would read it, and builds its model.
int validate_command(const std::string& path, const std::vector<std::string>& overrides) {
  try {
    const std::vector<scenario::SweepPoint> points = scenario::load_sweep(path, overrides);
    for (const scenario::SweepPoint& point : points) {
      const model::Model model = model::build_model(point.scenario);
      if (points.size() > 1) continue;
      fmt::print("{}: ok ({} processes, {} channel instances, {} hosts{})\n", path, model.processes.size(),
                 model.channels.size(), model.hosts.size(),
                 model.faults.empty() ? "" : fmt::format(", {} fault events", model.faults.size()));
    }
    if (points.size() > 1) fmt::print("{}: ok ({} sweep points)\n", path, points.size());
    return exit_ok;
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
}

}  // namespace

Verb add_run_verb(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* run =
      app.add_subcommand("run", "Simulate a scenario (or each point of its sweep) and write the summary CSV");
  run->add_option("scenario", args->scenario, "Scenario YAML file (- reads standard input)")->required();
  run->add_option("-o,--output", args->output,
                  "Summary CSV to write (default: results/<name>.csv; - for standard output)")
      ->check(file_name);
  run->add_option("--channels", args->channels,
                  "Per-channel CSV to write (default: beside the summary, results/<name>.channels.csv; - for "
                  "standard output)")
      ->check(file_name);
  run->add_option("--processes", args->processes,
                  "Per-process-group CSV to write (default: beside the summary, results/<name>.processes.csv; - "
                  "for standard output)")
      ->check(file_name);
  run->add_option("--trace", args->trace, "Also write a per-message trace CSV here (- for standard output)")
      ->check(file_name);
  run->add_option("--events", args->events,
                  "Also write every event of the run here, in simulated-time order: sends, receives, waits, "
                  "computes, sleeps, faults (a CSV; - for standard output)")
      ->check(file_name);
  run->add_option("--measured-events", args->measured_events,
                  "With --measure: also write every event of the replay on real threads here, as --events does "
                  "for the simulation, in wall-clock seconds (a CSV; - for standard output)")
      ->check(file_name);
  run->add_option("--series", args->series,
                  "Also write results/<name>.series.csv: each channel's occupancy and deliveries per bin of this "
                  "much simulated time (e.g. 10ms)");
  run->add_option("--seed", args->seed, "Override the scenario's seed: a whole number from 0 to 2^64-1")
      ->check(whole_number);
  run->add_option("--replications", args->replications,
                  "Run each point this many times, seeds seed, seed+1, ...: means with 95% intervals, and "
                  "results/<name>.replications.csv")
      ->check(CLI::Range(1u, scenario::max_replications));
  run->add_option("--set", args->overrides, "Override a scenario value: --set channels.jobs.capacity=8 (repeatable)")
      ->allow_extra_args(false);
  run->add_option("-j,--jobs", args->jobs, "Sweep points simulated at once (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  run->add_option("--shard", args->shard, "Run only slice K of N of the sweep (K from 0); join with ipcsim merge");
  run->add_option("--max-wall", args->max_wall, "Stop each run after this many wall-clock seconds (partial result)")
      ->check(finite_in(1e-3, 1e9));
  run->add_option("--memory", args->memory,
                  "Memory the runs may use together, e.g. 4GiB (default: 80% of what is available); past it a "
                  "run stops with stop_reason memory");
  run->add_flag("--instances", args->instances,
                "Channels and processes CSVs with a row per channel instance and process instance");
  run->add_flag("--measure", args->measure,
                "Also run each point on real threads (one per process) and add measured_* columns");
  run->add_flag("-v,--verbose", args->verbose, "Show SimGrid's own log");
  run->add_flag("-q,--quiet", args->quiet, "Print nothing on success, and no progress");
  return {run, [args] { return run_command(*args); }};
}

Verb add_validate_verb(CLI::App& app) {
  struct Args {
    std::string scenario;
    std::vector<std::string> overrides;
  };
  auto args = std::make_shared<Args>();
  CLI::App* validate = app.add_subcommand("validate", "Check a scenario (every point of its sweep) without running it");
  validate->add_option("scenario", args->scenario, "Scenario YAML file (- reads standard input)")->required();
  validate
      ->add_option("--set", args->overrides, "Override a scenario value: --set channels.jobs.capacity=8 (repeatable)")
      ->allow_extra_args(false);
  return {validate, [args] { return validate_command(args->scenario, args->overrides); }};
}

}  // namespace ipcsim::cli
