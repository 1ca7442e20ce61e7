#include "run_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <thread>

#include "report/output_files.hpp"
#include "scenario/text.hpp"
#include "scenario/units.hpp"

namespace ipcsim::cli {
namespace {

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

// The file an option names, or else the one of `kind` beside the summary.
std::string chosen_or_beside(const std::string& chosen, const std::string& output, std::string_view kind) {
  return chosen.empty() ? report::beside_summary(output, kind) : chosen;
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

// Shard K of N takes every N-th point from the K-th: slices of similar cost even when the
// cost grows along a swept path. With replications it takes every N-th run of all the points'
// replications instead, so that a few points of many replications spread too; merge folds them.
void choose_runs(RunPlan& plan, const Shard& shard, bool sharded) {
  const std::size_t replications = plan.replications;
  plan.split_replications = sharded && replications > 1;
  const std::size_t first = plan.split_replications ? 0 : shard.index;
  const std::size_t step = plan.split_replications ? 1 : shard.count;
  for (std::size_t i = first; i < plan.points.size(); i += step) {
    plan.chosen.push_back(&plan.points[i]);
    plan.point_numbers.push_back(i + 1);
  }
  for (std::size_t i = 0; i < plan.chosen.size(); ++i)
    for (std::size_t r = 0; r < replications; ++r)
      if (!plan.split_replications || (i * replications + r) % shard.count == shard.index) plan.slots.push_back({i, r});
}

// --replications and --seed over the scenario's.
void apply_run_options(RunPlan& plan, const RunArgs& args) {
  if (args.replications)
    for (scenario::SweepPoint& point : plan.points) point.scenario.replications = *args.replications;
  plan.replications = plan.points.front().scenario.replications;
  if (args.seed) {
    for (const auto& [path, value] : plan.points.front().parameters)
      if (path == "seed")
        throw InputError({args.scenario}, "--seed: the scenario's sweep varies the seed: leave out one or the other");
    for (scenario::SweepPoint& point : plan.points) point.scenario.seed = *args.seed;
  }
}

// What one command may run: one run to trace (or to write the events of), and at most max_runs.
void check_run_count(const RunPlan& plan, const RunArgs& args) {
  if (!args.measured_events.empty() && !args.measure && !plan.points.front().scenario.measure)
    throw InputError({args.scenario},
                     "--measured-events records the replay on real threads: expected --measure too "
                     "(or measure: true in the scenario)");
  for (const auto& [option, path] : {std::pair{"--trace", &args.trace}, std::pair{"--events", &args.events},
                                     std::pair{"--measured-events", &args.measured_events}}) {
    if (path->empty()) continue;
    if (plan.chosen.size() > 1)
      throw InputError({args.scenario}, fmt::format("{} records one run, and the sweep has {} points (pick one "
                                                    "with --set)",
                                                    option, plan.chosen.size()));
    if (plan.replications > 1)
      throw InputError({args.scenario}, fmt::format("{} records one run, and each point has {} replications (pick "
                                                    "one with --replications 1 and its --seed)",
                                                    option, plan.replications));
  }
  if (plan.runs() > max_runs)
    throw InputError({args.scenario}, fmt::format("{} points x {} replications: expected at most {} runs at once "
                                                  "(split them with --shard)",
                                                  plan.chosen.size(), plan.replications, max_runs));
}

// A shard of a replicated run writes its replications' summary rows and, beside them, their
// distributions: merge folds both into the points' rows. No channels or processes CSV.
void plan_split_shard(RunPlan& plan, const RunArgs& args) {
  if (!args.channels.empty() || !args.processes.empty())
    throw InputError({"ipcsim"},
                     "--channels and --processes: a shard of a replicated run writes the summary of each "
                     "replication only (merge folds them); run without --shard for those");
  plan.channels_output.clear();
  plan.processes_output.clear();
  plan.histograms_output = report::beside_summary(plan.output, "histograms");
  if (plan.histograms_output.empty())
    throw InputError({"ipcsim"}, fmt::format("--shard with replications writes its histograms beside the summary "
                                             "CSV, and -o {} is no file ending in .csv",
                                             printable(plan.output)));
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
  plan.series_output = report::beside_summary(plan.output, "series");
  if (plan.series_output.empty())
    throw InputError({"ipcsim"}, fmt::format("--series writes beside the summary CSV, and -o {} is no file ending in "
                                             ".csv",
                                             printable(plan.output)));
  plan.series_step = step->count();
  plan.series_max_bins = std::clamp<std::size_t>(max_series_rows / (plan.chosen.size() * channels), 10, 10'000);
}

// --shard K/N: at most as many shards as points (or, replicated, runs); none: the whole of it.
Shard shard_of(const RunPlan& plan, const RunArgs& args) {
  if (args.shard.empty()) return {};
  std::optional<Shard> shard = parse_shard(args.shard);
  if (!shard)
    throw InputError({"ipcsim"}, fmt::format("--shard {}: expected K/N with 0 <= K < N, e.g. --shard 0/4", args.shard));
  const std::size_t units = plan.points.size() * plan.replications;
  if (shard->count > units)
    throw InputError({args.scenario},
                     fmt::format("--shard {}: the sweep has {} {}, expected at most {} shards", args.shard, units,
                                 plan.replications > 1 ? "runs (points x replications)" : "points", units));
  return *shard;
}

// Where each result goes: the summary (by default results/<name>.csv, or its shard's), and
// the files beside it.
void plan_outputs(RunPlan& plan, const RunArgs& args, const Shard& shard) {
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
    plan.channels_output = chosen_or_beside(args.channels, plan.output, "channels");
  }
  plan.processes_output = chosen_or_beside(args.processes, plan.output, "processes");
  if (plan.folds()) plan.replications_output = report::beside_summary(plan.output, "replications");
  if (plan.split_replications) plan_split_shard(plan, args);
  plan_series(plan, args);
}

}  // namespace

std::vector<std::string> input_files(const std::string& scenario, const std::vector<scenario::SweepPoint>& points) {
  std::vector<std::string> files{scenario};
  for (const scenario::SweepPoint& point : points)
    for (const std::string& file : {point.scenario.model.source, point.scenario.model.network.platform_file})
      if (!file.empty() && file != "built-in" && file != scenario &&
          std::find(files.begin(), files.end(), file) == files.end())
        files.push_back(file);
  return files;
}

RunPlan plan_run(const RunArgs& args) {
  RunPlan plan;
  plan.points = scenario::load_sweep(args.scenario, args.overrides);
  apply_run_options(plan, args);
  const Shard shard = shard_of(plan, args);
  choose_runs(plan, shard, !args.shard.empty());
  check_run_count(plan, args);
  plan_outputs(plan, args, shard);
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

}  // namespace ipcsim::cli
