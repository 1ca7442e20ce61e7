#pragma once
#include <atomic>
#include <string>

namespace ipcsim::cli {

/// SIGINT, SIGTERM and SIGHUP set this flag instead of killing ipcsim, so a command stops
/// where it stands and writes nothing. It lives in memory shared with the forked
/// simulations, which stop at their next look at it: a signal sent to ipcsim alone reaches them.
/// The first call installs the handlers.
const std::atomic<bool>& interruption_flag();

/// Says on stderr that the command was interrupted and wrote nothing (`output` left as it
/// was, when there is one), and returns 128 + the signal, as shells report a death by it.
int exit_interrupted_nothing_written(const std::string& output);

}  // namespace ipcsim::cli
