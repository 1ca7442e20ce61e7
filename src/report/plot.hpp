#pragma once
// Plots drawn by gnuplot from a summary CSV (metrics against a swept parameter) or a trace
// CSV (latency distribution). The script holds its data, so users can restyle and redraw it.
#include <string>
#include <string_view>
#include <vector>

#include "table.hpp"

namespace ipcsim::report {

struct PlotOptions {
  std::string x;  // swept parameter for the x axis; empty: the first that varies, numeric first
  std::vector<std::string> y = {"throughput_msgs_per_s", "latency_p99_s"};
  std::string default_output;  // the image the script draws when run by hand
};

/// A self-contained gnuplot script. Summary CSVs: one panel per `y` metric against `x`, one
/// series per combination of the other varying parameters. Trace CSVs: the CDF of latency
/// (send call to receive return) of delivered messages, one series per declared channel.
/// InputError when the table has nothing to plot or names no such columns.
std::string plot_script(const Table& table, const PlotOptions& options);

enum class ImageFormat { svg, png };

/// Runs gnuplot on `script`, writing the image to `image_fd`. Throws std::runtime_error
/// with gnuplot's own message when it fails.
void render_plot(const std::string& script, int image_fd, ImageFormat format);

/// render_plot's SVG as text, for a page that holds it.
std::string render_svg(const std::string& script);

}  // namespace ipcsim::report
