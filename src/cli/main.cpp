// ipcsim: parses the command line and dispatches to a subcommand.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"

int main(int argc, char** argv) {
  using namespace ipcsim::cli;
  CLI::App app{"ipcsim: a discrete-event simulator of message-passing IPC semantics"};
  app.require_subcommand(1);

  RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "Simulate a scenario and write its summary CSV");
  run_cmd->add_option("scenario", run.scenario, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  run_cmd->add_option("-o,--output", run.output, "Summary CSV to write (default: results/<name>.csv)");
  run_cmd->add_option("--trace", run.trace, "Also write a per-message trace CSV here");
  run_cmd->add_option("--seed", run.seed, "Override the scenario's seed");
  run_cmd->add_option("--set", run.overrides, "Override a scenario value: --set channels.jobs.capacity=8 (repeatable)");
  run_cmd->add_option("-j,--jobs", run.jobs, "Sweep points simulated at once (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  run_cmd->add_flag("-v,--verbose", run.verbose, "Show SimGrid's own log");
  run_cmd->add_flag("-q,--quiet", run.quiet, "Print nothing on success");

  std::string validate_file;
  auto* validate_cmd = app.add_subcommand("validate", "Check a scenario without running it");
  validate_cmd->add_option("scenario", validate_file, "Scenario YAML file")->required()->check(CLI::ExistingFile);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "ipcsim: error: {}\n", e.what());
    return exit_bad_input;
  }
  if (*run_cmd) return run_command(run);
  return validate_command(validate_file);
}
