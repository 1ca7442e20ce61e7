#pragma once
// The window of a run's events that a sequence chart shows: the options `ipcsim timeline`
// and `ipcsim report` share.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "report/timeline.hpp"

namespace ipcsim::cli {

struct WindowArgs {
  std::string from, to;  // durations, e.g. 5ms
  std::vector<std::string> processes;
  std::size_t max_messages = 500;
};

/// --from, --to, --processes and --max-messages, into `args` (which must outlive the parse).
void add_window_options(CLI::App& command, WindowArgs& args);

/// The window as the timeline takes it; false, with the error printed, when --from or --to is no duration.
bool window_options(const WindowArgs& args, report::TimelineOptions& options);

}  // namespace ipcsim::cli
