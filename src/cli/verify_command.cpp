// ipcsim verify: every interleaving of a scenario searched for a deadlock by SPIN; a deadlock
// is told as the scenario's own steps.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <memory>

#include "commands.hpp"
#include "interruption.hpp"
#include "option_checks.hpp"
#include "report/events_csv.hpp"
#include "report/output_files.hpp"
#include "scenario/input_error.hpp"
#include "scenario/scenario.hpp"
#include "scenario/text.hpp"
#include "scenario/units.hpp"
#include "verify/counterexample.hpp"
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
  std::string events;  // the counterexample as an events CSV
};

// Who a Promela process is: a process of the scenario, or the helper that deletes a mailbox
// or brings the faults.
std::string process_name(const model::Model& model, const std::string& proctype) {
  if (const model::ProcessId p = verify::process_of(model, proctype); p != model::none) return model.processes[p].name;
  if (proctype.rfind("deleter", 0) == 0)
    return "(the deletion of " + model.channels[std::stoul(proctype.substr(7))].name + ")";
  return "(fault)";
}

// "scenario.yaml:12" for the step a line of the program plays.
std::string where(const model::Model& model, const verify::LineMeaning& meaning) {
  if (meaning.process == model::none || meaning.op == model::none) return model.scenario->file;
  return fmt::format("{}:{}", model.scenario->file, model.processes[meaning.process].program[meaning.op].line);
}

void print_counterexample(const model::Model& model, const verify::Promela& promela, const verify::Verdict& verdict) {
  std::size_t number = 0;
  for (const verify::Said& step : verify::said_steps(promela, verdict)) {
    const std::string who = printable(process_name(model, step.proctype));
    if (step.line == 0) {  // a process ends (the helpers' ends are not the scenario's)
      if (verify::process_of(model, step.proctype) != model::none) fmt::print("  {:>3}. {} ends\n", ++number, who);
      continue;
    }
    const verify::LineMeaning& meaning = promela.lines[step.line - 1];
    if (meaning.says.empty()) continue;
    fmt::print("  {:>3}. {} {}  ({})\n", ++number, who, printable(meaning.says), printable(where(model, meaning)));
  }
  if (number == 0) fmt::print("  (from the start: no step completes)\n");
  if (verdict.outcome != verify::Finding::deadlock) return;
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
    case verify::Finding::no_deadlock:
      fmt::print("{}: no deadlock in any interleaving ({})\n", name, searched);
      return exit_ok;
    case verify::Finding::deadlock:
      fmt::print("{}: deadlock ({}). An interleaving that reaches it:\n", name, searched);
      print_counterexample(model, promela, verdict);
      return exit_deadlock;
    case verify::Finding::bound_reached: {
      const verify::LineMeaning& meaning = promela.lines[verdict.failed_line - 1];
      fmt::print(
          "{}: search incomplete: {} is unbounded, and an interleaving fills the {} messages verify gives it ({}): "
          "raise --bound, or give the channel a capacity\n",
          name, printable(model.channels[meaning.channel].name), args.bound, printable(where(model, meaning)));
      print_counterexample(model, promela, verdict);
      return exit_incomplete;
    }
    case verify::Finding::assertion:
      fmt::print("{}: assertion failed at model.pml:{} ({}):\n", name, verdict.failed_line, searched);
      print_counterexample(model, promela, verdict);
      return exit_failure;
    case verify::Finding::incomplete:
      fmt::print("{}: search incomplete ({}): {}\n", name, searched, verdict.incomplete);
      return exit_incomplete;
  }
  return exit_failure;
}

// A deadlock's interleaving as events, for ipcsim timeline; a search that found none writes nothing.
void write_events(const model::Model& model, const verify::Promela& promela, const verify::Verdict& verdict,
                  const VerifyArgs& args, report::OutputFiles& files) {
  if (verdict.outcome != verify::Finding::deadlock && verdict.outcome != verify::Finding::bound_reached) {
    fmt::print("  no counterexample: {} not written\n", printable(args.events));
    return;
  }
  files.stage_with(args.events, [&](int fd) {
    report::EventsCsv sink(fd);
    verify::counterexample_events(model, promela, verdict, sink);
  });
  files.commit();
  fmt::print("  wrote {} (draw it: ipcsim timeline {} -o deadlock.svg)\n", printable(args.events),
             printable(args.events));
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
  report::OutputFiles files({args.scenario});
  try {
    if (!args.events.empty()) files.expect("--events", args.events);
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
    const int code = report(model, promela, verdict, args, seconds);
    if (!args.events.empty()) write_events(model, promela, verdict, args, files);
    return code;
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
  verify
      ->add_option("--events", args->events,
                   "Write the deadlock's interleaving here as events (run --events' columns, a step a second), "
                   "for ipcsim timeline")
      ->check(file_name);
  verify->add_option("--keep", args->keep, "Leave the Promela program (model.pml) and the trail in this new folder")
      ->check(file_name);
  return {verify, [args] { return verify_command(*args); }};
}

}  // namespace ipcsim::cli
