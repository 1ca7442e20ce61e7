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

/// A replicated point's summary row: its key figures as the mean over `replications` and the
/// 95% interval; print_replicated_point shows it as a line of a sweep.
void print_replicated(const report::Columns& row, std::size_t replications);
void print_replicated_point(const scenario::SweepPoint& point, const report::Columns& row);

}  // namespace ipcsim::cli
