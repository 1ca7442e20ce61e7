#include "series.hpp"

#include <algorithm>
#include <cmath>

namespace ipcsim::model {

void SeriesBin::merge(const SeriesBin& other) {
  occupancy_area += other.occupancy_area;
  occupancy_max = std::max(occupancy_max, other.occupancy_max);
  delivered += other.delivered;
  delivered_bytes += other.delivered_bytes;
}

SeriesRecorder::SeriesRecorder(double step, std::size_t channels, std::size_t max_bins)
    : max_bins_(std::max<std::size_t>(max_bins, 2)) {
  series_.step = step;
  series_.channels = channels;
}

// Bins are found by time: a time past max_bins bins first makes the bins coarser.
std::size_t SeriesRecorder::bin_of(double t) const { return static_cast<std::size_t>(t / series_.step); }

void SeriesRecorder::coarsen() {
  const std::size_t channels = series_.channels, bins = series_.bin_count();
  for (std::size_t b = 0; b < bins; ++b)
    for (std::size_t c = 0; c < channels; ++c) {
      const SeriesBin& from = series_.bins[b * channels + c];
      if (b % 2 == 0)
        series_.bins[b / 2 * channels + c] = from;
      else
        series_.bins[b / 2 * channels + c].merge(from);
    }
  series_.bins.resize((bins + 1) / 2 * channels);
  series_.step *= 2;
}

SeriesBin& SeriesRecorder::bin(std::size_t b, std::size_t c) {
  if (series_.bins.size() <= b * series_.channels + c) series_.bins.resize((b + 1) * series_.channels);
  return series_.bins[b * series_.channels + c];
}

void SeriesRecorder::held(std::size_t c, std::uint64_t queued, double since, double until) {
  if (!recording()) return;
  while (until / series_.step >= static_cast<double>(max_bins_)) coarsen();
  const std::size_t first = bin_of(since);
  // An interval ending on a bin's start does not reach into that bin.
  const std::size_t last =
      until > since ? std::max(first, static_cast<std::size_t>(std::ceil(until / series_.step)) - 1) : first;
  for (std::size_t b = first; b <= last; ++b) {
    SeriesBin& into = bin(b, c);
    const double from = std::max(since, static_cast<double>(b) * series_.step);
    const double to = std::min(until, static_cast<double>(b + 1) * series_.step);
    if (to > from) into.occupancy_area += static_cast<double>(queued) * (to - from);
    into.occupancy_max = std::max(into.occupancy_max, queued);
  }
}

void SeriesRecorder::delivered(std::size_t c, double at, std::uint64_t bytes) {
  if (!recording()) return;
  while (at / series_.step >= static_cast<double>(max_bins_)) coarsen();
  SeriesBin& into = bin(bin_of(at), c);
  ++into.delivered;
  into.delivered_bytes += static_cast<double>(bytes);
}

Series SeriesRecorder::take(double end) && {
  if (recording() && series_.channels > 0) {
    while (end / series_.step >= static_cast<double>(max_bins_)) coarsen();
    const std::size_t bins = end > 0 ? static_cast<std::size_t>(std::ceil(end / series_.step)) : 1;
    // What happened at the very end (on a bin's start) belongs to the last bin.
    for (std::size_t b = bins; b < series_.bin_count(); ++b)
      for (std::size_t c = 0; c < series_.channels; ++c) bin(bins - 1, c).merge(series_.at(b, c));
    series_.bins.resize(bins * series_.channels);
  }
  return std::move(series_);
}

}  // namespace ipcsim::model
