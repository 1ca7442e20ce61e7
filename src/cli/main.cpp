// ipcsim: parses the command line and dispatches to a subcommand.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <charconv>

#include "commands.hpp"
#include "scenario/units.hpp"

namespace {

// CLI11's number checks let nan through (every comparison with it is false).
CLI::Validator finite_in(double low, double high) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc{} || end != text.data() + text.size() || !(value >= low && value <= high))
          return fmt::format("expected a number from {:g} to {:g}, found '{}'", low, high, text);
        return {};
      },
      fmt::format("NUMBER in [{:g}, {:g}]", low, high));
}

// What a scenario's seed: accepts, so every row can be reproduced from a file.
const CLI::Validator whole_number(
    [](std::string& text) -> std::string {
      return ipcsim::parse_unsigned(text) ? "" : fmt::format("expected a whole number from 0 to 18446744073709551615, found '{}'", text);
    },
    "0..2^64-1");

// An empty output name would silently mean the default.
const CLI::Validator file_name([](std::string& text) { return text.empty() ? "expected a file name, found nothing" : ""; },
                               "FILE");

}  // namespace

int main(int argc, char** argv) {
  using namespace ipcsim::cli;
  CLI::App app{"ipcsim: a discrete-event simulator of message-passing IPC semantics"};
  app.require_subcommand(1);

  RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "Simulate a scenario (or each point of its sweep) and write the summary CSV");
  run_cmd->add_option("scenario", run.scenario, "Scenario YAML file (- reads standard input)")->required();
  run_cmd->add_option("-o,--output", run.output, "Summary CSV to write (default: results/<name>.csv; - for standard output)")
      ->check(file_name);
  run_cmd->add_option("--trace", run.trace, "Also write a per-message trace CSV here (- for standard output)")
      ->check(file_name);
  run_cmd->add_option("--seed", run.seed, "Override the scenario's seed: a whole number from 0 to 2^64-1")
      ->check(whole_number);
  run_cmd->add_option("--set", run.overrides, "Override a scenario value: --set channels.jobs.capacity=8 (repeatable)");
  run_cmd->add_option("-j,--jobs", run.jobs, "Sweep points simulated at once (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  run_cmd->add_option("--shard", run.shard, "Run only slice K of N of the sweep (K from 0); join with ipcsim merge");
  run_cmd->add_option("--max-wall", run.max_wall, "Stop each run after this many wall-clock seconds (partial result)")
      ->check(finite_in(1e-3, 1e9));
  run_cmd->add_option("--memory", run.memory,
                      "Memory the runs may use together, e.g. 4GiB (default: 80% of what is available); past it a "
                      "run stops with stop_reason memory");
  run_cmd->add_flag("--measure", run.measure,
                    "Also run each point on real threads (one per process) and add measured_* columns");
  run_cmd->add_flag("-v,--verbose", run.verbose, "Show SimGrid's own log");
  run_cmd->add_flag("-q,--quiet", run.quiet, "Print nothing on success, and no progress");

  std::string validate_file;
  auto* validate_cmd = app.add_subcommand("validate", "Check a scenario without running it");
  validate_cmd->add_option("scenario", validate_file, "Scenario YAML file (- reads standard input)")->required();

  std::string merged;
  std::vector<std::string> shards;
  auto* merge_cmd = app.add_subcommand("merge", "Join the shards of a sweep into the CSV a single run writes");
  merge_cmd->add_option("output", merged, "Summary CSV to write")->required()->check(file_name);
  merge_cmd->add_option("shards", shards, "Shard CSVs (ipcsim run --shard K/N), in any order")->required();

  CompareArgs compare;
  auto* compare_cmd = app.add_subcommand(
      "compare", "Compare two summary CSVs row by row; exit 1 if a metric got worse beyond the threshold");
  compare_cmd->add_option("base", compare.base, "The reference summary CSV")->required();
  compare_cmd->add_option("new", compare.next, "The summary CSV to check")->required();
  compare_cmd->add_option("--metrics", compare.metrics, "Columns to compare (default: throughput, latency, counts)")
      ->delimiter(',');
  compare_cmd->add_option("--threshold", compare.threshold, "Allowed change in percent (default 5)")
      ->check(finite_in(0, 1e12));

  PlotArgs plot;
  auto* plot_cmd = app.add_subcommand(
      "plot", "Plot a sweep's metrics against a parameter, or a trace's latency distribution, with gnuplot");
  plot_cmd->add_option("results", plot.input, "Summary CSV of a sweep, or a trace CSV")->required();
  plot_cmd->add_option("--x", plot.x, "Swept parameter on the x axis (default: the first that varies)");
  plot_cmd->add_option("--y", plot.y, "Metrics, one panel each (default: throughput_msgs_per_s,latency_p99_s)")
      ->delimiter(',');
  plot_cmd->add_option("-o,--output", plot.output, "Image to write, .svg or .png (default: the CSV's name, .svg)")
      ->check(file_name);

  CalibrateArgs calibrate;
  auto* calibrate_cmd =
      app.add_subcommand("calibrate", "Measure this machine's local IPC costs and write them as a timing model");
  calibrate_cmd->add_option("-o,--out", calibrate.output, "Model file to write (default: models/local-<host>.yaml)")
      ->check(file_name);
  calibrate_cmd->add_option("--rounds", calibrate.rounds, "Scale the number of messages each probe sends (default 1)")
      ->check(finite_in(0.001, 1000.0));

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
  if (*merge_cmd) return merge_command(merged, shards);
  if (*compare_cmd) return compare_command(compare);
  if (*plot_cmd) return plot_command(plot);
  if (*calibrate_cmd) return calibrate_command(calibrate);
  return validate_command(validate_file);
}
