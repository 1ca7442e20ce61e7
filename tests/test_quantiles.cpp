// The constant-memory summaries behind the latency and blocking-time columns.
#include <catch2/catch.hpp>

#include "model/quantiles.hpp"

using ipcsim::model::Quantiles;

TEST_CASE("quantiles are nearest-rank, exact for repeated values and at most 0.1% high otherwise") {
  Quantiles q;
  for (int i = 1000; i >= 1; --i) q.add(i * 1e-3);  // 1 ms .. 1 s, in any order
  CHECK(q.count == 1000);
  CHECK(q.mean() == Approx(0.5005).epsilon(1e-12));
  CHECK(q.max == 1.0);
  // Nearest rank: p50 is the 500th value (0.5 s), p99 the 990th, p100 the largest.
  for (auto [p, exact] : {std::pair{0.5, 0.5}, std::pair{0.99, 0.99}, std::pair{0.001, 0.001}, std::pair{1.0, 1.0}}) {
    CHECK(q.quantile(p) >= exact);
    CHECK(q.quantile(p) <= exact * 1.001);
  }

  Quantiles same;
  for (int i = 0; i < 100; ++i) same.add(0.002);
  same.add(0.5);
  CHECK(same.quantile(0.5) == 0.002);  // exact: its bucket holds one distinct value
  CHECK(same.quantile(0.99) == 0.002);
  CHECK(same.quantile(1.0) == 0.5);

  Quantiles zeros;
  zeros.add(0);
  zeros.add(0);
  zeros.add(3e-9);
  CHECK(zeros.quantile(0.5) == 0);
  CHECK(zeros.quantile(1.0) == 3e-9);
  CHECK(Quantiles{}.quantile(0.5) == 0);
}

TEST_CASE("quantiles use memory for distinct buckets, not for values") {
  Quantiles q;
  for (int i = 0; i < 1000000; ++i) q.add(1e-3 * (1 + i % 7));
  CHECK(q.buckets.size() == 7);
  CHECK(q.count == 1000000);
}

TEST_CASE("merged summaries equal one summary of all the values") {
  Quantiles all, first, second;
  for (int i = 0; i < 5000; ++i) {
    double v = 1e-6 * (1 + (i * 7919) % 1000);
    all.add(v);
    (i % 3 == 0 ? first : second).add(v);
  }
  Quantiles merged = first;
  merged.merge(second);
  CHECK(merged.count == all.count);
  CHECK(merged.sum == Approx(all.sum));
  CHECK(merged.max == all.max);
  for (double q : {0.01, 0.5, 0.9, 0.99, 1.0}) CHECK(merged.quantile(q) == all.quantile(q));
  merged.add(1.0);  // still usable after a merge
  CHECK(merged.quantile(1.0) == 1.0);
}
