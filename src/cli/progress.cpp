#include "progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

namespace ipcsim::cli {

ProgressLine::ProgressLine(bool wanted) : enabled_(wanted && ::isatty(STDERR_FILENO)) {}

void ProgressLine::show(const std::string& text) const {
  if (enabled_) fmt::print(stderr, "\r{}\033[K", text);
}

void ProgressLine::clear() const {
  if (enabled_) fmt::print(stderr, "\r\033[K");
}

std::string eta_text(double elapsed, double fraction) {
  if (fraction <= 0 || fraction >= 1) return "";
  return fmt::format(", ETA {:.0f}s", elapsed / fraction * (1 - fraction));
}

std::function<void(const sim::Progress&)> run_progress(const ProgressLine& line, const scenario::Scenario& scenario) {
  if (!line.enabled()) return {};
  const scenario::StopCondition stop = scenario.stop;
  return [&line, stop](const sim::Progress& p) {
    double fraction = 0;
    if (stop.time) fraction = std::max(fraction, p.sim_time / stop.time->count());
    if (stop.messages)
      fraction = std::max(fraction, static_cast<double>(p.delivered) / static_cast<double>(*stop.messages));
    line.show(fmt::format("  t={:.6g}s simulated, {} messages sent, {:.0f}s wall{}", p.sim_time, p.sent, p.wall_time,
                          eta_text(p.wall_time, fraction)));
  };
}

}  // namespace ipcsim::cli
