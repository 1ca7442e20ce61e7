// Replications through the binary: intervals that cover the true value as often as they
// claim, percentiles pooled over every replication's messages, the replications CSV, and the
// input it refuses.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "cli_helpers.hpp"

using namespace ipcsim::test;
namespace report = ipcsim::report;

namespace {

// Row `r`'s value of `column` as a number.
double number(const report::Table& table, std::size_t r, const std::string& column) {
  return std::stod(cell(table, r, column));
}

// The nearest-rank quantile: the smallest value with at least q of them at or below it.
double nearest_rank(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::max<std::size_t>(rank, 1) - 1];
}

// A producer and a consumer, both at random paces, through a 4-slot buffer: latencies vary.
const char* random_buffer = R"(
name: random-buffer
seed: 5
channels:
  jobs: {addressing: mailbox, capacity: 4}
processes:
  producer: {program: [{repeat: 60, do: [{send: {to: jobs, size: 1B}}, {sleep: exp(1ms)}]}]}
  consumer: {program: [{repeat: 60, do: [{recv: {from: jobs}}, {compute: exp(0.9ms)}]}]}
)";

}  // namespace

TEST_CASE("replications: the 95% interval covers the true mean in 90-99% of 200 replication sets") {
  // A process sleeping 10 times exp(1 ms) ends at a Gamma(10, 1 ms) time: mean 10 ms exactly.
  // 200 sets of 5 replications, seeds 0-4, 5-9, ...: an interval of t(4) s / sqrt(5) covers
  // 10 ms in about 95% of them; the normal's 1.96 would cover about 88%, and s without
  // / sqrt(5) about 100%.
  TempDir dir;
  std::string seeds;
  for (int set = 0; set < 200; ++set) seeds += fmt::format("{}{}", set ? ", " : "", 5 * set);
  const std::string scenario = dir.write("sleeper.yaml", fmt::format(R"(
name: sleeper
replications: 5
processes:
  sleeper: {{program: [{{repeat: 10, do: [{{sleep: exp(1ms)}}]}}]}}
sweep:
  seed: [{}]
)",
                                                                     seeds));
  const std::string out = dir.path.string() + "/sleeper.csv";
  Result run = run_ipcsim("run -q " + scenario + " -o " + out);
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  const report::Table table = report::parse_table(read(out), out);
  REQUIRE(table.rows.size() == 200);
  std::size_t covered = 0;
  for (std::size_t r = 0; r < table.rows.size(); ++r)
    covered += std::abs(number(table, r, "sim_time_s") - 0.010) <= number(table, r, "sim_time_s_ci95");
  CHECK(covered >= 180);
  CHECK(covered <= 198);
}

TEST_CASE(
    "replications: percentiles pooled over all replications' messages, the rest averaged, and the replications CSV") {
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string scenario = dir.write("buffer.yaml", random_buffer);
  Result run = run_ipcsim("run " + scenario + " --replications 3 -o " + d + "/r.csv");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.output, Catch::Contains("random-buffer (seeds 5 to 7, model ideal): 3 replications"));
  CHECK_THAT(run.output, Catch::Contains("latency p99 (pooled)"));
  CHECK_THAT(run.output, Catch::Contains(d + "/r.replications.csv"));

  // The replications one at a time, with their seeds, traced.
  std::vector<double> latencies;
  for (int seed : {5, 6, 7}) {
    const std::string trace = fmt::format("{}/t{}.csv", d, seed);
    REQUIRE(run_ipcsim(fmt::format("run -q {} --seed {} --trace {} -o {}/plain{}.csv", scenario, seed, trace, d, seed))
                .exit_code == 0);
    const report::Table t = report::parse_table(read(trace), trace);
    for (std::size_t r = 0; r < t.rows.size(); ++r)
      latencies.push_back(number(t, r, "received_s") - number(t, r, "send_call_s"));
  }
  REQUIRE(latencies.size() == 180);

  const report::Table folded = report::parse_table(read(d + "/r.csv"), "r.csv");
  const report::Table each = report::parse_table(read(d + "/r.replications.csv"), "r.replications.csv");
  REQUIRE(folded.rows.size() == 1);
  REQUIRE(each.rows.size() == 3);
  for (const char* q : {"p50", "p95", "p99"}) {
    const double pooled = number(folded, 0, fmt::format("latency_{}_s", q));
    const double exact = nearest_rank(latencies, std::stod(std::string(q + 1)) / 100);
    INFO(q);
    CHECK(pooled == Approx(exact).epsilon(1e-3));  // the histogram's bucket: within 0.1%
    // Not the nearest wrong answer, the mean of the replications' own percentiles.
    double mean_of_each = 0;
    for (std::size_t r = 0; r < 3; ++r) mean_of_each += number(each, r, fmt::format("latency_{}_s", q)) / 3;
    CHECK(std::abs(mean_of_each - exact) > 2e-3 * exact);
  }
  CHECK(number(folded, 0, "latency_max_s") == Approx(*std::max_element(latencies.begin(), latencies.end())));
  // Other numbers: the mean of the replications'.
  const double throughputs = number(each, 0, "throughput_msgs_per_s") + number(each, 1, "throughput_msgs_per_s") +
                             number(each, 2, "throughput_msgs_per_s");
  CHECK(number(folded, 0, "throughput_msgs_per_s") == Approx(throughputs / 3).epsilon(1e-8));

  // Each replication's row is its plain run's, with its seed and number.
  for (std::size_t r = 0; r < 3; ++r) {
    const std::string plain_file = fmt::format("{}/plain{}.csv", d, 5 + r);
    const report::Table plain = report::parse_table(read(plain_file), plain_file);
    CHECK(cell(each, r, "replication") == std::to_string(r + 1));
    for (std::size_t k = 0; k < plain.header.size(); ++k) {
      const std::string& name = plain.header[k];
      if (name == "wall_time_s" || name.ends_with("_per_wall_s") || name == "overrides" || name == "scenario_file")
        continue;
      INFO(name);
      CHECK(cell(each, r, name) == plain.rows[0][k]);
    }
  }
  // The same, whatever the number of jobs.
  REQUIRE(run_ipcsim("run -q -j 1 " + scenario + " --replications 3 -o " + d + "/j1.csv").exit_code == 0);
  CHECK(without_wall_clock(read(d + "/j1.csv")) == without_wall_clock(read(d + "/r.csv")));
  CHECK(without_wall_clock(read(d + "/j1.channels.csv")) == without_wall_clock(read(d + "/r.channels.csv")));
}

TEST_CASE("replications: bad counts, a swept count and a trace of many runs exit 2 and write nothing") {
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string scenario = dir.write("buffer.yaml", random_buffer);
  const std::string out = " -o " + d + "/out.csv";
  const std::vector<std::pair<std::string, std::string>> cases{
      {"--replications 0", "--replications: Value 0 not in range 1 to 10000"},
      {"--replications x", "--replications: Value x not in range"},
      {"--set replications=0", "replications"},
      {"--set replications=10001", "replications"},
      {"--set replications=-1", "replications"},
      {"--set replications=[1]", "replications"},
      {"--replications 2 --trace " + d + "/t.csv", "--trace records one run, and each point has 2 replications"},
      {"--set 'sweep={replications: [1, 2]}'", "sweep.replications: the replications of every point are one number"},
      {"--replications 60000", "--replications: Value 60000 not in range"},
  };
  for (const auto& [flags, message] : cases) {
    Result bad = run_ipcsim("run " + scenario + " " + flags + out);
    INFO(flags << ": " << bad.output);
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.output, Catch::Contains(message));
    CHECK(!fs::exists(d + "/out.csv"));
    CHECK(!fs::exists(d + "/out.replications.csv"));
  }
  // Points times replications past what one command runs.
  const std::string big = dir.write("big.yaml", std::string(random_buffer) +
                                                    "replications: 10000\nsweep: {seed: "
                                                    "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]}\n");
  Result too_many = run_ipcsim("run " + big + out);
  CHECK(too_many.exit_code == 2);
  CHECK_THAT(too_many.output, Catch::Contains("11 points x 10000 replications: expected at most 100000 runs"));
}

TEST_CASE("replications split over shards: merge folds them into exactly the single run's CSVs") {
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string sweep = dir.write("sweep.yaml", small_sweep);  // 6 points
  REQUIRE(run_ipcsim("run -q " + sweep + " --replications 3 -o " + d + "/single.csv").exit_code == 0);
  // 4 shards of 18 runs: a point's replications land in different shards.
  for (int k = 0; k < 4; ++k) {
    Result shard = run_ipcsim(fmt::format("run {} --replications 3 --shard {}/4 -o {}/shard-{}.csv", sweep, k, d, k));
    INFO(shard.output);
    REQUIRE(shard.exit_code == 0);
    CHECK_THAT(shard.output, Catch::Contains("of the 18 runs of 6 points x 3 replications"));
  }
  const report::Table shard0 = report::parse_table(read(d + "/shard-0.csv"), "shard-0.csv");
  REQUIRE(shard0.rows.size() == 5);  // runs 1, 5, 9, 13, 17 (from 1): point 1 replication 1, point 2 replication 2, ...
  CHECK(cell(shard0, 1, "point") == "2");
  CHECK(cell(shard0, 1, "replication") == "2");
  Result merge =
      run_ipcsim(fmt::format("merge -o {0}/merged.csv {0}/shard-3.csv {0}/shard-1.csv {0}/shard-0.csv "
                             "{0}/shard-2.csv",
                             d));
  INFO(merge.output);
  REQUIRE(merge.exit_code == 0);
  CHECK(without_wall_clock(read(d + "/merged.csv")) == without_wall_clock(read(d + "/single.csv")));
  CHECK(without_wall_clock(read(d + "/merged.replications.csv")) ==
        without_wall_clock(read(d + "/single.replications.csv")));

  SECTION("a missing shard, a run twice, a missing or altered histograms file exit 2 and write nothing") {
    const std::string out = d + "/bad.csv";
    auto merge_of = [&](const std::string& shards) { return run_ipcsim("merge -o " + out + " " + shards); };
    Result missing = merge_of(d + "/shard-0.csv " + d + "/shard-1.csv " + d + "/shard-2.csv");
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.output, Catch::Contains("point 2 has 2 of its 3 replications: expected every shard"));
    Result twice = merge_of(d + "/shard-0.csv " + d + "/shard-0.csv");
    CHECK(twice.exit_code == 2);
    CHECK_THAT(twice.output, Catch::Contains("point 1 replication 1 again"));
    fs::copy_file(d + "/shard-1.csv", d + "/alone.csv");
    Result no_histograms = merge_of(d + "/shard-0.csv " + d + "/alone.csv " + d + "/shard-2.csv " + d + "/shard-3.csv");
    CHECK(no_histograms.exit_code == 2);
    CHECK_THAT(no_histograms.output, Catch::Contains("alone.histograms.csv"));
    std::string histograms = read(d + "/shard-1.histograms.csv");
    const std::size_t row = histograms.find('\n') + 1;
    // A bucket whose bounds lie in different buckets, and a distribution no run writes.
    for (const std::string& forged : {std::string("1,2,latency,5,0.001,0.002"), std::string("1,2,colour,5,1,1")}) {
      const std::string text = histograms.substr(0, row) + forged + "\n" + histograms.substr(row);
      dir.write("forged.csv", read(d + "/shard-1.csv"));
      dir.write("forged.histograms.csv", text);
      Result bad = merge_of(d + "/shard-0.csv " + d + "/forged.csv " + d + "/shard-2.csv " + d + "/shard-3.csv");
      INFO(forged << ": " << bad.output);
      CHECK(bad.exit_code == 2);
      CHECK_THAT(bad.output, Catch::Contains("forged.histograms.csv:2:1: error:"));
    }
    // A count that is no number.
    std::string rows = read(d + "/shard-1.csv");
    const std::size_t cell = rows.find(",time,", rows.find('\n')) + 6;
    dir.write("words.csv", rows.substr(0, cell) + "many" + rows.substr(rows.find(',', cell)));
    fs::copy_file(d + "/shard-1.histograms.csv", d + "/words.histograms.csv");
    Result words = merge_of(d + "/shard-0.csv " + d + "/words.csv " + d + "/shard-2.csv " + d + "/shard-3.csv");
    CHECK(words.exit_code == 2);
    CHECK_THAT(words.output, Catch::Contains("words.csv:2:1: error: column `messages_sent` holds `many`"));
    CHECK(!fs::exists(out));
    CHECK(!fs::exists(d + "/bad.replications.csv"));
    // A replicated shard writes no channels or processes CSV, and runs at most as many shards as runs.
    Result channels = run_ipcsim("run " + sweep + " --replications 3 --shard 0/4 --channels " + d + "/c.csv -o " + out);
    CHECK(channels.exit_code == 2);
    CHECK_THAT(channels.output, Catch::Contains("a shard of a replicated run writes the summary of each replication"));
    Result too_many = run_ipcsim("run " + sweep + " --replications 3 --shard 0/19 -o " + out);
    CHECK(too_many.exit_code == 2);
    CHECK_THAT(too_many.output,
               Catch::Contains("the sweep has 18 runs (points x replications), expected at most 18 shards"));
  }
}
