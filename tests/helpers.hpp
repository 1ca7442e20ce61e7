#pragma once
// Runs scenario text through the whole pipeline (load, model, simulate in a child, summarize)
// and gives tests the message records to check against hand-computed times.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/model.hpp"
#include "report/summary.hpp"
#include "scenario/scenario.hpp"
#include "sim/simulation.hpp"
#include "support/event_checks.hpp"
#include "support/run_invariants.hpp"
#include "support/shell.hpp"

namespace ipcsim::test {

struct Run {
  std::unique_ptr<scenario::Scenario> scenario;
  model::Model model;
  model::SimulatedRun out;
  report::Summary summary;
  std::string events_csv;  // what run --events writes

  const model::MessageRecord& message(std::size_t id) const { return out.message_records.at(id); }
  std::string receiver_of(std::size_t id) const {
    auto r = message(id).receiver;
    return r == model::none ? "" : model.processes[r].name;
  }
  std::string sender_of(std::size_t id) const { return model.processes[message(id).sender].name; }
};

inline Run run_scenario(scenario::Scenario scenario) {
  Run run;
  run.scenario = std::make_unique<scenario::Scenario>(std::move(scenario));
  run.model = model::build_model(*run.scenario);
  sim::Options options;
  options.keep_records = true;
  // Its events too, written by the run's child process to a file, checked below.
  TempDir dir;
  const int events_fd = ::open((dir.path / "events.csv").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(events_fd >= 0);
  report::EventsCsv events(events_fd);
  options.events = &events;
  run.out = sim::simulate_isolated(run.model, options);
  ::close(events_fd);
  run.summary = report::summarize(run.model, run.out);
  run.events_csv = read(dir.path / "events.csv");
  check_events(run.model, run.out, run.summary, run.events_csv);
  // The statistics count each message once, as it ends: the records must say the same.
  REQUIRE(run.out.result.messages.sent == run.out.message_records.size());
  std::array<std::uint64_t, report::reason_count> by_reason{};
  for (const model::MessageRecord& m : run.out.message_records) {
    REQUIRE(m.outcome != Outcome::pending);
    ++by_reason[static_cast<std::size_t>(m.reason)];
  }
  REQUIRE(by_reason == run.out.result.messages.by_reason);
  check_run_invariants(run.model, run.out, run.summary);
  return run;
}

inline Run run_yaml(const std::string& text) { return run_scenario(scenario::parse_scenario(text, "test.yaml")); }

/// Every message ended exactly once, and the per-reason counts add up to the totals.
inline void check_conservation(const report::Summary& s) {
  REQUIRE(s.sent == s.delivered + s.failed + s.lost);
  std::uint64_t failed = 0, lost = 0;
  for (Reason r : report::reasons_of(Outcome::failed)) failed += s.count(r);
  for (Reason r : report::reasons_of(Outcome::lost)) lost += s.count(r);
  REQUIRE(failed == s.failed);
  REQUIRE(lost == s.lost);
  REQUIRE(s.count(Reason::none) == s.delivered);
}

/// Simulated times are sums of decimal fractions: compare to a nanosecond.
inline auto at(double seconds) { return Approx(seconds).epsilon(0).margin(1e-9); }

// A model whose links take exactly latency + size / bandwidth, and no local costs.
inline const std::string one_ms_one_mbps = "model: {network: {model: exact, link: {latency: 1ms, bandwidth: 1MB/s}}}\n";

}  // namespace ipcsim::test
