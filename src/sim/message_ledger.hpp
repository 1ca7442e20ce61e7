#pragma once
// The simulation's book of messages, without SimGrid: each message's record and live state
// by id, its end (delivered, failed or lost, once), its counting in its channel's statistics,
// and the end-of-run accounting of those still under way. Ended messages are counted as soon as
// their send call has returned too, and, unless every record is kept, their ids reused: the
// book holds only the messages alive at once.
#include <cstdint>
#include <vector>

#include "model/events.hpp"
#include "model/run_result.hpp"

namespace ipcsim::sim {

using model::MessageId;
using model::MessageRecord;
using model::ProcessId;

/// Per message, beside its record: the live state the channel logic needs.
struct MessageState {
  ProcessId bound_receiver = model::none;  // rendezvous partner chosen before arrival
  bool dispatched = false;                 // on its way to the buffer or the bound receiver
  bool arrived = false;
  bool taken = false;
  bool retired = false;            // counted in the statistics; its id may serve a new message
  std::uint32_t generation = 0;    // of its channel when it was sent on its way
  Reason orphaned = Reason::none;  // its bound receiver was killed (with this reason) meanwhile
  std::uint64_t number = 0;        // in send-call order, from 0: the events' message number
};

class MessageLedger {
 public:
  /// `counted_under[c]`: the entry of counts() (below `entries`) where channel instance c's
  /// messages are counted: its declared channel, or itself for per-instance figures.
  /// `events`, when given, hears of each send call and return and of each failed or lost message.
  MessageLedger(std::size_t entries, std::vector<std::uint32_t> counted_under, bool keep_records,
                model::EventSink* events = nullptr)
      : keep_records_(keep_records), events_(events), counted_under_(std::move(counted_under)), counts_(entries) {}

  /// A message whose send was just called. References to records and states stay valid only
  /// until the next open().
  MessageId open(ProcessId sender, model::ChannelId channel, std::uint64_t size, double now);
  MessageRecord& record(MessageId id) { return records_[id]; }
  const MessageRecord& record(MessageId id) const { return records_[id]; }
  MessageState& state(MessageId id) { return states_[id]; }

  /// Ends a pending message as failed or lost for `reason`; false if it had ended already.
  bool fail(MessageId id, Reason reason, double now);
  /// Ends it delivered to `receiver`.
  void deliver(MessageId id, ProcessId receiver, double now);
  /// Its send call returned.
  void send_returned(MessageId id, double now);

  /// Marks `bound_receiver`'s messages still on their way to it as orphaned with `reason`.
  void orphan_messages_bound_to(ProcessId receiver, Reason reason);

  /// The run stopped at `end`: messages still under way end here (blocked, queued or in
  /// transit at the end), and every message is counted in counts().
  void close(double end);

  /// Every message's record, in send-call order (with keep_records).
  std::vector<MessageRecord> take_records() { return std::move(records_); }

  std::uint64_t live() const { return records_.size() - free_ids_.size(); }
  std::uint64_t ever_held() const { return records_.size(); }
  /// Bytes that the next growth of the book's arrays would add, if it comes within `within` messages.
  std::uint64_t growth_bytes(std::uint64_t within) const;

  /// The counts of the messages retired so far (every message, after close()), by declared
  /// channel (or instance); the simulation counts its receive calls there too.
  model::ChannelCounts& counts() { return counts_; }
  std::uint64_t sent() const { return sent_; }
  /// Where channel instance `channel`'s messages are counted, or `none` for none.
  std::uint32_t counted_under(model::ChannelId channel) const {
    return channel == model::none ? model::none : counted_under_[channel];
  }

 private:
  void retire_if_done(MessageId id);
  void note(double now, model::EventKind kind, MessageId id, std::string_view detail, double amount = -1);
  void note_end(double now, MessageId id);  // failed or lost, as its record says
  void retire(MessageId id);

  bool keep_records_;
  model::EventSink* events_;
  std::vector<std::uint32_t> counted_under_;
  std::vector<MessageRecord> records_;
  std::vector<MessageState> states_;
  std::vector<MessageId> free_ids_;
  model::ChannelCounts counts_;
  std::uint64_t sent_ = 0;
};

}  // namespace ipcsim::sim
