// The simulation's book of messages, on its own (no SimGrid): each message ends once, is
// counted once its send call has returned too, and the run's end accounts for the rest.
#include <catch2/catch.hpp>

#include "sim/message_ledger.hpp"

using namespace ipcsim;
using sim::MessageLedger;

namespace {
// Two declared channels: instances 0 and 2 are the first's, instance 1 the second's.
MessageLedger ledger_of_two_channels(bool keep_records) { return MessageLedger(2, {0, 1, 0}, keep_records); }
}  // namespace

TEST_CASE("ledger: a message ends once and is counted once both it has ended and its send returned") {
  MessageLedger ledger = ledger_of_two_channels(false);
  const model::MessageId id = ledger.open(0, 1, 100, 1.0);
  CHECK(ledger.counts().messages(1).sent == 1);
  CHECK(ledger.fail(id, Reason::full, 1.5));
  CHECK_FALSE(ledger.fail(id, Reason::timeout, 1.6));  // ended already: the first reason stays
  CHECK(ledger.record(id).reason == Reason::full);
  CHECK(ledger.record(id).ended == 1.5);
  CHECK(ledger.counts().messages(1).ended() == 0);  // its send call has not returned yet
  ledger.send_returned(id, 2.0);
  CHECK(ledger.counts().messages(1).count(Reason::full) == 1);
  CHECK(ledger.counts().messages(1).send_block.count == 1);
  CHECK(ledger.counts().messages(1).send_block.max == Approx(1.0));
  CHECK(ledger.live() == 0);
}

TEST_CASE("ledger: a delivered message counts its bytes and its latency from the send call") {
  MessageLedger ledger = ledger_of_two_channels(true);
  const model::MessageId id = ledger.open(0, 1, 100, 1.0);
  ledger.send_returned(id, 1.25);
  ledger.deliver(id, 7, 3.0);
  const model::MessageStats& stats = ledger.counts().messages(1);
  CHECK(stats.count(Reason::none) == 1);
  CHECK(stats.delivered_bytes == 100);
  CHECK(stats.latency.count == 1);
  CHECK(stats.latency.max == Approx(2.0));
  CHECK(ledger.record(id).receiver == 7);
  CHECK(ledger.record(id).received == 3.0);
  CHECK(ledger.record(id).ended == 3.0);
}

TEST_CASE("ledger: without kept records an ended message's id serves the next, with them never") {
  MessageLedger reused = ledger_of_two_channels(false);
  const model::MessageId first = reused.open(0, 1, 1, 0);
  reused.send_returned(first, 0);
  reused.fail(first, Reason::would_block, 0);
  CHECK(reused.open(0, 1, 1, 1) == first);
  CHECK(reused.record(first).outcome == Outcome::pending);  // a fresh record
  CHECK(reused.ever_held() == 1);

  MessageLedger kept = ledger_of_two_channels(true);
  const model::MessageId a = kept.open(0, 1, 1, 0);
  kept.send_returned(a, 0);
  kept.fail(a, Reason::would_block, 0);
  const model::MessageId b = kept.open(2, 1, 1, 1);
  CHECK(b != a);
  kept.close(5);
  const std::vector<model::MessageRecord> records = kept.take_records();
  REQUIRE(records.size() == 2);
  CHECK(records[0].reason == Reason::would_block);
  CHECK(records[1].sender == 2);
}

TEST_CASE("ledger: at the run's end, messages under way end for where they were, and all are counted") {
  MessageLedger ledger = ledger_of_two_channels(true);
  const model::MessageId blocked = ledger.open(0, 1, 1, 0);  // never sent on its way
  const model::MessageId travelling = ledger.open(0, 1, 1, 0);
  ledger.state(travelling).dispatched = true;
  const model::MessageId queued = ledger.open(0, 1, 1, 0);
  ledger.state(queued).dispatched = ledger.state(queued).arrived = true;
  ledger.send_returned(queued, 0);
  const model::MessageId being_received = ledger.open(0, 1, 1, 0);  // taken, its receive not done
  ledger.state(being_received).dispatched = ledger.state(being_received).arrived = true;
  ledger.state(being_received).taken = true;
  ledger.close(9.0);
  CHECK(ledger.record(blocked).reason == Reason::blocked_at_end);
  CHECK(ledger.record(travelling).reason == Reason::in_transit_at_end);
  CHECK(ledger.record(queued).reason == Reason::queued_at_end);
  CHECK(ledger.record(being_received).reason == Reason::in_transit_at_end);
  CHECK(ledger.record(blocked).ended == 9.0);
  CHECK(ledger.counts().messages(1).ended() == ledger.counts().messages(1).sent);
  CHECK(ledger.counts().messages(1).send_block.count == 1);  // only the send that returned
}

TEST_CASE("ledger: a killed receiver orphans only the messages still on their way to it") {
  MessageLedger ledger = ledger_of_two_channels(true);
  const model::MessageId on_the_way = ledger.open(0, 1, 1, 0);
  ledger.state(on_the_way).bound_receiver = 5;
  const model::MessageId arrived = ledger.open(0, 1, 1, 0);
  ledger.state(arrived).bound_receiver = 5;
  ledger.state(arrived).arrived = true;
  const model::MessageId someone_else = ledger.open(0, 1, 1, 0);
  ledger.state(someone_else).bound_receiver = 6;
  ledger.orphan_messages_bound_to(5, Reason::killed);
  CHECK(ledger.state(on_the_way).orphaned == Reason::killed);
  CHECK(ledger.state(arrived).orphaned == Reason::none);
  CHECK(ledger.state(someone_else).orphaned == Reason::none);
}

TEST_CASE("ledger: each message is counted in its declared channel, and the totals are their sum") {
  MessageLedger ledger = ledger_of_two_channels(false);
  const model::MessageId first = ledger.open(0, 0, 10, 0);            // the first declared channel
  const model::MessageId third = ledger.open(0, 2, 30, 0);            // the first too, another instance
  const model::MessageId second = ledger.open(0, 1, 20, 0);           // the second
  const model::MessageId reply = ledger.open(0, model::none, 40, 0);  // no channel back
  for (model::MessageId id : {first, third, second, reply}) ledger.send_returned(id, 1);
  ledger.deliver(first, 1, 2);
  ledger.deliver(third, 1, 4);
  ledger.deliver(second, 1, 8);
  ledger.fail(reply, Reason::no_reply_channel, 1);
  ledger.counts().receives(1).add(model::ReceiveResult::empty, 0);
  CHECK(ledger.sent() == 4);
  ledger.close(10);
  model::RunResult result;
  std::move(ledger.counts()).report_into(result, {true, true});
  REQUIRE(result.channels.size() == 2);
  CHECK(result.channels[0].messages.sent == 2);
  CHECK(result.channels[0].messages.delivered_bytes == 40);
  CHECK(result.channels[0].messages.latency.mean() == Approx(3.0));  // (2 + 4) / 2
  CHECK(result.channels[1].messages.sent == 1);
  CHECK(result.channels[1].messages.latency.mean() == Approx(8.0));
  CHECK(result.channels[1].receives.empty == 1);
  CHECK(result.messages.sent == 4);  // the channels' three and the reply that reached none
  CHECK(result.messages.count(Reason::none) == 3);
  CHECK(result.messages.count(Reason::no_reply_channel) == 1);
  CHECK(result.messages.latency.mean() == Approx(14.0 / 3));
  CHECK(result.receives.calls == 1);
}

TEST_CASE("a run's end-to-end figures are over chains' ends: a message to a stage that forwards it is not one") {
  model::ChannelCounts counts(2);
  const model::Lineage chain{.first_sent = 1.0};
  counts.delivered(0, chain, 1.3);  // to the middle stage, 0.3 s into the chain
  counts.delivered(1, chain, 1.8);  // to the last: the whole chain, 0.8 s
  model::RunResult result;
  std::move(counts).report_into(result, {false, true});
  CHECK(result.channels[0].messages.end_to_end.count == 1);  // each channel keeps its own
  CHECK(result.channels[0].messages.end_to_end.mean() == Approx(0.3));
  REQUIRE(result.messages.end_to_end.count == 1);
  CHECK(result.messages.end_to_end.mean() == Approx(0.8));  // pooled, it would be 0.55
}
