// ipcsim verify: every interleaving of a scenario searched for a deadlock by SPIN; a deadlock
// is told as the scenario's own steps.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <memory>

#include "commands.hpp"
#include "interruption.hpp"
#include "option_checks.hpp"
#include "scenario/input_error.hpp"
#include "scenario/scenario.hpp"
#include "scenario/text.hpp"
#include "scenario/units.hpp"
#include "verify/promela.hpp"
#include "verify/spin.hpp"

namespace ipcsim::cli {
namespace {

constexpr int exit_incomplete = 4;

struct VerifyArgs {
  std::string scenario;
  std::vector<std::string> overrides;
  std::string memory = "1GiB";
  double max_wall = 600;
  std::uint64_t depth = 1'000'000;
  std::uint32_t bound = 3;
  std::string keep;
};

bool on_path(const char* program) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "";
  for (std::size_t at = 0; at <= dirs.size();) {
    const std::size_t end = std::min(dirs.find(':', at), dirs.size());
    const std::string dir(dirs.substr(at, end - at));
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    at = end + 1;
  }
  return false;
}

// Who the Promela process p<k> is.
std::string process_name(const model::Model& model, const std::string& proctype) {
  if (proctype.rfind("deleter", 0) == 0)
    return "(the deletion of " + model.channels[std::stoul(proctype.substr(7))].name + ")";
  return model.processes[std::stoul(proctype.substr(1))].name;
}

// "scenario.yaml:12" for the step a line of the program plays.
std::string where(const model::Model& model, const verify::LineMeaning& meaning) {
  if (meaning.process == model::none || meaning.op == model::none) return model.scenario->file;
  return fmt::format("{}:{}", model.scenario->file, model.processes[meaning.process].program[meaning.op].line);
}

void print_counterexample(const model::Model& model, const verify::Promela& promela, const verify::Verdict& verdict) {
  std::size_t number = 0;
  for (std::size_t k = 0; k < verdict.steps.size(); ++k) {
    const std::size_t line = verdict.steps[k];
    if (line == 0 || line > promela.lines.size()) continue;
    // A line's statements run as consecutive steps of one process: the line is said once.
    if (k > 0 && verdict.steps[k - 1] == line && verdict.step_proctypes[k - 1] == verdict.step_proctypes[k]) continue;
    const verify::LineMeaning& meaning = promela.lines[line - 1];
    if (meaning.says.empty()) continue;
    fmt::print("  {:>3}. {} {}  ({})\n", ++number, printable(process_name(model, verdict.step_proctypes[k])),
               printable(meaning.says), printable(where(model, meaning)));
  }
  if (number == 0) fmt::print("  (from the start: no step completes)\n");
  if (verdict.outcome != verify::Outcome::deadlock) return;
  fmt::print("  then nothing can move:\n");
  for (const verify::Stuck& stuck : verdict.stuck) {
    const verify::LineMeaning* meaning =
        stuck.line >= 1 && stuck.line <= promela.lines.size() ? &promela.lines[stuck.line - 1] : nullptr;
    const std::string waits = meaning && !meaning->waits.empty() ? meaning->waits : "waits";
    fmt::print("       {} {}  ({})\n", printable(process_name(model, stuck.proctype)), printable(waits),
               meaning ? printable(where(model, *meaning)) : std::string("?"));
  }
}

int report(const model::Model& model, const verify::Promela& promela, const verify::Verdict& verdict,
           const VerifyArgs& args, double seconds) {
  const std::string name = printable(model.scenario->name);
  const std::string searched =
      fmt::format("{} states, {} steps deep, {:.2f} s", verdict.states, verdict.depth_reached, seconds);
  switch (verdict.outcome) {
    case verify::Outcome::no_deadlock:
      fmt::print("{}: no deadlock in any interleaving ({})\n", name, searched);
      return exit_ok;
    case verify::Outcome::deadlock:
      fmt::print("{}: deadlock ({}). An interleaving that reaches it:\n", name, searched);
      print_counterexample(model, promela, verdict);
      return exit_deadlock;
    case verify::Outcome::bound_reached: {
      const verify::LineMeaning& meaning = promela.lines[verdict.failed_line - 1];
      fmt::print(
          "{}: search incomplete: {} is unbounded, and an interleaving fills the {} messages verify gives it ({}): "
          "raise --bound, or give the channel a capacity\n",
          name, printable(model.channels[meaning.channel].name), args.bound, printable(where(model, meaning)));
      print_counterexample(model, promela, verdict);
      return exit_incomplete;
    }
    case verify::Outcome::assertion:
      fmt::print("{}: assertion failed at model.pml:{} ({}):\n", name, verdict.failed_line, searched);
      print_counterexample(model, promela, verdict);
      return exit_failure;
    case verify::Outcome::incomplete:
      fmt::print("{}: search incomplete ({}): {}\n", name, searched, verdict.incomplete);
      return exit_incomplete;
  }
  return exit_failure;
}

int verify_command(const VerifyArgs& args) {
  for (const char* program : {"spin", "cc"})
    if (!on_path(program)) {
      fmt::print(stderr, "ipcsim: error: verify needs {} on PATH: install it (apt-get install {})\n", program,
                 program == std::string_view("spin") ? "spin" : "gcc");
      return exit_failure;
    }
  const std::optional<Bytes> memory = parse_size(args.memory);
  if (!memory || memory->count < (std::uint64_t{16} << 20)) {
    fmt::print(stderr, "ipcsim: error: --memory {}: expected a size of at least 16MiB, such as 2GiB\n",
               printable(args.memory));
    return exit_bad_input;
  }
  if (!args.keep.empty()) {
    std::error_code error;
    if (!std::filesystem::create_directory(args.keep, error)) {
      fmt::print(stderr, "ipcsim: error: --keep {}: expected a folder that does not exist yet ({})\n",
                 printable(args.keep), error ? error.message() : "it exists");
      return exit_bad_input;
    }
  }
  try {
    const std::vector<scenario::SweepPoint> points = scenario::load_sweep(args.scenario, args.overrides);
    if (points.size() > 1)
      throw InputError({args.scenario}, fmt::format("verify checks one scenario, and the sweep has {} points (pick one "
                                                    "with --set)",
                                                    points.size()));
    const model::Model model = model::build_model(points.front().scenario);
    if (const auto refused = verify::unverifiable(model))
      throw InputError({args.scenario, refused->line, refused->line ? 1 : 0}, "cannot verify: " + refused->why);
    const verify::Promela promela = verify::to_promela(model, {.unbounded_as = args.bound});
    verify::SearchOptions options;
    options.memory_bytes = memory->count;
    options.max_wall_seconds = args.max_wall;
    options.depth = args.depth;
    options.keep = args.keep;
    options.interrupted = &interruption_flag();
    const auto started = std::chrono::steady_clock::now();
    const verify::Verdict verdict = verify::search(promela, options);
    if (interruption_flag().load()) return exit_interrupted_nothing_written("");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report(model, promela, verdict, args, seconds);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  } catch (const std::exception& e) {
    fmt::print(stderr, "ipcsim: {}\n", e.what());
    return exit_failure;
  }
}

}  // namespace

Verb add_verify_verb(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* verify = app.add_subcommand(
      "verify", "Search every interleaving of a scenario for a deadlock with the SPIN model checker");
  verify->add_option("scenario", args->scenario, "Scenario YAML file")->required()->check(file_name);
  verify->add_option("--set", args->overrides, "Override a scenario value: --set channels.jobs.capacity=1 (repeatable)")
      ->allow_extra_args(false);
  verify->add_option("--memory", args->memory, "Memory the search may use (default 1GiB)");
  verify->add_option("--max-wall", args->max_wall, "Give up after this many wall-clock seconds (default 600)")
      ->check(finite_in(1e-3, 1e9));
  verify->add_option("--depth", args->depth, "Longest interleaving searched, in steps (default 1000000)")
      ->check(CLI::Range(std::uint64_t{10}, std::uint64_t{1'000'000'000}));
  verify->add_option("--bound", args->bound, "Messages an unbounded channel may hold in the search (default 3)")
      ->check(CLI::Range(1u, 255u));
  verify->add_option("--keep", args->keep, "Leave the Promela program (model.pml) and the trail in this new folder")
      ->check(file_name);
  return {verify, [args] { return verify_command(*args); }};
}

}  // namespace ipcsim::cli
