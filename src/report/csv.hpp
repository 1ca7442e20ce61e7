#pragma once
// CSV text for the summary, the channels and the per-message trace (schema in results/README.md).
#include <string>
#include <utility>
#include <vector>

#include "summary.hpp"

namespace ipcsim::report {

/// A header line and one line per row; every row must have the first row's columns.
std::string rows_csv(const std::vector<Columns>& rows);

/// One line per message: who sent it where, when each stage happened, how it ended.
std::string trace_csv(const model::Model& model, const model::SimulatedRun& run);

/// A number as every CSV of ipcsim writes it: 9 significant digits, no more than it needs.
std::string csv_number(double value);

/// Quotes a field when it holds a comma, a quote or a line break (RFC 4180).
std::string csv_field(const std::string& value);

}  // namespace ipcsim::report
