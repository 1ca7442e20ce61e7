// Whole runs: stop conditions, determinism, and conservation over every shipped scenario.
#include <filesystem>

#include "base/sanitizers.hpp"
#include "helpers.hpp"
#include "report/csv.hpp"
#include "support/paths.hpp"

using namespace ipcsim;
using namespace ipcsim::test;

TEST_CASE("stop after N messages delivers exactly N") {
  Run run = run_yaml(R"(
stop: {messages: 10}
channels:
  box: {addressing: mailbox}
processes:
  producer: {program: [{repeat: forever, do: [{send: {to: box, size: 1B}}, {sleep: 1ms}]}]}
  consumer: {program: [{repeat: forever, do: [{recv: {from: box}}]}]}
)");
  CHECK(run.summary.stop == model::StopReason::messages);
  CHECK(run.summary.delivered == 10);
  CHECK(run.summary.sim_time == at(0.009));
  check_conservation(run.summary);
}

TEST_CASE("stop at a time ends the run then, with queued messages counted lost") {
  Run run = run_yaml(R"(
stop: {time: 5.5ms}
channels:
  box: {addressing: mailbox}
processes:
  producer: {program: [{repeat: forever, do: [{send: {to: box, size: 1B}}, {sleep: 1ms}]}]}
)");
  CHECK(run.summary.stop == model::StopReason::time);
  CHECK(run.summary.sim_time == at(0.0055));
  // Sends at 0, 1, ..., 5 ms: six messages, all still queued at the end.
  CHECK(run.summary.sent == 6);
  CHECK(run.summary.count(Reason::queued_at_end) == 6);
  check_conservation(run.summary);
}

TEST_CASE("same scenario, same seed: identical records, and another seed: different ones") {
  const std::string text = R"(
seed: 11
stop: {messages: 300}
channels:
  box: {addressing: mailbox, capacity: 4, receivers: random}
processes:
  producer: {count: 3, program: [{repeat: forever, do: [{send: {to: box, size: 'uniform(1B, 4KiB)'}}, {sleep: exp(1ms)}]}]}
  consumer: {count: 2, program: [{repeat: forever, do: [{recv: {from: box}}, {compute: 'lognormal(1ms, 0.5ms)'}]}]}
)";
  Run a = run_yaml(text);
  Run b = run_yaml(text);
  REQUIRE(a.out.message_records.size() == b.out.message_records.size());
  auto same = [](const model::MessageRecord& x, const model::MessageRecord& y) {
    return x.sender == y.sender && x.receiver == y.receiver && x.size == y.size && x.send_call == y.send_call &&
           x.received == y.received && x.outcome == y.outcome;
  };
  for (std::size_t i = 0; i < a.out.message_records.size(); ++i) REQUIRE(same(a.message(i), b.message(i)));
  Run c = run_yaml("seed: 12\n" + text.substr(text.find("stop:")));
  CHECK(c.summary.sim_time != a.summary.sim_time);
}

TEST_CASE("every shipped scenario, every point of its sweep, conserves messages and keeps the run invariants") {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(source_dir) / "scenarios"))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 10);
  for (const fs::path& file : files) {
    std::vector<scenario::SweepPoint> points = scenario::load_sweep(file.string(), {});
    for (std::size_t k = 0; k < points.size(); ++k) {
      // Under a sanitizer a run is 25x slower: the first, the last and every fourth point.
      if (ipcsim::sanitized_build && k % 4 != 0 && k + 1 != points.size()) continue;
      scenario::SweepPoint& point = points[k];
      INFO(file.filename().string() << " " << point.parameters.size() << " swept values");
      Run run = run_scenario(std::move(point.scenario));  // checks the invariants (helpers.hpp)
      CHECK(run.summary.sent > 0);
      check_conservation(run.summary);
    }
  }
}

TEST_CASE("summary CSV: stable header, one row, quoted fields where needed") {
  Run run = run_yaml(R"(
channels:
  box: {addressing: mailbox}
processes:
  p: {program: [{send: {to: box, size: 1B}}]}
  c: {program: [{recv: {from: box}}]}
)");
  std::string csv = report::rows_csv({report::summary_columns(run.summary)});
  CHECK(csv.rfind("scenario,point,sweep_points,seed,model,stop_reason,messages_sent,messages_delivered", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 2);
  CHECK(report::csv_field("a,b") == "\"a,b\"");
  CHECK(report::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
}
