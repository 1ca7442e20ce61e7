#include <fmt/format.h>

#include <poll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <functional>
#include <thread>
#include <variant>

#include "commands.hpp"
#include "interruption.hpp"
#include "run_summary.hpp"
#include "model/model.hpp"
#include "report/output_files.hpp"
#include "report/csv.hpp"
#include "report/summary.hpp"
#include "report/table.hpp"
#include "scenario/scenario.hpp"
#include "scenario/text.hpp"
#include "scenario/units.hpp"
#include "measure/replay.hpp"
#include "sim/simulation.hpp"

namespace ipcsim::cli {

int validate_command(const std::string& path) {
  try {
    Scenario scenario = load_scenario(path);
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

namespace {

// One line on stderr, rewritten in place; only when stderr is a terminal.
class ProgressLine {
 public:
  explicit ProgressLine(bool wanted) : enabled_(wanted && ::isatty(STDERR_FILENO)) {}
  bool enabled() const { return enabled_; }
  void show(const std::string& text) const {
    if (enabled_) fmt::print(stderr, "\r{}\033[K", text);
  }
  void clear() const {
    if (enabled_) fmt::print(stderr, "\r\033[K");
  }

 private:
  bool enabled_;
};

std::string eta_text(double elapsed, double fraction) {
  if (fraction <= 0 || fraction >= 1) return "";
  return fmt::format(", ETA {:.0f}s", elapsed / fraction * (1 - fraction));
}

// Progress of one run, printed by the simulating child: simulated time, messages and, when
// the scenario stops at a time or a message count, how far along that is.
std::function<void(const sim::Progress&)> run_progress(const ProgressLine& line, const Scenario& scenario) {
  if (!line.enabled()) return {};
  const StopCondition stop = scenario.stop;
  return [&line, stop](const sim::Progress& p) {
    double fraction = 0;
    if (stop.time) fraction = std::max(fraction, p.sim_time / stop.time->count());
    if (stop.messages) fraction = std::max(fraction, static_cast<double>(p.delivered) / static_cast<double>(*stop.messages));
    line.show(fmt::format("  t={:.6g}s simulated, {} messages sent, {:.0f}s wall{}", p.sim_time, p.sent, p.wall_time,
                          eta_text(p.wall_time, fraction)));
  };
}

// 80% of what the machine has available, leaving room for everything else; 0 when unknown.
double available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  double kib = 0;
  while (meminfo >> key >> kib)
    if (key == "MemAvailable:") return 0.8 * kib * 1024;
  return 0;
}

// What each forked run may hold: its share of the memory (resident; the simulation stops
// before it would cross it) and, under ulimit -v, the address space every process has.
struct MemoryPlan {
  double resident = 0;                // 0: no limit
  std::uint64_t address_space = 0;    // 0: no limit
};

// Measured (bench/README.md): a run starts at about 10 MiB resident and 64 MiB of address
// space; a simulated process adds about 16 KiB resident and its whole stack of address space.
constexpr double resident_per_run = 16 << 20, resident_per_process = 16 << 10;
constexpr double address_space_per_run = 128 << 20;

// The plan, or an error saying why the biggest point cannot fit, found before anything runs.
std::variant<MemoryPlan, std::string> plan_memory(double memory, std::size_t runs_at_once, std::size_t processes) {
  MemoryPlan plan;
  plan.resident = memory / static_cast<double>(runs_at_once);
  const double resident_need = resident_per_run + static_cast<double>(processes) * resident_per_process;
  if (plan.resident > 0 && resident_need > plan.resident)
    return fmt::format("{} simulated processes need about {:.2f} GiB ({} MiB and 16 KiB each), and {:.2f} GiB is "
                       "available per run: expected fewer processes, or fewer points at once (-j)",
                       processes, resident_need / (1 << 30), resident_per_run / (1 << 20), plan.resident / (1 << 30));
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    plan.address_space = limit.rlim_cur;
    const sim::ActorStack stack = sim::actor_stack_for(processes);
    const double per_process = static_cast<double>(stack.kib * 1024 + stack.guard_pages * 4096);
    const double need = address_space_per_run + static_cast<double>(processes) * per_process;
    if (need > static_cast<double>(plan.address_space))
      return fmt::format("{} simulated processes need about {:.2f} GiB of address space ({} KiB of stack each), and "
                         "ulimit -v allows {:.2f} GiB: expected fewer processes or a larger ulimit -v",
                         processes, need / (1 << 30), stack.kib, static_cast<double>(plan.address_space) / (1 << 30));
  }
  return plan;
}

// The files a run reads: the scenario and each model or platform file its points name.
std::vector<std::string> input_files(const std::string& scenario, const std::vector<SweepPoint>& points) {
  std::vector<std::string> files{scenario};
  for (const SweepPoint& point : points)
    for (const std::string& file : {point.scenario.model.source, point.scenario.model.network.platform_file})
      if (!file.empty() && file != "built-in" && file != scenario &&
          std::find(files.begin(), files.end(), file) == files.end())
        files.push_back(file);
  return files;
}

// Runs the chosen points, `jobs` at a time, each simulation in a forked child; this thread
// alone starts them and collects their output (forking from a multi-threaded program can
// leave a child stuck on a lock another thread held). Summaries come back in the order given,
// so the CSV does not depend on `jobs`.
std::vector<report::Summary> run_points(const std::vector<const SweepPoint*>& points, unsigned jobs,
                                        const sim::Options& options, const ProgressLine& progress,
                                        model::SimulatedRun* single_run_output) {
  struct Running {
    std::size_t index;
    model::Model model;
    std::unique_ptr<sim::IsolatedRun> run;
  };
  std::vector<report::Summary> summaries(points.size());
  std::vector<Running> running;
  std::size_t next = 0, done = 0;
  const auto started = std::chrono::steady_clock::now();
  auto interrupted = [&] { return options.interrupted && options.interrupted->load(); };
  auto fail = [&](std::size_t index, const std::exception& e) {
    if (points[index]->parameters.empty()) throw;
    throw std::runtime_error(fmt::format("sweep point {}: {}", parameters_text(*points[index]), e.what()));
  };
  while (done < points.size()) {
    while (running.size() < jobs && next < points.size() && !interrupted()) {
      model::Model model = model::build_model(points[next]->scenario);
      try {
        auto run = std::make_unique<sim::IsolatedRun>(model, options);
        running.push_back(Running{next, std::move(model), std::move(run)});
      } catch (const std::exception& e) {
        fail(next, e);
      }
      ++next;
    }
    if (running.empty()) break;  // interrupted before the rest started
    std::vector<pollfd> fds;
    for (const Running& r : running) fds.push_back(pollfd{r.run->fd(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) continue;  // EINTR: a signal, look again
    for (std::size_t k = fds.size(); k-- > 0;) {
      if (fds[k].revents == 0 || running[k].run->read_some()) continue;
      Running finished = std::move(running[k]);
      running.erase(running.begin() + static_cast<std::ptrdiff_t>(k));
      try {
        model::SimulatedRun output = finished.run->finish();
        summaries[finished.index] = report::summarize(finished.model, output);
        if (single_run_output) *single_run_output = std::move(output);
      } catch (const std::exception& e) {
        fail(finished.index, e);
      }
      ++done;
      if (points.size() > 1) {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        progress.show(fmt::format("  {}/{} points done, {:.0f}s wall{}", done, points.size(), elapsed,
                                  eta_text(elapsed, static_cast<double>(done) / static_cast<double>(points.size()))));
      }
    }
  }
  progress.clear();
  return summaries;
}

// Replays each point on real threads, one point at a time and after every simulation has
// ended, so that the threads have the machine's cores to themselves.
void measure_points(const std::vector<const SweepPoint*>& points, std::vector<report::Summary>& summaries,
                    const measure::Options& options, const ProgressLine& progress) {
  for (std::size_t i = 0; i < points.size() && !options.interrupted->load(); ++i) {
    model::Model model = model::build_model(points[i]->scenario);
    const std::string why = measure::unmeasurable(model);
    if (!why.empty()) {
      summaries[i].measured = report::MeasuredSummary{};
      summaries[i].measured->note = why;
      continue;
    }
    progress.show(fmt::format("  measuring point {}/{} on {} threads", i + 1, points.size(), model.processes.size()));
    summaries[i].measured = report::summarize(measure::replay(model, options));
  }
  progress.clear();
}

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

}  // namespace

int run_command(const RunArgs& args) {
  std::vector<SweepPoint> points;
  try {
    points = load_sweep(args.scenario, args.overrides);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  Shard shard;
  if (!args.shard.empty()) {
    std::optional<Shard> parsed = parse_shard(args.shard);
    if (!parsed) {
      fmt::print(stderr, "ipcsim: error: --shard {}: expected K/N with 0 <= K < N, e.g. --shard 0/4\n", args.shard);
      return exit_bad_input;
    }
    shard = *parsed;
    if (shard.count > points.size()) {
      fmt::print(stderr, "{}: error: --shard {}: the sweep has {} points, expected at most {} shards\n", args.scenario,
                 args.shard, points.size(), points.size());
      return exit_bad_input;
    }
  }
  // Shard K of N takes every N-th point from the K-th: slices of similar cost even when
  // the cost grows along a swept path.
  std::vector<const SweepPoint*> chosen;
  std::vector<std::size_t> point_numbers;
  for (std::size_t i = shard.index; i < points.size(); i += shard.count) {
    chosen.push_back(&points[i]);
    point_numbers.push_back(i + 1);
  }
  if (!args.trace.empty() && chosen.size() > 1) {
    fmt::print(stderr, "{}: error: --trace records one run, and the sweep has {} points (pick one with --set)\n",
               args.scenario, chosen.size());
    return exit_bad_input;
  }
  if (args.seed)
    for (SweepPoint& point : points) point.scenario.seed = *args.seed;
  const Scenario& first = points.front().scenario;
  // The scenario's name is a plain file name (the loader checks it), so the default stays in results/.
  const std::string output =
      !args.output.empty() ? args.output
      : args.shard.empty() ? "results/" + first.name + ".csv"
                           : fmt::format("results/{}.shard-{}-of-{}.csv", first.name, shard.index, shard.count);
  report::OutputFiles files(input_files(args.scenario, points));
  try {
    for (const SweepPoint* point : chosen) model::build_model(point->scenario);  // what only a model can check
    std::error_code ec;
    if (args.output.empty()) std::filesystem::create_directories("results", ec);
    files.expect(args.output.empty() ? "the summary CSV" : "-o", output);
    if (!args.trace.empty()) files.expect("--trace", args.trace);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  const unsigned jobs = args.jobs ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  // Refuse up front what cannot fit, rather than be killed by the kernel halfway.
  double memory = available_memory_bytes();
  if (!args.memory.empty()) {
    std::optional<Bytes> size = parse_size(args.memory);
    if (!size || size->count == 0) {
      fmt::print(stderr, "ipcsim: error: --memory {}: expected a size such as 512MiB or 4GiB, from 1B to 1e15B\n",
                 printable(args.memory));
      return exit_bad_input;
    }
    memory = static_cast<double>(size->count);
  }
  std::size_t most_processes = 0;
  for (const SweepPoint* point : chosen) {
    std::size_t processes = 0;
    for (const auto& process : point->scenario.processes) processes += process.count;
    most_processes = std::max(most_processes, processes);
  }
  const auto planned = plan_memory(memory, std::min<std::size_t>(jobs, chosen.size()), most_processes);
  if (const auto* why = std::get_if<std::string>(&planned)) {
    fmt::print(stderr, "{}: error: {}\n", printable(args.scenario), *why);
    return exit_bad_input;
  }
  const MemoryPlan plan = std::get<MemoryPlan>(planned);
  const ProgressLine progress(!args.quiet);
  sim::Options options;
  options.verbose = args.verbose;
  options.max_wall_seconds = args.max_wall;
  options.keep_records = !args.trace.empty();
  options.interrupted = &interruption_flag();
  options.max_resident_bytes = static_cast<std::uint64_t>(plan.resident);
  // Under ulimit -v a run that reaches the limit fails an allocation inside SimGrid, which
  // aborts: it stops a little before, with stop_reason memory.
  options.max_address_space_bytes = plan.address_space - std::min<std::uint64_t>(plan.address_space, 16 << 20);
  // What the processes leave of the budget holds the payloads in flight.
  const double live_bytes =
      plan.resident > 0 ? plan.resident - static_cast<double>(most_processes) * resident_per_process : 0;
  measure::Options measure_options;
  measure_options.max_wall_seconds = args.max_wall;
  measure_options.interrupted = options.interrupted;
  measure_options.max_live_bytes = static_cast<std::uint64_t>(live_bytes);  // payloads in flight
  if (chosen.size() == 1) options.on_progress = run_progress(progress, chosen.front()->scenario);
  try {
    model::SimulatedRun single_run;
    std::vector<report::Summary> summaries =
        run_points(chosen, jobs, options, progress, chosen.size() == 1 ? &single_run : nullptr);
    if (args.measure || first.measure) measure_points(chosen, summaries, measure_options, progress);
    if (options.interrupted->load()) return exit_interrupted_nothing_written(output);
    std::vector<report::Row> rows;
    for (std::size_t i = 0; i < chosen.size(); ++i)
      rows.push_back(report::summary_columns(summaries[i], point_numbers[i], points.size(), chosen[i]->parameters));
    files.stage(output, report::summary_csv(rows));
    if (!args.trace.empty()) {
      model::Model model = model::build_model(chosen.front()->scenario);
      files.stage(args.trace, report::trace_csv(model, single_run));
    }
    if (options.interrupted->load()) return exit_interrupted_nothing_written(output);
    files.commit();
    // With a result on standard output, the account of the run goes to stderr.
    if (output == "-" || args.trace == "-") ::dup2(STDERR_FILENO, STDOUT_FILENO);
    if (!args.quiet) {
      if (points.size() == 1) {
        print_summary(summaries.front());
      } else {
        fmt::print("{} (seed {}, model {}): {} of {} sweep points\n", first.name, first.seed, first.model.name,
                   chosen.size(), points.size());
        for (std::size_t i = 0; i < chosen.size(); ++i) print_point(*chosen[i], summaries[i]);
      }
      fmt::print("  wrote {}{}\n", output, args.trace.empty() ? "" : " and " + args.trace);
    }
    bool deadlock = std::any_of(summaries.begin(), summaries.end(), [](const report::Summary& s) {
      return s.stop == model::StopReason::deadlock || s.stop == model::StopReason::stalled ||
             (s.measured && s.measured->stop == model::StopReason::deadlock);
    });
    return deadlock ? exit_deadlock : exit_ok;
  } catch (const std::exception& e) {
    fmt::print(stderr, "ipcsim: {}\n", e.what());
    return exit_failure;
  }
}

}  // namespace ipcsim::cli
