#pragma once
// A run's results as one HTML page that needs nothing else (ipcsim report): the summary, the
// channels and processes, the sweep's and the series' plots, the latency distribution, the
// sequence chart. No script, no request: a Content-Security-Policy forbids both, every user
// text is escaped, and gnuplot's plots are images (data: URIs), so that text in them is inert
// too. It opens from a file in any browser and prints.
#include <functional>
#include <optional>
#include <string>

#include "table.hpp"
#include "timeline.hpp"

namespace ipcsim::report {

struct ReportInputs {
  Table summary;                                 // a summary CSV (ipcsim run -o)
  std::optional<Table> channels{}, processes{};  // the CSVs beside it, when there
  std::optional<Table> series{};                 // run --series
  std::optional<Table> trace{};                  // run --trace
  std::optional<Timeline> timeline{};            // built from run --events
};

/// At most this many rows of a table are shown; the page says how many more the CSV holds.
inline constexpr std::size_t report_max_rows = 500;

/// Draws a gnuplot script as SVG text: render_svg (gnuplot), or what a caller that must not
/// start programs (the fuzzer) gives.
using PlotDrawer = std::function<std::string(const std::string& script)>;

/// The page. InputError naming the file and line for a summary that is not one or a number
/// column that holds text; std::runtime_error when gnuplot fails to draw a plot.
std::string html_report(const ReportInputs& inputs, const PlotDrawer& draw);

}  // namespace ipcsim::report
