// Subcommands over result files: merge shards, compare two runs, plot.
#include <fmt/format.h>

#include <filesystem>

#include "commands.hpp"
#include "interruption.hpp"
#include "option_checks.hpp"
#include "report/compare.hpp"
#include "report/merge.hpp"
#include "report/output_files.hpp"
#include "report/plot.hpp"
#include "scenario/input_error.hpp"
#include "scenario/text.hpp"

namespace ipcsim::cli {
namespace {

struct CompareArgs {
  std::string base, next;
  std::vector<std::string> metrics;  // empty: the default set
  std::vector<std::string> match;    // empty: the scenario and the swept parameters
  double threshold = 5;              // percent
  std::string format = "text";       // text, csv or json
  std::string output;                // empty: standard output
};

struct PlotArgs {
  std::string input;
  std::string x;
  std::vector<std::string> y;  // empty: the default metrics
  std::string output;          // empty: the input with .svg
};

// The shards' summary CSVs, and (shards of a replicated run) the histograms beside them.
struct MergeInput {
  std::vector<report::Table> shards, histograms;
  bool replicated = false;
};

// Each shard and, were they shards of a replicated run, the histograms beside it: what merge may read.
std::vector<std::string> merge_inputs(const std::vector<std::string>& shard_files) {
  std::vector<std::string> inputs = shard_files;
  for (const std::string& file : shard_files)
    if (std::string histograms = report::beside_summary(file, "histograms"); !histograms.empty())
      inputs.push_back(std::move(histograms));
  return inputs;
}

MergeInput read_shards(const std::vector<std::string>& shard_files) {
  MergeInput input;
  for (const std::string& file : shard_files) input.shards.push_back(report::read_table(file));
  input.replicated = report::holds_replications(input.shards.front());
  if (!input.replicated) return input;
  for (const std::string& file : shard_files) {
    const std::string histograms = report::beside_summary(file, "histograms");
    if (histograms.empty())
      throw InputError({file},
                       "a shard of a replicated run: expected its name to end in .csv, its histograms beside it");
    input.histograms.push_back(report::read_table(histograms));
  }
  return input;
}

int merge_command(const std::string& output, const std::vector<std::string>& shard_files) {
  const std::atomic<bool>& interrupted = interruption_flag();
  report::OutputFiles files(merge_inputs(shard_files));
  std::vector<std::pair<std::string, std::string>> results;  // file, text
  try {
    files.expect("merge output", output);
    const MergeInput input = read_shards(shard_files);
    if (input.replicated) {
      const std::string each = report::beside_summary(output, "replications");
      if (each.empty())
        throw InputError({"ipcsim"}, fmt::format("merge of a replicated run writes its replications CSV beside the "
                                                 "summary, and {} is no file ending in .csv",
                                                 printable(output)));
      files.expect("the replications CSV", each, false);
      report::MergedReplications merged = report::merge_replicated_shards(input.shards, input.histograms);
      results = {{output, std::move(merged.summary_csv)}, {each, std::move(merged.replications_csv)}};
    } else {
      results = {{output, report::merge_shards(input.shards)}};
    }
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  try {
    for (const auto& [file, text] : results) files.stage(file, text);
    if (interrupted.load()) return exit_interrupted_nothing_written(output);
    files.commit();
  } catch (const std::exception& e) {
    fmt::print(stderr, "ipcsim: {}\n", e.what());
    return exit_failure;
  }
  return exit_ok;
}

int compare_command(const CompareArgs& args) {
  report::Comparison comparison;
  report::OutputFiles files({args.base, args.next});
  try {
    if (!args.output.empty()) files.expect("-o", args.output);
    report::CompareOptions options;
    if (!args.metrics.empty()) options.metrics = args.metrics;
    options.threshold_percent = args.threshold;
    options.match = args.match;
    comparison = report::compare_summaries(report::read_table(args.base), report::read_table(args.next), options);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  const std::string text = report::render(comparison, args.format == "csv"    ? report::CompareFormat::csv
                                                      : args.format == "json" ? report::CompareFormat::json
                                                                              : report::CompareFormat::text);
  if (args.output.empty()) {
    fmt::print("{}", text);
  } else {
    try {
      files.stage(args.output, text);
      files.commit();
    } catch (const std::exception& e) {
      fmt::print(stderr, "ipcsim: {}\n", e.what());
      return exit_failure;
    }
  }
  return comparison.regressed() ? exit_failure : exit_ok;
}

int plot_command(const PlotArgs& args) {
  namespace fs = std::filesystem;
  const std::atomic<bool>& interrupted = interruption_flag();
  const std::string image = args.output.empty() ? fs::path(args.input).replace_extension(".svg").string() : args.output;
  const std::string extension = fs::path(image).extension().string();
  if (extension != ".svg" && extension != ".png") {
    fmt::print(stderr, "ipcsim: error: -o {}: expected a file ending in .svg or .png\n", printable(image));
    return exit_bad_input;
  }
  const std::string script_file = fs::path(image).replace_extension(".gp").string();
  report::OutputFiles files({args.input});
  std::string script;
  try {
    files.expect("-o", image);
    files.expect("the gnuplot script beside the image", script_file);
    report::PlotOptions options;
    options.x = args.x;
    if (!args.y.empty()) options.y = args.y;
    options.default_output = image;
    script = report::plot_script(report::read_table(args.input), options);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  if (!on_path("gnuplot")) {
    fmt::print(stderr, "ipcsim: error: gnuplot not found on PATH: install it (apt-get install gnuplot-nox) to plot\n");
    return exit_failure;
  }
  try {
    files.stage(script_file, script);
    files.stage_with(image, [&](int fd) {
      report::render_plot(script, fd, extension == ".png" ? report::ImageFormat::png : report::ImageFormat::svg);
    });
    if (interrupted.load()) return exit_interrupted_nothing_written(image);
    files.commit();
  } catch (const std::exception& e) {
    if (interrupted.load()) return exit_interrupted_nothing_written(image);
    fmt::print(stderr, "ipcsim: {}\n", e.what());
    return exit_failure;
  }
  fmt::print("wrote {} (gnuplot script: {})\n", printable(image), printable(script_file));
  return exit_ok;
}

}  // namespace

Verb add_merge_verb(CLI::App& app) {
  struct Args {
    std::string output;
    std::vector<std::string> files;
  };
  auto args = std::make_shared<Args>();
  CLI::App* merge = app.add_subcommand("merge", "Join the shards of a sweep into the CSV a single run writes");
  merge->add_option("-o,--output", args->output, "Summary CSV to write (or give it before the shards)")
      ->check(file_name);
  merge->add_option("files", args->files, "[OUTPUT] then the shard CSVs (ipcsim run --shard K/N), in any order")
      ->required();
  return {merge, [args] {
            std::vector<std::string> shards = args->files;
            std::string output = args->output;
            if (output.empty()) {  // merge OUT.csv SHARD.csv...
              output = shards.front();
              shards.erase(shards.begin());
            }
            if (output.empty() || shards.empty()) {
              fmt::print(stderr, "ipcsim: error: merge: expected an output CSV and at least one shard CSV\n");
              return exit_bad_input;
            }
            return merge_command(output, shards);
          }};
}

Verb add_compare_verb(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* compare = app.add_subcommand(
      "compare", "Compare two summary CSVs row by row; exit 1 if a metric got worse beyond the threshold");
  compare->add_option("base", args->base, "The reference summary CSV")->required();
  compare->add_option("new", args->next, "The summary CSV to check")->required();
  compare->add_option("--metrics", args->metrics, "Columns to compare (default: throughput, latency, counts)")
      ->delimiter(',')
      ->allow_extra_args(false);
  compare
      ->add_option("--match", args->match,
                   "Match rows on these columns' values (e.g. point, or swept paths) instead of the scenario's "
                   "name and swept parameters")
      ->delimiter(',')
      ->allow_extra_args(false);
  compare->add_option("--threshold", args->threshold, "Allowed change in percent (default 5)")
      ->check(finite_in(0, 1e12));
  compare->add_option("--format", args->format, "text (default), csv (a row per value) or json")
      ->check(CLI::IsMember({"text", "csv", "json"}));
  compare->add_option("-o,--output", args->output, "Write the comparison to this file (default: standard output)")
      ->check(file_name);
  return {compare, [args] { return compare_command(*args); }};
}

Verb add_plot_verb(CLI::App& app) {
  auto args = std::make_shared<PlotArgs>();
  CLI::App* plot = app.add_subcommand(
      "plot", "Plot a sweep's metrics against a parameter, or a trace's latency distribution, with gnuplot");
  plot->add_option("results", args->input, "Summary CSV of a sweep, or a trace CSV")->required();
  plot->add_option("--x", args->x, "Swept parameter on the x axis (default: the first that varies)");
  plot->add_option("--y", args->y, "Metrics, one panel each (default: throughput_msgs_per_s,latency_p99_s)")
      ->delimiter(',')
      ->allow_extra_args(false);
  plot->add_option("-o,--output", args->output, "Image to write, .svg or .png (default: the CSV's name, .svg)")
      ->check(file_name);
  return {plot, [args] { return plot_command(*args); }};
}

}  // namespace ipcsim::cli
