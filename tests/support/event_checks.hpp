#pragma once
// A run's events CSV (run --events) against its message and receive records: every message
// has one send call, at most one send return and one acceptance, and one end (returned by a
// receive, failed or lost), each at the time and with the outcome its record says; receive
// calls and returns match the receive records; times never go back; and the counts by kind
// are the summary's columns. Every simulated run of the suite goes through it (helpers.hpp).
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <string>
#include <vector>

#include "model/events.hpp"
#include "report/events_csv.hpp"
#include "report/summary.hpp"
#include "report/table.hpp"

namespace ipcsim::test {

/// The events CSV writes times to 9 significant digits.
inline bool same_time(double written, double exact) {
  return std::abs(written - exact) <= 1e-8 * std::max(1.0, std::abs(exact));
}

inline void check_events(const model::Model& model, const model::SimulatedRun& out, const report::Summary& summary,
                         const std::string& csv) {
  const report::Table table = report::parse_table(csv, "events.csv");
  REQUIRE(table.header == std::vector<std::string>{"time_s", "process", "kind", "channel", "message", "detail"});
  const std::vector<model::MessageRecord>& messages = out.message_records;
  struct Seen {
    int send_call = 0, send_return = 0, accepted = 0, ended = 0;
  };
  std::vector<Seen> seen(messages.size());
  std::uint64_t receive_calls = 0, receive_returns = 0, delivered = 0, empty = 0, timed_out = 0, failed_receives = 0;
  std::uint64_t failed = 0, lost = 0;
  auto name = [&](model::ProcessId p) { return p == model::none ? std::string{} : model.processes[p].name; };
  // Millions of events in some runs: the first few problems are kept and reported at the end,
  // rather than an assertion per event.
  std::vector<std::string> problems;
  std::size_t row = 0;
  auto expect = [&](bool holds, const char* what) {
    if (holds || problems.size() >= 10) return;
    problems.push_back(fmt::format("line {}: {}: {}", table.lines[row], what, fmt::join(table.rows[row], ",")));
  };
  double last = 0;
  for (; row < table.rows.size(); ++row) {
    const std::vector<std::string>& cells = table.rows[row];
    const double time = std::stod(cells[0]);
    expect(time >= last, "time goes back");
    last = time;
    const std::string& process = cells[1];
    const auto kind = parse_enum<model::EventKind>(cells[2]);
    REQUIRE(kind);
    const std::string& detail = cells[5];
    if (cells[4].empty()) {
      expect(*kind != model::EventKind::send_call && *kind != model::EventKind::send_return &&
                 *kind != model::EventKind::accepted && *kind != model::EventKind::failed &&
                 *kind != model::EventKind::lost,
             "a message's event without its message");
    } else {
      const std::size_t id = std::stoull(cells[4]);
      REQUIRE(id < messages.size());
      const model::MessageRecord& m = messages[id];
      Seen& s = seen[id];
      switch (*kind) {
        case model::EventKind::send_call:
          ++s.send_call;
          expect(same_time(time, m.send_call) && process == name(m.sender) && detail == std::to_string(m.size),
                 "send call: time, sender or size");
          break;
        case model::EventKind::send_return:
          ++s.send_return;
          expect(same_time(time, m.send_return) &&
                     detail == (m.outcome == Outcome::failed ? std::string(to_string(m.reason)) : "ok"),
                 "send return: time or outcome");
          break;
        case model::EventKind::accepted:
          ++s.accepted;
          expect(same_time(time, m.accepted) &&
                     detail == (model.spec(m.channel).capacity.rendezvous() ? "rendezvous" : "buffer"),
                 "accepted: time or where");
          break;
        case model::EventKind::receive_return:
          ++s.ended;
          expect(m.outcome == Outcome::delivered && same_time(time, m.received) && process == name(m.receiver),
                 "receive return: outcome, time or receiver");
          break;
        case model::EventKind::failed:
        case model::EventKind::lost:
          ++s.ended;
          expect(m.outcome == (*kind == model::EventKind::failed ? Outcome::failed : Outcome::lost) &&
                     same_time(time, m.ended) && detail == to_string(m.reason),
                 "failed or lost: outcome, time or reason");
          break;
        default:
          break;  // a process's wait names the message it waits with
      }
    }
    receive_calls += *kind == model::EventKind::receive_call;
    if (*kind == model::EventKind::receive_return) {
      ++receive_returns;
      delivered += detail == "message";
      empty += detail == "empty";
      timed_out += detail == "timed_out";
      failed_receives += detail == "failed";
    }
    failed += *kind == model::EventKind::failed;
    lost += *kind == model::EventKind::lost;
  }
  for (std::size_t id = 0; id < messages.size() && problems.size() < 10; ++id)
    if (seen[id].send_call != 1 || seen[id].ended != 1 ||
        seen[id].send_return != (messages[id].send_return >= 0 ? 1 : 0) ||
        seen[id].accepted != (messages[id].accepted >= 0 ? 1 : 0))
      problems.push_back(fmt::format("message {}: {} send calls, {} ends, {} send returns, {} acceptances", id,
                                     seen[id].send_call, seen[id].ended, seen[id].send_return, seen[id].accepted));
  INFO(fmt::format("{}", fmt::join(problems, "\n")));
  CHECK(problems.empty());
  CHECK(receive_calls == summary.receives.calls);
  CHECK(receive_returns == receive_calls);
  CHECK(delivered == summary.delivered);
  CHECK(empty == summary.receives.empty);
  CHECK(timed_out == summary.receives.timed_out);
  CHECK(failed_receives == summary.receives.failed);
  CHECK(failed == summary.failed);
  CHECK(lost == summary.lost);
}

}  // namespace ipcsim::test
