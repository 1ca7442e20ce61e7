// Subcommands over result files: merge shards, compare two runs, plot.
#include <fmt/format.h>

#include <filesystem>

#include "commands.hpp"
#include "interruption.hpp"
#include "report/compare.hpp"
#include "report/merge.hpp"
#include "report/output_files.hpp"
#include "report/plot.hpp"
#include "scenario/input_error.hpp"
#include "scenario/text.hpp"

namespace ipcsim::cli {

int merge_command(const std::string& output, const std::vector<std::string>& shard_files) {
  const std::atomic<bool>& interrupted = interruption_flag();
  report::OutputFiles files(shard_files);
  std::string csv;
  try {
    files.expect("merge output", output);
    std::vector<report::Table> shards;
    for (const std::string& file : shard_files) shards.push_back(report::read_table(file));
    csv = report::merge_shards(shards);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  try {
    files.stage(output, csv);
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
  if (!report::gnuplot_available()) {
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

}  // namespace ipcsim::cli
