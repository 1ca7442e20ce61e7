// Replications folded into a point's row: Student's t, the interval of a mean, and each kind
// of column, worked by hand.
#include <catch2/catch.hpp>

#include "report/replications.hpp"

using namespace ipcsim;
using report::Column;
using report::ColumnKind;
using report::Columns;

TEST_CASE("student_t95: the two-sided 95% quantiles of Student's t, small and large degrees of freedom") {
  // From tables of the t distribution (the large ones also: t -> 1.959964 as degrees grow).
  CHECK(report::student_t95(1) == Approx(12.7062).epsilon(1e-5));
  CHECK(report::student_t95(4) == Approx(2.7764).epsilon(1e-4));
  CHECK(report::student_t95(9) == Approx(2.2622).epsilon(1e-4));
  CHECK(report::student_t95(10) == Approx(2.2281).epsilon(1e-4));
  CHECK(report::student_t95(29) == Approx(2.0452).epsilon(1e-4));
  CHECK(report::student_t95(120) == Approx(1.9799).epsilon(1e-4));
  CHECK(report::student_t95(100000) == Approx(1.95999).epsilon(1e-4));
}

TEST_CASE("mean_interval: the mean and t(n-1) s / sqrt(n), none for one value") {
  // 1..5: mean 3, sample variance 10/4 = 2.5, standard error sqrt(2.5/5) = 0.70711,
  // t(4) = 2.776445: half-width 1.96324.
  const std::vector<double> values{1, 2, 3, 4, 5};
  const report::MeanInterval interval = report::mean_interval(values);
  CHECK(interval.mean == 3);
  REQUIRE(interval.half_width);
  CHECK(*interval.half_width == Approx(1.96324).epsilon(1e-5));
  const std::vector<double> one{7};
  CHECK(report::mean_interval(one).mean == 7);
  CHECK_FALSE(report::mean_interval(one).half_width);
}

TEST_CASE("replicated_columns: labels kept, outcomes joined, metrics averaged, quantiles pooled, maxima taken") {
  auto row = [](std::string seed, std::string stop, std::string sent, std::string p99, std::string max) {
    return Columns{{"scenario", "s", ColumnKind::label},         {"seed", std::move(seed), ColumnKind::label},
                   {"stop_reason", stop, ColumnKind::outcome},   {"messages_sent", sent, ColumnKind::metric},
                   {"latency_p99_s", p99, ColumnKind::quantile}, {"latency_max_s", max, ColumnKind::maximum}};
  };
  const std::vector<Columns> replications{row("7", "completed", "10", "0.5", "2"),
                                          row("8", "deadlock", "20", "0.25", "3"),
                                          row("9", "completed", "", "0.75", "1")};
  const Columns pooled = row("7", "completed", "99", "0.625", "9");  // only its quantiles are read
  const Columns folded = report::replicated_columns(replications, pooled);
  std::vector<std::string> cells;
  for (const Column& c : folded) cells.push_back(c.name + "=" + c.value);
  // sent: 10 and 20 (an empty cell is no value): mean 15, sample sd 7.0711, t(1) = 12.706205:
  // 12.706205 x 7.0711 / sqrt(2) = 63.531025.
  // p99: 0.5, 0.25, 0.75: sample sd 0.25, t(2) 4.302653 x 0.25 / sqrt(3) = 0.6210345.
  const std::vector<std::string> expected{"scenario=s",
                                          "seed=7",
                                          "stop_reason=1: completed; 2: deadlock; 3: completed",
                                          "messages_sent=15",
                                          "messages_sent_ci95=63.531025",
                                          "latency_p99_s=0.625",
                                          "latency_p99_s_ci95=0.621034467",
                                          "latency_max_s=3"};
  CHECK(cells == expected);
  // Agreeing outcomes stay as they are.
  const std::vector<Columns> agreeing{row("1", "completed", "1", "1", "1"), row("2", "completed", "1", "1", "1")};
  CHECK(report::replicated_columns(agreeing, agreeing[0])[2].value == "completed");
}

TEST_CASE("replication_row: the replication's number after the replications column") {
  const Columns row{{"seed", "3", ColumnKind::label}, {"replications", "4", ColumnKind::label}, {"sent", "1"}};
  const Columns numbered = report::replication_row(row, 2);
  REQUIRE(numbered.size() == 4);
  CHECK(numbered[2].name == "replication");
  CHECK(numbered[2].value == "2");
  CHECK(numbered[3].name == "sent");
  CHECK(report::replication_seed(41, 0) == 41);
  CHECK(report::replication_seed(41, 3) == 44);
  CHECK(report::replication_seed(~std::uint64_t{0}, 1) == 0);  // modulo 2^64
}
