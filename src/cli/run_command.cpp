// ipcsim run (and validate): plan the points and the output, simulate them, measure them on
// threads if asked, write the CSVs all at once, print the account.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <optional>
#include <span>
#include <thread>

#include "commands.hpp"
#include "interruption.hpp"
#include "measure/replay.hpp"
#include "model/model.hpp"
#include "option_checks.hpp"
#include "progress.hpp"
#include "report/csv.hpp"
#include "report/output_files.hpp"
#include "report/replications.hpp"
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
  std::string series;     // bin width, e.g. 10ms; empty: no series CSV
  std::optional<std::uint64_t> seed;
  std::optional<std::uint32_t> replications;
  std::vector<std::string> overrides;  // --set path=value
  unsigned jobs = 0;                   // sweep points run at once; 0: one per core
  std::string shard;                   // "K/N": run only points i with i % N == K
  double max_wall = 0;                 // seconds per run; 0: no limit
  std::string memory;                  // size all runs may use together; empty: 80% of what is available
  bool measure = false;                // also replay each point on real threads
  bool instances = false;              // channels and processes CSVs per instance
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

// At most this many simulations in one command: a summary of each is kept until the end.
constexpr std::size_t max_runs = 100'000;
// With --instances: at most this many instance summaries kept over all runs (each becomes a
// row), and channel instances in one run (each keeps its own latency histograms).
constexpr std::size_t max_instance_rows = 100'000;
constexpr std::size_t max_channel_instances = 10'000;

// What a run will do, decided before anything runs.
struct RunPlan {
  std::vector<scenario::SweepPoint> points;         // the whole sweep
  std::vector<const scenario::SweepPoint*> chosen;  // this shard's points
  std::vector<std::size_t> point_numbers;           // theirs in the sweep, from 1
  std::size_t replications = 1;                     // of every point
  std::string output;
  std::string channels_output;      // empty: no channels CSV
  std::string processes_output;     // empty: no processes CSV
  std::string replications_output;  // empty: no replications CSV
  std::string series_output;        // empty: no series CSV
  double series_step = 0;           // seconds
  std::size_t series_max_bins = 0;  // per run and channel, before bins merge
  report::Detail detail = report::Detail::declared;
  report::Provenance provenance;
  unsigned jobs = 1;
  std::size_t most_processes = 0;  // in any chosen point
  sim::MemoryPlan memory;

  /// Simulations to run: each chosen point's replications, run k being replication
  /// k % replications of point k / replications.
  std::size_t runs() const { return chosen.size() * replications; }
};

// Shard K of N takes every N-th point from the K-th: slices of similar cost even when the
// cost grows along a swept path.
void choose_points(RunPlan& plan, const Shard& shard) {
  for (std::size_t i = shard.index; i < plan.points.size(); i += shard.count) {
    plan.chosen.push_back(&plan.points[i]);
    plan.point_numbers.push_back(i + 1);
  }
}

// --replications and --seed over the scenario's, and how many runs they make.
void apply_run_options(RunPlan& plan, const RunArgs& args) {
  if (args.replications)
    for (scenario::SweepPoint& point : plan.points) point.scenario.replications = *args.replications;
  plan.replications = plan.points.front().scenario.replications;
  if (!args.trace.empty() && plan.chosen.size() > 1)
    throw InputError({args.scenario}, fmt::format("--trace records one run, and the sweep has {} points (pick one "
                                                  "with --set)",
                                                  plan.chosen.size()));
  if (!args.trace.empty() && plan.replications > 1)
    throw InputError({args.scenario}, fmt::format("--trace records one run, and each point has {} replications (pick "
                                                  "one with --replications 1 and its --seed)",
                                                  plan.replications));
  if (plan.runs() > max_runs)
    throw InputError({args.scenario}, fmt::format("{} points x {} replications: expected at most {} runs at once "
                                                  "(split them with --shard)",
                                                  plan.chosen.size(), plan.replications, max_runs));
  if (args.seed) {
    for (const auto& [path, value] : plan.points.front().parameters)
      if (path == "seed")
        throw InputError({args.scenario}, "--seed: the scenario's sweep varies the seed: leave out one or the other");
    for (scenario::SweepPoint& point : plan.points) point.scenario.seed = *args.seed;
  }
}

// At most this many rows in a series CSV: longer runs get wider bins.
constexpr std::size_t max_series_rows = 500'000;

// --series: a bin width, one run per point, and a file beside the summary.
void plan_series(RunPlan& plan, const RunArgs& args) {
  if (args.series.empty()) return;
  const std::optional<Seconds> step = parse_duration(args.series);
  if (!step || !(step->count() > 0))
    throw InputError({"ipcsim"}, fmt::format("--series {}: expected a bin width such as 10ms or 1s, above 0",
                                             printable(args.series)));
  const std::size_t channels = plan.points.front().scenario.channels.size();
  if (channels == 0)
    throw InputError({args.scenario}, "--series: the scenario declares no channels, so there is no series to record");
  if (plan.replications > 1)
    throw InputError({args.scenario}, "--series records one run per point: leave out replications (--replications 1)");
  plan.series_output = beside_summary(plan.output, "series", {});
  if (plan.series_output.empty())
    throw InputError({"ipcsim"}, fmt::format("--series writes beside the summary CSV, and -o {} is no file ending in "
                                             ".csv",
                                             printable(plan.output)));
  plan.series_step = step->count();
  plan.series_max_bins = std::clamp<std::size_t>(max_series_rows / (plan.chosen.size() * channels), 10, 10'000);
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
  apply_run_options(plan, args);
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
  if (plan.replications > 1) plan.replications_output = beside_summary(plan.output, "replications", {});
  plan_series(plan, args);
  if (args.instances) plan.detail = report::Detail::instances;
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
  if (args.instances && plan.runs() * plan.most_processes > max_instance_rows)
    throw InputError(
        {args.scenario},
        fmt::format("--instances: {} runs of up to {} process instances: expected at most {} instance rows "
                    "in all (pick points with --set or --shard)",
                    plan.runs(), plan.most_processes, max_instance_rows));
  // Refuse up front what cannot fit, rather than be killed by the kernel halfway.
  const auto planned = sim::plan_memory(memory, std::min<std::size_t>(plan.jobs, plan.runs()), plan.most_processes);
  if (const auto* why = std::get_if<std::string>(&planned)) throw InputError({args.scenario}, *why);
  plan.memory = std::get<sim::MemoryPlan>(planned);
  return plan;
}

// What the simulations gave: a summary per run, and for one run its trace.
struct Simulated {
  std::vector<report::Summary> runs;    // in RunPlan::runs() order
  std::vector<report::Summary> pooled;  // per point, when replicated: its runs' messages pooled
  std::string trace_csv;
  std::vector<model::Model> models;   // each run's, when kept for the measured replay
  std::vector<model::Series> series;  // each run's, with --series
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
  std::vector<Pool<model::SimulatedRun>> pools(replications > 1 ? plan.chosen.size() : 0);
  if (replications > 1) result.pooled.resize(plan.chosen.size());
  std::size_t done = 0;
  const auto started = std::chrono::steady_clock::now();
  auto model_of = [&](std::size_t k) {
    model::Model model = model::build_model(plan.chosen[k / replications]->scenario);
    model.seed = report::replication_seed(model.seed, k % replications);
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
    if (replications > 1 && pools[k / replications].add(std::move(run), replications))
      result.pooled[k / replications] =
          report::summarize(model, *std::exchange(pools[k / replications].run, {}), plan.detail);
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
    const scenario::SweepPoint& point = *plan.chosen[e.index / replications];
    const std::string replication =
        replications > 1 ? fmt::format("replication {}: ", e.index % replications + 1) : std::string{};
    if (point.parameters.empty() && replication.empty()) throw;
    throw std::runtime_error(fmt::format("{}{}{}",
                                         point.parameters.empty() ? "" : "sweep point " + parameters_text(point) + ": ",
                                         replication, e.what()));
  }
  progress.clear();
  return result;
}

// Replays each run on real threads, one at a time and after every simulation has ended, so
// that the threads have the machine's cores to themselves.
void measure_points(const RunPlan& plan, Simulated& simulated, const measure::Options& options,
                    const ProgressLine& progress) {
  const std::size_t replications = plan.replications;
  Pool<model::MeasuredRun> pool;
  for (std::size_t k = 0; k < simulated.models.size() && !options.interrupted->load(); ++k) {
    const model::Model& model = simulated.models[k];
    report::Summary* pooled = replications > 1 ? &simulated.pooled[k / replications] : nullptr;
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
    if (pooled && pool.add(std::move(run), replications)) {
      pooled->measured = report::summarize(model, *pool.run, plan.detail);
      pool = {};
    }
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
  if (!plan.replications_output.empty()) files.expect("the replications CSV", plan.replications_output, false);
  if (!plan.series_output.empty()) files.expect("the series CSV", plan.series_output, false);
  if (!args.trace.empty()) files.expect("--trace", args.trace);
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
  for (std::size_t i = 0; i < plan.chosen.size(); ++i) {
    const report::RowKey key{plan.point_numbers[i], plan.points.size(), plan.chosen[i]->parameters, replications};
    const std::span<const report::Summary> runs(simulated.runs.data() + i * replications, replications);
    const report::Summary& pooled = replications > 1 ? simulated.pooled[i] : runs.front();
    auto add = [&](std::vector<report::Columns>& to,
                   const std::function<std::vector<report::Columns>(const report::Summary&)>& rows_of) {
      for (report::Columns& row : report::point_rows(runs, pooled, rows_of)) to.push_back(std::move(row));
    };
    add(rows, [&](const report::Summary& s) { return std::vector<report::Columns>{report::summary_columns(s, key)}; });
    add(channel_rows, [&](const report::Summary& s) { return report::channel_columns(s, key); });
    add(process_rows, [&](const report::Summary& s) { return report::process_columns(s, key); });
    if (replications > 1)
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

// `rows`: the summary rows, one per chosen point.
void print_account(const RunPlan& plan, const Simulated& simulated, const std::vector<report::Columns>& rows,
                   const RunArgs& args) {
  const bool replicated = plan.replications > 1;
  if (plan.points.size() == 1) {
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
       {plan.channels_output, plan.processes_output, plan.replications_output, plan.series_output, args.trace})
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
    Simulated simulated = simulate(plan, options, measuring, progress);
    if (measuring) measure_points(plan, simulated, measure_options, progress);
    if (options.interrupted->load()) return exit_interrupted_nothing_written(plan.output);
    const std::vector<report::Columns> rows = stage_results(plan, simulated, args, files);
    if (options.interrupted->load()) return exit_interrupted_nothing_written(plan.output);
    files.commit();
    // With a result on standard output, the account of the run goes to stderr.
    if (plan.output == "-" || plan.channels_output == "-" || plan.processes_output == "-" || args.trace == "-")
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
