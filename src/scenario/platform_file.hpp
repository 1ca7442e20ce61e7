#pragma once
// SimGrid platform XML, checked before SimGrid sees it: SimGrid aborts the process on much of
// what a file can say (an unknown element, a zero bandwidth, a route declared twice), so a
// subset of the format is read here with expat, every value checked against the ranges of
// units.hpp, and anything else refused at its own line and column. Private to the scenario library.
#include <string>

#include "timing_model.hpp"

namespace ipcsim::scenario {

/// The network of a platform file whose text is `content`: hosts (with speed and cores),
/// links, and the routes between hosts and routers. InputError naming `file`, line and column.
NetworkSpec parse_platform(const std::string& content, const std::string& file);

}  // namespace ipcsim::scenario
