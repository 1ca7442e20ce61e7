// ipcsim run (and validate): plan the points and the output, simulate them, measure them on
// threads if asked, write the CSVs all at once, print the account.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include "commands.hpp"
#include "interruption.hpp"
#include "measure/replay.hpp"
#include "model/model.hpp"
#include "option_checks.hpp"
#include "progress.hpp"
#include "report/csv.hpp"
#include "report/output_files.hpp"
#include "report/summary.hpp"
#include "run_summary.hpp"
#include "scenario/scenario.hpp"
#include "scenario/text.hpp"
#include "scenario/units.hpp"
#include "sim/memory_plan.hpp"
#include "sim/run_many.hpp"

namespace ipcsim::cli {
namespace {

struct RunArgs {
  std::string scenario;
  std::string output;     // empty: results/<scenario name>.csv
  std::string channels;   // empty: beside a summary CSV whose name ends in .csv
  std::string processes;  // likewise
  std::string trace;      // empty: no trace
  std::optional<std::uint64_t> seed;
  std::vector<std::string> overrides;  // --set path=value
  unsigned jobs = 0;                   // sweep points run at once; 0: one per core
  std::string shard;                   // "K/N": run only points i with i % N == K
  double max_wall = 0;                 // seconds per run; 0: no limit
  std::string memory;                  // size all runs may use together; empty: 80% of what is available
  bool measure = false;                // also replay each point on real threads
  bool verbose = false;
  bool quiet = false;
};

struct Shard {
  std::size_t index = 0, count = 1;
};

// "K/N" with 0 <= K < N.
std::optional<Shard> parse_shard(const std::string& text) {
  Shard shard;
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  auto parse = [](std::string_view digits, std::size_t& value) {
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return ec == std::errc{} && end == digits.data() + digits.size() && !digits.empty();
  };
  std::string_view all(text);
  if (!parse(all.substr(0, slash), shard.index) || !parse(all.substr(slash + 1), shard.count) || shard.count == 0 ||
      shard.index >= shard.count)
    return std::nullopt;
  return shard;
}

// The files a run reads: the scenario and each model or platform file its points name.
std::vector<std::string> input_files(const std::string& scenario, const std::vector<scenario::SweepPoint>& points) {
  std::vector<std::string> files{scenario};
  for (const scenario::SweepPoint& point : points)
    for (const std::string& file : {point.scenario.model.source, point.scenario.model.network.platform_file})
      if (!file.empty() && file != "built-in" && file != scenario &&
          std::find(files.begin(), files.end(), file) == files.end())
        files.push_back(file);
  return files;
}

// The channels and processes CSVs go beside the summary: results/x.csv -> results/x.channels.csv.
// A summary written elsewhere (standard output, a device) has none unless an option names it.
std::string beside_summary(const std::string& output, std::string_view kind, const std::string& chosen) {
  constexpr std::string_view suffix = ".csv";
  if (!chosen.empty()) return chosen;
  if (output.size() <= suffix.size() || !output.ends_with(suffix)) return {};
  return fmt::format("{}.{}.csv", output.substr(0, output.size() - suffix.size()), kind);
}

// The overrides as flags a shell takes back as they were: --set 'path=value' ...
std::string overrides_text(const std::vector<std::string>& overrides) {
  std::string text;
  for (const std::string& o : overrides) {
    std::string quoted;
    for (char ch : o) quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    text += fmt::format("{}--set '{}'", text.empty() ? "" : " ", quoted);
  }
  return text;
}

// What a run will do, decided before anything runs.
struct RunPlan {
  std::vector<scenario::SweepPoint> points;         // the whole sweep
  std::vector<const scenario::SweepPoint*> chosen;  // this shard's points
  std::vector<std::size_t> point_numbers;           // theirs in the sweep, from 1
  std::string output;
  std::string channels_output;   // empty: no channels CSV
  std::string processes_output;  // empty: no processes CSV
  report::Provenance provenance;
  unsigned jobs = 1;
  std::size_t most_processes = 0;  // in any chosen point
  sim::MemoryPlan memory;
};

// Shard K of N takes every N-th point from the K-th: slices of similar cost even when the
// cost grows along a swept path.
void choose_points(RunPlan& plan, const Shard& shard) {
  for (std::size_t i = shard.index; i < plan.points.size(); i += shard.count) {
    plan.chosen.push_back(&plan.points[i]);
    plan.point_numbers.push_back(i + 1);
  }
}

// The plan, or an InputError saying what in the command line or the scenario is wrong.
RunPlan plan_run(const RunArgs& args) {
  RunPlan plan;
  plan.points = scenario::load_sweep(args.scenario, args.overrides);
  Shard shard;
  if (!args.shard.empty()) {
    std::optional<Shard> parsed = parse_shard(args.shard);
    if (!parsed)
      throw InputError({"ipcsim"},
                       fmt::format("--shard {}: expected K/N with 0 <= K < N, e.g. --shard 0/4", args.shard));
    shard = *parsed;
    if (shard.count > plan.points.size())
      throw InputError({args.scenario}, fmt::format("--shard {}: the sweep has {} points, expected at most {} shards",
                                                    args.shard, plan.points.size(), plan.points.size()));
  }
  choose_points(plan, shard);
  if (!args.trace.empty() && plan.chosen.size() > 1)
    throw InputError({args.scenario}, fmt::format("--trace records one run, and the sweep has {} points (pick one "
                                                  "with --set)",
                                                  plan.chosen.size()));
  if (args.seed) {
    for (const auto& [path, value] : plan.points.front().parameters)
      if (path == "seed")
        throw InputError({args.scenario}, "--seed: the scenario's sweep varies the seed: leave out one or the other");
    for (scenario::SweepPoint& point : plan.points) point.scenario.seed = *args.seed;
  }
  // The scenario's name is a plain file name (the loader checks it), so the default stays in results/.
  const std::string& name = plan.points.front().scenario.name;
  plan.output = !args.output.empty() ? args.output
                : args.shard.empty() ? "results/" + name + ".csv"
                                     : fmt::format("results/{}.shard-{}-of-{}.csv", name, shard.index, shard.count);
  // A scenario without channels has no channel figures: no file, and none to ask for.
  if (plan.points.front().scenario.channels.empty()) {
    if (!args.channels.empty())
      throw InputError({args.scenario}, "--channels: the scenario declares no channels, so there is no channels CSV");
  } else {
    plan.channels_output = beside_summary(plan.output, "channels", args.channels);
  }
  plan.processes_output = beside_summary(plan.output, "processes", args.processes);
  plan.provenance = {args.scenario, overrides_text(args.overrides)};
  plan.jobs = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  double memory = sim::available_memory_bytes();
  if (!args.memory.empty()) {
    std::optional<Bytes> size = parse_size(args.memory);
    if (!size || size->count == 0)
      throw InputError({"ipcsim"}, fmt::format("--memory {}: expected a size such as 512MiB or 4GiB, from 1B to 1e15B",
                                               printable(args.memory)));
    memory = static_cast<double>(size->count);
  }
  for (const scenario::SweepPoint* point : plan.chosen) {
    std::size_t processes = 0;
    for (const auto& process : point->scenario.processes) processes += process.count;
    plan.most_processes = std::max(plan.most_processes, processes);
  }
  // Refuse up front what cannot fit, rather than be killed by the kernel halfway.
  const auto planned =
      sim::plan_memory(memory, std::min<std::size_t>(plan.jobs, plan.chosen.size()), plan.most_processes);
  if (const auto* why = std::get_if<std::string>(&planned)) throw InputError({args.scenario}, *why);
  plan.memory = std::get<sim::MemoryPlan>(planned);
  return plan;
}

// What the simulations gave: a summary per chosen point and, for one point, its trace.
struct Simulated {
  std::vector<report::Summary> summaries;
  std::string trace_csv;
  std::vector<model::Model> models;  // each point's, when kept for the measured replay
};

// Simulates the chosen points, `jobs` at a time, each in a forked child; each point's model
// is built once, when its turn comes, and kept afterwards only if `keep_models`. The
// summaries come in the order of the points, so the CSV does not depend on `jobs`.
Simulated simulate(const RunPlan& plan, const sim::Options& options, bool keep_models, const ProgressLine& progress) {
  Simulated result;
  result.summaries.resize(plan.chosen.size());
  if (keep_models) result.models.resize(plan.chosen.size());
  std::size_t done = 0;
  const auto started = std::chrono::steady_clock::now();
  auto model_of = [&](std::size_t i) { return model::build_model(plan.chosen[i]->scenario); };
  auto finished = [&](std::size_t i, model::Model&& model, model::SimulatedRun&& run) {
    result.summaries[i] = report::summarize(model, run);
    result.summaries[i].provenance = plan.provenance;
    if (options.keep_records) result.trace_csv = report::trace_csv(model, run);
    if (keep_models) result.models[i] = std::move(model);
    if (plan.chosen.size() == 1) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double fraction = static_cast<double>(++done) / static_cast<double>(plan.chosen.size());
    progress.show(fmt::format("  {}/{} points done, {:.0f}s wall{}", done, plan.chosen.size(), elapsed,
                              eta_text(elapsed, fraction)));
  };
  try {
    sim::run_many(plan.chosen.size(), plan.jobs, options, model_of, finished);
  } catch (const sim::RunFailed& e) {
    const scenario::SweepPoint& point = *plan.chosen[e.index];
    if (point.parameters.empty()) throw;
    throw std::runtime_error(fmt::format("sweep point {}: {}", parameters_text(point), e.what()));
  }
  progress.clear();
  return result;
}

// Replays each point on real threads, one point at a time and after every simulation has
// ended, so that the threads have the machine's cores to themselves.
void measure_points(Simulated& simulated, const measure::Options& options, const ProgressLine& progress) {
  std::vector<report::Summary>& summaries = simulated.summaries;
  for (std::size_t i = 0; i < simulated.models.size() && !options.interrupted->load(); ++i) {
    const model::Model& model = simulated.models[i];
    const std::string why = measure::unmeasurable(model);
    if (!why.empty()) {
      summaries[i].measured = report::MeasuredSummary{};
      summaries[i].measured->note = why;
      continue;
    }
    progress.show(
        fmt::format("  measuring point {}/{} on {} threads", i + 1, summaries.size(), model.processes.size()));
    summaries[i].measured = report::summarize(model, measure::replay(model, options));
  }
  progress.clear();
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
  if (!args.trace.empty()) files.expect("--trace", args.trace);
}

// The summary, channels and processes rows of every chosen point, and the trace.
void stage_results(const RunPlan& plan, const Simulated& simulated, const RunArgs& args, report::OutputFiles& files) {
  std::vector<report::Columns> rows, channel_rows, process_rows;
  for (std::size_t i = 0; i < plan.chosen.size(); ++i) {
    const report::Summary& summary = simulated.summaries[i];
    const std::size_t point = plan.point_numbers[i], points = plan.points.size();
    const report::Columns& parameters = plan.chosen[i]->parameters;
    rows.push_back(report::summary_columns(summary, point, points, parameters));
    for (report::Columns& row : report::channel_columns(summary, point, points, parameters))
      channel_rows.push_back(std::move(row));
    for (report::Columns& row : report::process_columns(summary, point, points, parameters))
      process_rows.push_back(std::move(row));
  }
  files.stage(plan.output, report::rows_csv(rows));
  if (!plan.channels_output.empty()) files.stage(plan.channels_output, report::rows_csv(channel_rows));
  if (!plan.processes_output.empty()) files.stage(plan.processes_output, report::rows_csv(process_rows));
  if (!args.trace.empty()) files.stage(args.trace, simulated.trace_csv);
}

void print_account(const RunPlan& plan, const std::vector<report::Summary>& summaries, const RunArgs& args) {
  if (plan.points.size() == 1) {
    print_summary(summaries.front());
  } else {
    const scenario::Scenario& first = plan.points.front().scenario;
    fmt::print("{} (seed {}, model {}): {} of {} sweep points\n", first.name, first.seed, first.model.name,
               plan.chosen.size(), plan.points.size());
    for (std::size_t i = 0; i < plan.chosen.size(); ++i) print_point(*plan.chosen[i], summaries[i]);
  }
  std::vector<std::string> written{plan.output};
  for (const std::string& path : {plan.channels_output, plan.processes_output, args.trace})
    if (!path.empty()) written.push_back(path);
  fmt::print("  wrote {}\n", fmt::join(written, ", "));
}

bool any_deadlock(const std::vector<report::Summary>& summaries) {
  return std::any_of(summaries.begin(), summaries.end(), [](const report::Summary& s) {
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
  options.interrupted = &interruption_flag();
  plan.memory.limit(options);
  if (plan.chosen.size() == 1) options.on_progress = run_progress(progress, plan.chosen.front()->scenario);
  measure::Options measure_options;
  measure_options.max_wall_seconds = args.max_wall;
  measure_options.interrupted = options.interrupted;
  measure_options.max_live_bytes = plan.memory.payload_bytes(plan.most_processes);
  try {
    const bool measuring = args.measure || plan.points.front().scenario.measure;
    Simulated simulated = simulate(plan, options, measuring, progress);
    if (measuring) measure_points(simulated, measure_options, progress);
    const std::vector<report::Summary>& summaries = simulated.summaries;
    if (options.interrupted->load()) return exit_interrupted_nothing_written(plan.output);
    stage_results(plan, simulated, args, files);
    if (options.interrupted->load()) return exit_interrupted_nothing_written(plan.output);
    files.commit();
    // With a result on standard output, the account of the run goes to stderr.
    if (plan.output == "-" || plan.channels_output == "-" || plan.processes_output == "-" || args.trace == "-")
      ::dup2(STDERR_FILENO, STDOUT_FILENO);
    if (!args.quiet) print_account(plan, summaries, args);
    return any_deadlock(summaries) ? exit_deadlock : exit_ok;
  } catch (const InputError& e) {  // what only a model can check (routes between hosts)
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  } catch (const std::exception& e) {
    fmt::print(stderr, "ipcsim: {}\n", e.what());
    return exit_failure;
  }
}

int validate_command(const std::string& path) {
  try {
    scenario::Scenario scenario = scenario::load_scenario(path);
    model::Model model = model::build_model(scenario);
    fmt::print("{}: ok ({} processes, {} channel instances, {} hosts{})\n", path, model.processes.size(),
               model.channels.size(), model.hosts.size(),
               model.faults.empty() ? "" : fmt::format(", {} fault events", model.faults.size()));
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
  run->add_option("--seed", args->seed, "Override the scenario's seed: a whole number from 0 to 2^64-1")
      ->check(whole_number);
  run->add_option("--set", args->overrides, "Override a scenario value: --set channels.jobs.capacity=8 (repeatable)");
  run->add_option("-j,--jobs", args->jobs, "Sweep points simulated at once (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  run->add_option("--shard", args->shard, "Run only slice K of N of the sweep (K from 0); join with ipcsim merge");
  run->add_option("--max-wall", args->max_wall, "Stop each run after this many wall-clock seconds (partial result)")
      ->check(finite_in(1e-3, 1e9));
  run->add_option("--memory", args->memory,
                  "Memory the runs may use together, e.g. 4GiB (default: 80% of what is available); past it a "
                  "run stops with stop_reason memory");
  run->add_flag("--measure", args->measure,
                "Also run each point on real threads (one per process) and add measured_* columns");
  run->add_flag("-v,--verbose", args->verbose, "Show SimGrid's own log");
  run->add_flag("-q,--quiet", args->quiet, "Print nothing on success, and no progress");
  return {run, [args] { return run_command(*args); }};
}

Verb add_validate_verb(CLI::App& app) {
  auto scenario = std::make_shared<std::string>();
  CLI::App* validate = app.add_subcommand("validate", "Check a scenario without running it");
  validate->add_option("scenario", *scenario, "Scenario YAML file (- reads standard input)")->required();
  return {validate, [scenario] { return validate_command(*scenario); }};
}

}  // namespace ipcsim::cli
