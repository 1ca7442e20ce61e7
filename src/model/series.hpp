#pragma once
// A run's channels over time (ipcsim run --series DT): per declared channel and bin of time,
// the messages its buffers held (time-weighted mean and maximum) and those it delivered. The
// bins cover the run from 0; when a run outlasts max_bins of them, neighbours merge in pairs
// and the step doubles, so memory stays bounded whatever the run's length.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ipcsim::model {

/// One declared channel over one bin.
struct SeriesBin {
  double occupancy_area = 0;  // integral of queued messages over the bin's time
  std::uint64_t occupancy_max = 0;
  std::uint64_t delivered = 0;
  double delivered_bytes = 0;

  void merge(const SeriesBin& other);
};

/// The bins of every declared channel: bin b of channel c at bins[b * channels + c]; bin b
/// covers [b * step, (b + 1) * step), the last one ends at the run's end.
struct Series {
  double step = 0;  // 0: not recorded
  std::size_t channels = 0;
  std::vector<SeriesBin> bins;

  std::size_t bin_count() const { return channels ? bins.size() / channels : 0; }
  const SeriesBin& at(std::size_t bin, std::size_t channel) const { return bins[bin * channels + channel]; }
};

/// Fills a Series as the run goes: whoever changes a channel's queue or delivers a message tells it.
class SeriesRecorder {
 public:
  /// `step` 0: records nothing.
  SeriesRecorder(double step, std::size_t channels, std::size_t max_bins);

  bool recording() const { return series_.step > 0; }
  /// Channel `c` held `queued` messages from `since` to `until`, and at most that many.
  void held(std::size_t c, std::uint64_t queued, double since, double until);
  void delivered(std::size_t c, double at, std::uint64_t bytes);
  /// The series, its bins up to the run's `end`.
  Series take(double end) &&;

 private:
  SeriesBin& bin(std::size_t b, std::size_t c);
  std::size_t bin_of(double t) const;
  void coarsen();

  Series series_;
  std::size_t max_bins_;
};

}  // namespace ipcsim::model
