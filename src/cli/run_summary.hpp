#pragma once
// What `ipcsim run` prints about a run: the summary of one, a line per sweep point.
#include <string>

#include "report/summary.hpp"
#include "scenario/scenario.hpp"

namespace ipcsim::cli {

/// "capacity=4 mode=blocking": the point's swept values.
std::string parameters_text(const scenario::SweepPoint& point);

void print_summary(const report::Summary& s);
void print_point(const scenario::SweepPoint& point, const report::Summary& s);

}  // namespace ipcsim::cli
