#include "message_ledger.hpp"

#include "memory_use.hpp"

namespace ipcsim::sim {

MessageId MessageLedger::open(ProcessId sender, model::ChannelId channel, std::uint64_t size, double now) {
  MessageRecord record;
  record.sender = sender;
  record.channel = channel;
  record.size = size;
  record.send_call = now;
  ++counts_.messages(counted_under(channel)).sent;
  MessageId id = 0;
  if (!free_ids_.empty()) {
    id = free_ids_.back();
    free_ids_.pop_back();
    records_[id] = record;
    states_[id] = MessageState{};
  } else {
    records_.push_back(record);
    states_.emplace_back();
    id = static_cast<MessageId>(records_.size() - 1);
  }
  states_[id].number = sent_++;
  note(now, model::EventKind::send_call, id, {}, static_cast<double>(size));
  return id;
}

void MessageLedger::note_end(double now, MessageId id) {
  const MessageRecord& record = records_[id];
  note(now, model::ending_of(record.reason), id, to_string(record.reason));
}

void MessageLedger::note(double now, model::EventKind kind, MessageId id, std::string_view detail, double amount) {
  if (!events_) return;
  const MessageRecord& record = records_[id];
  events_->add({now, kind, record.sender, record.channel, states_[id].number, detail, amount});
}

bool MessageLedger::fail(MessageId id, Reason reason, double now) {
  MessageRecord& record = records_[id];
  if (record.outcome != Outcome::pending) return false;
  record.outcome = outcome_of(reason);
  record.reason = reason;
  record.ended = now;
  note_end(now, id);
  retire_if_done(id);
  return true;
}

void MessageLedger::deliver(MessageId id, ProcessId receiver, double now) {
  MessageRecord& record = records_[id];
  record.receiver = receiver;
  record.received = record.ended = now;
  record.outcome = Outcome::delivered;
  retire_if_done(id);
}

void MessageLedger::send_returned(MessageId id, double now) {
  records_[id].send_return = now;
  // The sender learns of a failure, not of a loss.
  const MessageRecord& record = records_[id];
  note(now, model::EventKind::send_return, id, model::send_return_detail(record.reason));
  retire_if_done(id);
}

void MessageLedger::orphan_messages_bound_to(ProcessId receiver, Reason reason) {
  for (MessageState& state : states_)
    if (!state.retired && state.bound_receiver == receiver && !state.arrived) state.orphaned = reason;
}

// A message is done when it has ended and its send call has returned: nothing refers to it
// any more, so it is counted and, without keep_records, its id is reused.
void MessageLedger::retire_if_done(MessageId id) {
  const MessageRecord& record = records_[id];
  if (record.outcome != Outcome::pending && record.send_return >= 0 && !states_[id].retired) retire(id);
}

void MessageLedger::retire(MessageId id) {
  const MessageRecord& record = records_[id];
  model::MessageStats& stats = counts_.messages(counted_under(record.channel));
  stats.end(record.reason, record.size, record.received - record.send_call);
  if (record.send_return >= 0) stats.send_block.add(record.send_return - record.send_call);
  stats.sends_blocked += record.send_blocked;
  if (record.outcome == Outcome::delivered)
    counts_.delivered(counted_under(record.channel), record.lineage, record.received);
  states_[id].retired = true;
  if (!keep_records_) free_ids_.push_back(id);
}

void MessageLedger::close(double end) {
  for (MessageId id = 0; id < records_.size(); ++id) {
    const MessageState& state = states_[id];
    if (state.retired) continue;
    MessageRecord& record = records_[id];
    if (record.outcome == Outcome::pending) {
      const Reason reason = !state.dispatched                 ? Reason::blocked_at_end
                            : (state.arrived && !state.taken) ? Reason::queued_at_end
                                                              : Reason::in_transit_at_end;
      record.outcome = outcome_of(reason);
      record.reason = reason;
      record.ended = end;
      note_end(end, id);
    }
    retire(id);  // whether or not its send call returned
  }
}

std::uint64_t MessageLedger::growth_bytes(std::uint64_t within) const {
  return growth_within(records_, within) + growth_within(states_, within) + growth_within(free_ids_, within);
}

}  // namespace ipcsim::sim
