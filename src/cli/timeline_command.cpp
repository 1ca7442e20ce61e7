// ipcsim timeline: a run's events drawn as a sequence chart (.svg), or written for Perfetto
// and chrome://tracing (.json) or for ViTE and pajeng (.paje).
#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "commands.hpp"
#include "option_checks.hpp"
#include "report/output_files.hpp"
#include "report/timeline.hpp"
#include "scenario/input_error.hpp"
#include "scenario/text.hpp"
#include "scenario/units.hpp"
#include "timeline_window.hpp"

namespace ipcsim::cli {
namespace {

struct TimelineArgs {
  std::string events;
  std::string output;
  WindowArgs window;
};

// A --from or --to, in seconds; nullopt when not given. False when the text is no duration.
bool time_option(const std::string& option, const std::string& text, std::optional<double>& seconds) {
  if (text.empty()) return true;
  if (auto parsed = parse_duration(text)) {
    seconds = parsed->count();
    return true;
  }
  fmt::print(stderr, "ipcsim: error: {} {}: expected {}\n", option, printable(text), unit_hint(Quantity::duration));
  return false;
}

int timeline_command(const TimelineArgs& args) {
  const std::string extension = std::filesystem::path(args.output).extension().string();
  if (extension != ".svg" && extension != ".json" && extension != ".paje") {
    fmt::print(stderr,
               "ipcsim: error: -o {}: expected a file ending in .svg (a sequence chart), .json (Chrome trace events, "
               "for Perfetto) or .paje (Paje, for ViTE)\n",
               printable(args.output));
    return exit_bad_input;
  }
  report::TimelineOptions options;
  if (!window_options(args.window, options)) return exit_bad_input;
  report::OutputFiles files({args.events});
  std::string drawing, note;
  try {
    files.expect("-o", args.output);
    const report::Timeline timeline = report::build_timeline(report::read_table(args.events), options);
    note = timeline.note;
    drawing = extension == ".svg"    ? report::timeline_svg(timeline)
              : extension == ".json" ? report::timeline_chrome_json(timeline)
                                     : report::timeline_paje(timeline);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  try {
    files.stage(args.output, drawing);
    files.commit();
  } catch (const std::exception& e) {
    fmt::print(stderr, "ipcsim: {}\n", e.what());
    return exit_failure;
  }
  if (!note.empty()) fmt::print(stderr, "ipcsim: {}\n", note);
  if (args.output != "-") fmt::print("wrote {}\n", printable(args.output));
  return exit_ok;
}

}  // namespace

void add_window_options(CLI::App& command, WindowArgs& args) {
  command.add_option("--from", args.from, "Start of the window, e.g. 5ms (default: the first event)");
  command.add_option("--to", args.to,
                     "End of the window (default: the last event, or the end of the first "
                     "--max-messages messages)");
  command.add_option("--processes", args.processes, "Only these processes' lanes, in this order: P,Q,...")
      ->delimiter(',')
      ->allow_extra_args(false);
  command.add_option("--max-messages", args.max_messages, "Draw at most this many messages (default 500)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}));
}

bool window_options(const WindowArgs& args, report::TimelineOptions& options) {
  options.processes = args.processes;
  options.max_messages = args.max_messages;
  return time_option("--from", args.from, options.from) && time_option("--to", args.to, options.to);
}

Verb add_timeline_verb(CLI::App& app) {
  auto args = std::make_shared<TimelineArgs>();
  CLI::App* timeline = app.add_subcommand(
      "timeline", "Draw a run's events (run --events) as a sequence chart, or write them for Perfetto or ViTE");
  timeline->add_option("events", args->events, "Events CSV written by run --events")->required();
  timeline
      ->add_option("-o,--output", args->output,
                   "File to write: .svg (sequence chart), .json (Chrome trace events) or .paje (Paje trace)")
      ->required()
      ->check(file_name);
  add_window_options(*timeline, args->window);
  return {timeline, [args] { return timeline_command(*args); }};
}

}  // namespace ipcsim::cli
