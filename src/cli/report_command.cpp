// ipcsim report: a run's result files as one self-contained HTML page.
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "commands.hpp"
#include "interruption.hpp"
#include "option_checks.hpp"
#include "report/html_report.hpp"
#include "report/output_files.hpp"
#include "report/plot.hpp"
#include "scenario/input_error.hpp"
#include "scenario/text.hpp"
#include "timeline_window.hpp"

namespace ipcsim::cli {
namespace {

struct ReportArgs {
  std::string summary, output, events, trace;
  WindowArgs window;
};

// The columns that say which run a row is of; a file beside the summary is of its run when its
// first row agrees with the summary's on each of them that both have.
bool of_same_run(const report::Table& summary, const report::Table& beside) {
  if (beside.rows.empty()) return true;
  for (std::string_view name : {"scenario", "seed", "model", "scenario_file", "overrides", "ipcsim_version"}) {
    auto mine = summary.column(name), theirs = beside.column(name);
    if (mine && theirs && summary.rows.front()[*mine] != beside.rows.front()[*theirs]) return false;
  }
  return true;
}

// The CSV of `kind` beside the summary, when a regular file is there and is of the same run
// (a series CSV from an earlier run with --series is left out, and said so).
std::optional<report::Table> beside(const report::Table& summary, std::string_view kind,
                                    std::vector<std::string>& inputs) {
  const std::string path = report::beside_summary(summary.file, kind);
  std::error_code error;
  if (path.empty() || !std::filesystem::is_regular_file(path, error)) return std::nullopt;
  inputs.push_back(path);
  report::Table table = report::read_table(path);
  if (summary.rows.empty() || of_same_run(summary, table)) return table;
  fmt::print(stderr, "ipcsim: left out {}: its rows are of another run than {}\n", printable(path),
             printable(summary.file));
  return std::nullopt;
}

int report_command(const ReportArgs& args) {
  namespace fs = std::filesystem;
  if (args.output.empty() && args.summary == "-") {
    fmt::print(stderr, "ipcsim: error: the summary comes from standard input: expected -o PAGE.html\n");
    return exit_bad_input;
  }
  const std::string page =
      args.output.empty() ? fs::path(args.summary).replace_extension(".html").string() : args.output;
  const std::string extension = fs::path(page).extension().string();
  if (extension != ".html" && extension != ".htm") {
    fmt::print(stderr, "ipcsim: error: -o {}: expected a file ending in .html\n", printable(page));
    return exit_bad_input;
  }
  report::TimelineOptions window;
  if (!window_options(args.window, window)) return exit_bad_input;
  std::vector<std::string> inputs{args.summary};
  for (const std::string* named : {&args.events, &args.trace})
    if (!named->empty()) inputs.push_back(*named);
  std::string html;
  try {
    report::ReportInputs in{report::read_table(args.summary)};
    in.channels = beside(in.summary, "channels", inputs);
    in.processes = beside(in.summary, "processes", inputs);
    in.series = beside(in.summary, "series", inputs);
    report::OutputFiles files(inputs);
    files.expect("-o", page, !args.output.empty());
    if (!args.trace.empty()) in.trace = report::read_table(args.trace);
    if (!args.events.empty()) in.timeline = report::build_timeline(report::read_table(args.events), window);
    html = report::html_report(in, report::render_svg);
    files.stage(page, html);
    if (interruption_flag().load()) return exit_interrupted_nothing_written(page);
    files.commit();
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  } catch (const std::exception& e) {
    fmt::print(stderr, "ipcsim: {}\n", e.what());
    return exit_failure;
  }
  fmt::print("wrote {}\n", printable(page));
  return exit_ok;
}

}  // namespace

Verb add_report_verb(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* report = app.add_subcommand(
      "report", "Write a run's results as one self-contained HTML page: tables, plots and the sequence chart");
  report
      ->add_option("results", args->summary,
                   "Summary CSV of a run (ipcsim run -o); the channels, processes and series CSVs beside it are read "
                   "too")
      ->required();
  report->add_option("-o,--output", args->output, "Page to write, .html (default: the CSV's name, .html)")
      ->check(file_name);
  report->add_option("--events", args->events, "Events CSV of the run (run --events): the sequence chart")
      ->check(file_name);
  report->add_option("--trace", args->trace, "Trace CSV of the run (run --trace): the latency distribution")
      ->check(file_name);
  add_window_options(*report, args->window);
  return {report, [args] { return report_command(*args); }};
}

}  // namespace ipcsim::cli
