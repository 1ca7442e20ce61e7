// The channels over time (run --series): bins filled by hand-worked intervals, and bins that
// merge when a run outlasts them.
#include <catch2/catch.hpp>

#include "model/series.hpp"

using ipcsim::model::Series;
using ipcsim::model::SeriesRecorder;

TEST_CASE("series: a queue's time is split across the bins it spans, deliveries land in their bin") {
  SeriesRecorder recorder(1.0, 2, 100);
  recorder.held(0, 2, 0.5, 2.5);  // 2 messages from 0.5 s to 2.5 s: 1, 2 and 1 message-seconds
  recorder.held(0, 5, 2.5, 2.5);  // then 5 at once
  recorder.held(1, 1, 0.0, 1.0);  // ends on bin 1's start: not in bin 1
  recorder.delivered(0, 1.0, 100);
  recorder.delivered(0, 1.5, 50);
  const Series series = std::move(recorder).take(3.5);
  REQUIRE(series.bin_count() == 4);  // [0,1) [1,2) [2,3) [3,3.5)
  CHECK(series.at(0, 0).occupancy_area == 1.0);
  CHECK(series.at(1, 0).occupancy_area == 2.0);
  CHECK(series.at(2, 0).occupancy_area == 1.0);
  CHECK(series.at(3, 0).occupancy_area == 0.0);
  CHECK(series.at(0, 0).occupancy_max == 2);
  CHECK(series.at(2, 0).occupancy_max == 5);
  CHECK(series.at(3, 0).occupancy_max == 0);
  CHECK(series.at(1, 0).delivered == 2);
  CHECK(series.at(1, 0).delivered_bytes == 150);
  CHECK(series.at(0, 1).occupancy_area == 1.0);
  CHECK(series.at(0, 1).occupancy_max == 1);
  CHECK(series.at(1, 1).occupancy_max == 0);
}

TEST_CASE("series: past max_bins, neighbouring bins merge and the step doubles, nothing lost") {
  SeriesRecorder recorder(1.0, 1, 4);
  recorder.held(0, 1, 0.0, 3.0);
  recorder.delivered(0, 0.5, 1);
  recorder.delivered(0, 3.5, 1);
  recorder.held(0, 3, 3.0, 9.0);  // reaches bin 8 of 1 s: the bins become 4 s wide
  recorder.delivered(0, 9.0, 1);  // the run's last instant, on a bin's start: in the last bin
  const Series series = std::move(recorder).take(9.0);
  CHECK(series.step == 4.0);
  REQUIRE(series.bin_count() == 3);  // [0,4) [4,8) [8,9)
  CHECK(series.at(0, 0).occupancy_area == 3.0 + 3.0);
  CHECK(series.at(1, 0).occupancy_area == 12.0);
  CHECK(series.at(2, 0).occupancy_area == 3.0);
  CHECK(series.at(0, 0).delivered == 2);
  CHECK(series.at(2, 0).delivered == 1);
  CHECK(series.at(0, 0).occupancy_max == 3);
}

TEST_CASE("series: a run that ends on a bin's start has no empty bin after it") {
  SeriesRecorder recorder(0.5, 1, 100);
  recorder.held(0, 1, 0.0, 1.0);
  recorder.delivered(0, 1.0, 8);
  const Series series = std::move(recorder).take(1.0);
  REQUIRE(series.bin_count() == 2);
  CHECK(series.at(1, 0).delivered == 1);
  CHECK(series.at(1, 0).occupancy_area == 0.5);
}
