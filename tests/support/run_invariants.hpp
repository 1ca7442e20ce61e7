#pragma once
// What every simulated run must show, taken from its message and receive-call records alone
// (not from the code that computes the summary or decides where messages go). The test
// helper checks it on every scenario it runs: shipped ones, every sweep point, random mixes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "model/model.hpp"
#include "model/run_result.hpp"
#include "report/summary.hpp"

namespace ipcsim::test {

// Times are sums of decimal fractions computed along different paths.
inline constexpr double time_slack = 1e-12;

/// The stretch during which a message sat in its channel's buffer: from being accepted until
/// a receiver took it, or it ended otherwise (dropped, lost with its mailbox, the run's end).
/// Empty for a message that never entered the buffer or was handed over on arrival.
struct InBuffer {
  double from = 0, to = 0;
  bool empty() const { return to <= from; }
};
inline InBuffer in_buffer(const model::MessageRecord& m) {
  if (m.accepted < 0) return {};
  return {m.accepted, m.taken >= 0 ? m.taken : m.ended};
}

/// Per message: the stages come in order, a message is received only when delivered, and
/// the summary's counts are the records' counts.
inline void check_message_records(const model::SimulatedRun& out, const report::Summary& summary) {
  std::uint64_t delivered = 0, failed = 0, lost = 0;
  for (std::size_t id = 0; id < out.message_records.size(); ++id) {
    const model::MessageRecord& m = out.message_records[id];
    INFO("message " << id);
    REQUIRE(m.outcome != Outcome::pending);
    delivered += m.outcome == Outcome::delivered;
    failed += m.outcome == Outcome::failed;
    lost += m.outcome == Outcome::lost;
    REQUIRE(m.send_call <= m.ended + time_slack);
    REQUIRE(m.ended <= out.result.duration + time_slack);
    if (m.taken >= 0) {
      REQUIRE(m.accepted >= 0);
      REQUIRE(m.accepted <= m.taken + time_slack);
    }
    if (m.outcome == Outcome::delivered) {
      REQUIRE(m.receiver != model::none);
      REQUIRE(m.send_call <= m.accepted + time_slack);
      REQUIRE(m.taken >= 0);
      REQUIRE(m.taken <= m.received + time_slack);
      REQUIRE(m.ended == m.received);
    } else {
      REQUIRE(m.received < 0);
    }
  }
  REQUIRE(delivered == summary.delivered);
  REQUIRE(failed == summary.failed);
  REQUIRE(lost == summary.lost);
  REQUIRE(delivered + failed + lost == summary.sent);
}

/// The messages of one sender on one channel are accepted in the order they were sent, and
/// each receiver gets them in that order.
inline void check_fifo_per_sender(const model::SimulatedRun& out) {
  std::map<std::pair<model::ProcessId, model::ChannelId>, double> last_accepted;
  std::map<std::tuple<model::ProcessId, model::ChannelId, model::ProcessId>, double> last_received;
  for (std::size_t id = 0; id < out.message_records.size(); ++id) {
    const model::MessageRecord& m = out.message_records[id];
    INFO("message " << id);
    if (m.outcome == Outcome::delivered) {
      auto [it, first] = last_received.try_emplace({m.sender, m.channel, m.receiver}, m.received);
      REQUIRE(it->second <= m.received + time_slack);
      it->second = m.received;
    }
    if (m.accepted < 0) continue;
    auto [it, first] = last_accepted.try_emplace({m.sender, m.channel}, m.accepted);
    REQUIRE(it->second <= m.accepted + time_slack);
    it->second = m.accepted;
  }
}

/// A bounded buffer never holds more messages than its capacity, at any instant.
inline void check_occupancy(const model::Model& model, const model::SimulatedRun& out) {
  std::map<model::ChannelId, std::vector<std::pair<double, int>>> changes;  // (time, +1 / -1)
  for (const model::MessageRecord& m : out.message_records) {
    const InBuffer stay = in_buffer(m);
    if (stay.empty()) continue;
    changes[m.channel].emplace_back(stay.from, +1);
    changes[m.channel].emplace_back(stay.to, -1);
  }
  for (auto& [channel, at] : changes) {
    const scenario::Capacity& capacity = model.scenario->channels[model.channels[channel].spec].capacity;
    if (capacity.unbounded()) continue;
    std::sort(at.begin(), at.end());  // at one instant, departures (-1) before arrivals
    std::int64_t held = 0;
    for (const auto& [time, change] : at) {
      held += change;
      INFO("channel " << model.channels[channel].name << " at t=" << time);
      REQUIRE(held <= static_cast<std::int64_t>(*capacity.limit));
    }
  }
}

/// Receive calls: a process makes one at a time; each returned message was taken during the
/// call that returned it, on that call's channel, and each delivered message was returned by
/// exactly one call; a call that timed out, failed or found nothing returned no message; the
/// summary's receive counters are the records' counts.
inline void check_receive_records(const model::SimulatedRun& out, const report::Summary& summary) {
  std::map<model::ProcessId, double> busy_until;
  std::vector<int> returned_by(out.message_records.size(), 0);
  std::array<std::uint64_t, 5> by_result{};
  for (std::size_t i = 0; i < out.receive_records.size(); ++i) {
    const model::ReceiveRecord& r = out.receive_records[i];
    INFO("receive call " << i << " at t=" << r.called);
    ++by_result[static_cast<std::size_t>(r.result)];
    auto [until, first] = busy_until.try_emplace(r.process, r.called);
    REQUIRE(until->second <= r.called + time_slack);
    until->second = r.returned >= 0 ? r.returned : out.result.duration + 1;  // nothing may follow an unended call
    if (r.result != model::ReceiveResult::unfinished) REQUIRE(r.called <= r.returned + time_slack);
    if (r.result == model::ReceiveResult::empty || r.result == model::ReceiveResult::timed_out)
      REQUIRE(r.message == model::no_message);
    if (r.message == model::no_message) continue;
    const model::MessageRecord& m = out.message_records.at(r.message);
    REQUIRE(m.channel == r.channel);
    REQUIRE(r.called <= m.taken + time_slack);
    if (r.result == model::ReceiveResult::message) {
      REQUIRE(m.receiver == r.process);
      REQUIRE(m.received == r.returned);
      ++returned_by[r.message];
    } else {
      REQUIRE(m.outcome != Outcome::delivered);
    }
  }
  for (std::size_t id = 0; id < out.message_records.size(); ++id) {
    INFO("message " << id);
    REQUIRE(returned_by[id] == (out.message_records[id].outcome == Outcome::delivered ? 1 : 0));
  }
  REQUIRE(out.receive_records.size() == summary.receives.calls);
  REQUIRE(by_result[static_cast<std::size_t>(model::ReceiveResult::empty)] == summary.receives.empty);
  REQUIRE(by_result[static_cast<std::size_t>(model::ReceiveResult::timed_out)] == summary.receives.timed_out);
  REQUIRE(by_result[static_cast<std::size_t>(model::ReceiveResult::failed)] == summary.receives.failed);
}

/// Work conservation: no receiver waits while a message sits in the buffer of the channel it
/// waits on (any receiver of a channel instance may take any of its messages). It covers a
/// reported deadlock too: a receiver still waiting at the end has nothing in its buffer.
/// And at a deadlock, no receiver waits on a rendezvous channel that a sender is blocked on.
inline void check_work_conservation(const model::Model& model, const model::SimulatedRun& out) {
  // Per channel, when its buffer held something: the stretches of its messages, sorted and
  // joined, so that each wait is looked up in log time.
  std::map<model::ChannelId, std::vector<InBuffer>> held;
  for (const model::MessageRecord& m : out.message_records) {
    const InBuffer stay = in_buffer(m);
    if (!stay.empty()) held[m.channel].push_back(stay);
  }
  for (auto& [channel, stays] : held) {
    std::sort(stays.begin(), stays.end(), [](const InBuffer& a, const InBuffer& b) { return a.from < b.from; });
    std::vector<InBuffer> joined;
    for (const InBuffer& stay : stays) {
      if (!joined.empty() && stay.from <= joined.back().to)
        joined.back().to = std::max(joined.back().to, stay.to);
      else
        joined.push_back(stay);
    }
    stays = std::move(joined);
  }
  for (std::size_t i = 0; i < out.receive_records.size(); ++i) {
    const model::ReceiveRecord& r = out.receive_records[i];
    auto stays = held.find(r.channel);
    if (stays == held.end()) continue;
    // It waits until a message is taken for it, or until it returns empty-handed.
    const double waited_until = r.message != model::no_message ? out.message_records[r.message].taken
                                : r.returned >= 0              ? r.returned
                                                               : out.result.duration;
    auto first = std::lower_bound(stays->second.begin(), stays->second.end(), r.called + time_slack,
                                  [](const InBuffer& stay, double t) { return stay.to < t; });
    if (first == stays->second.end()) continue;
    INFO("receive call " << i << " waits on " << model.channels[r.channel].name << " from t=" << r.called << " to "
                         << waited_until << "; its buffer holds messages from t=" << first->from << " to "
                         << first->to);
    REQUIRE(std::min(waited_until, first->to) - std::max(r.called, first->from) <= time_slack);
  }
  if (out.result.stop_reason != model::StopReason::deadlock) return;
  std::map<model::ChannelId, std::uint64_t> blocked_senders;
  for (const model::MessageRecord& m : out.message_records)
    blocked_senders[m.channel] += m.reason == Reason::blocked_at_end;
  for (const model::ReceiveRecord& r : out.receive_records) {
    if (r.message != model::no_message || (r.returned >= 0 && r.returned < out.result.duration)) continue;
    if (!model.scenario->channels[model.channels[r.channel].spec].capacity.rendezvous()) continue;
    INFO("deadlock, yet a receiver and a sender wait on rendezvous channel " << model.channels[r.channel].name);
    REQUIRE(blocked_senders[r.channel] == 0);
  }
}

/// Any run, simulated or measured: each declared channel's messages all ended, and the channels
/// add up to the totals, except the messages that reached no channel (a reply with no channel
/// back), which the totals alone count.
inline void check_channel_totals(const model::RunResult& result) {
  std::uint64_t sent = 0, sends_blocked = 0, receive_calls = 0, null_receives = 0, timeouts = 0;
  std::array<std::uint64_t, report::reason_count> by_reason{};
  for (const model::ChannelResult& channel : result.channels) {
    CHECK(channel.messages.ended() == channel.messages.sent);
    CHECK(channel.messages.latency.count == channel.messages.count(Reason::none));
    sent += channel.messages.sent;
    sends_blocked += channel.messages.sends_blocked;
    for (std::size_t r = 0; r < by_reason.size(); ++r) by_reason[r] += channel.messages.by_reason[r];
    receive_calls += channel.receives.calls;
    null_receives += channel.receives.empty;
    timeouts += channel.receives.timed_out;
  }
  const std::uint64_t without_channel = result.messages.count(Reason::no_reply_channel);
  CHECK(by_reason[static_cast<std::size_t>(Reason::no_reply_channel)] == 0);
  by_reason[static_cast<std::size_t>(Reason::no_reply_channel)] = without_channel;
  CHECK(sent + without_channel == result.messages.sent);
  CHECK(by_reason == result.messages.by_reason);
  CHECK(sends_blocked == result.messages.sends_blocked);
  CHECK(receive_calls == result.receives.calls);
  CHECK(null_receives == result.receives.empty);
  CHECK(timeouts == result.receives.timed_out);
}

/// Each declared channel's counts are its messages' records, and the blocked sends are those
/// the records mark.
inline void check_channel_records(const model::Model& model, const model::SimulatedRun& out) {
  std::vector<std::uint64_t> sent(out.result.channels.size()), delivered(out.result.channels.size()),
      blocked(out.result.channels.size());
  for (const model::MessageRecord& m : out.message_records) {
    if (m.channel == model::none) continue;
    const std::uint32_t declared = model.channels[m.channel].spec;
    ++sent[declared];
    delivered[declared] += m.outcome == Outcome::delivered;
    blocked[declared] += m.send_blocked;
  }
  for (std::size_t c = 0; c < out.result.channels.size(); ++c) {
    INFO("channel " << model.scenario->channels[c].name);
    CHECK(out.result.channels[c].messages.sent == sent[c]);
    CHECK(out.result.channels[c].messages.count(Reason::none) == delivered[c]);
    CHECK(out.result.channels[c].messages.sends_blocked == blocked[c]);
  }
}

/// A distribution's figures in their order: p50 <= p95 <= p99 <= max, mean <= max.
inline void check_ordered(const report::Percentiles& d) {
  if (d.count == 0) return;
  CHECK(d.p50 <= d.p95);
  CHECK(d.p95 <= d.p99);
  CHECK(d.p99 <= d.max);
  CHECK(d.mean <= d.max * (1 + 1e-12));
}

/// Figures that must agree with each other, whoever ran: every fraction in [0, 1], each
/// process group's shares adding up to 1, receipts counted by processes equal to the
/// deliveries counted on channels, the run's end-to-end figures over its chains' ends only.
inline void check_figures(const model::Model& model, const report::Summary& summary) {
  auto fraction = [](double f) {
    CHECK(f >= 0);
    CHECK(f <= 1);
  };
  fraction(summary.blocked_fraction());
  CHECK(summary.sends_blocked <= summary.sent);
  std::uint64_t chain_ends = 0;
  for (std::size_t c = 0; c < summary.channels.size(); ++c) {
    const report::ChannelSummary& channel = summary.channels[c];
    INFO("channel " << channel.name);
    fraction(channel.blocked_fraction());
    for (const report::Percentiles* d : {&channel.latency, &channel.send_block, &channel.response, &channel.end_to_end})
      check_ordered(*d);
    CHECK(channel.end_to_end.count <= channel.delivered);
    if (model.chain_end.at(c)) chain_ends += channel.end_to_end.count;
  }
  CHECK(summary.end_to_end.count == chain_ends);
  for (const report::Percentiles* d : {&summary.latency, &summary.send_block, &summary.response, &summary.end_to_end})
    check_ordered(*d);
  std::uint64_t receipts = 0;
  for (const report::ProcessSummary& p : summary.processes) {
    INFO("process " << p.name);
    receipts += p.messages_received;
    CHECK(p.messages_received <= p.receives);
    if (summary.sim_time <= 0) continue;
    double shares = 0;
    for (double share : {p.computing, p.sending, p.receiving, p.sleeping, p.dead, p.running}) {
      fraction(share);
      shares += share;
    }
    fraction(p.utilisation);
    CHECK(shares == Approx(1).margin(1e-9));
  }
  CHECK(receipts == summary.delivered);
}

inline void check_run_invariants(const model::Model& model, const model::SimulatedRun& out,
                                 const report::Summary& summary) {
  check_figures(model, summary);
  REQUIRE(out.result.channels.size() == model.scenario->channels.size());
  check_channel_totals(out.result);
  check_channel_records(model, out);
  check_message_records(out, summary);
  check_fifo_per_sender(out);
  check_occupancy(model, out);
  check_receive_records(out, summary);
  check_work_conservation(model, out);
}

}  // namespace ipcsim::test
