// Subcommands over result files: merge shards, compare two runs, plot.
#include <fmt/format.h>

#include <filesystem>

#include "commands.hpp"
#include "report/atomic_file.hpp"
#include "report/compare.hpp"
#include "report/merge.hpp"
#include "report/plot.hpp"
#include "scenario/input_error.hpp"

namespace ipcsim::cli {

int merge_command(const std::string& output, const std::vector<std::string>& shard_files) {
  std::string csv;
  try {
    std::vector<report::Table> shards;
    for (const std::string& file : shard_files) shards.push_back(report::read_table(file));
    csv = report::merge_shards(shards);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  try {
    report::write_file_atomically(output, csv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "ipcsim: {}\n", e.what());
    return exit_failure;
  }
  return exit_ok;
}

int compare_command(const CompareArgs& args) {
  report::Comparison comparison;
  try {
    report::CompareOptions options;
    if (!args.metrics.empty()) options.metrics = args.metrics;
    options.threshold_percent = args.threshold;
    comparison =
        report::compare_summaries(report::read_table(args.base), report::read_table(args.next), options);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  fmt::print("{}", comparison.text);
  return comparison.regressed() ? exit_failure : exit_ok;
}

int plot_command(const PlotArgs& args) {
  namespace fs = std::filesystem;
  const std::string image = args.output.empty() ? fs::path(args.input).replace_extension(".svg").string() : args.output;
  const std::string extension = fs::path(image).extension().string();
  if (extension != ".svg" && extension != ".png") {
    fmt::print(stderr, "ipcsim: error: -o {}: expected a file ending in .svg or .png\n", image);
    return exit_bad_input;
  }
  const std::string script_file = fs::path(image).replace_extension(".gp").string();
  std::string script;
  try {
    report::PlotOptions options;
    options.x = args.x;
    if (!args.y.empty()) options.y = args.y;
    options.default_output = image;
    script = report::plot_script(report::read_table(args.input), options);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  if (!report::gnuplot_available()) {
    fmt::print(stderr, "ipcsim: error: gnuplot not found on PATH: install it (apt-get install gnuplot-nox) to plot\n");
    return exit_failure;
  }
  try {
    report::write_file_atomically(script_file, script);
    report::render_plot(script_file, image);
  } catch (const std::exception& e) {
    fmt::print(stderr, "ipcsim: {}\n", e.what());
    return exit_failure;
  }
  fmt::print("wrote {} (gnuplot script: {})\n", image, script_file);
  return exit_ok;
}

}  // namespace ipcsim::cli
