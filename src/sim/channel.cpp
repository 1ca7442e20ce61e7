// The semantics of DESIGN.md §1 on top of SimGrid: buffers, rendezvous, full policies,
// receiver policies and mailbox destruction. SimGrid supplies time, network transfers and
// blocking; which message goes where is decided here.
#include <tuple>

#include "model/channel_rules.hpp"
#include "simulation_impl.hpp"

namespace ipcsim::sim {

bool Simulation::send(ProcessState& p, ChannelId c, Bytes size, SendMode mode, Seconds timeout,
                      const model::Lineage& lineage) {
  p.waiter.reset();
  MessageId id = ledger_.open(p.id, c, size.count, now());
  ledger_.record(id).lineage = lineage;
  p.sending = id;
  pay(p, local_.send_overhead + local_.copy_time(size));
  ChannelState& ch = channels_[c];
  bool ok = false;
  if (ch.destroyed)
    settle(id, Reason::mailbox_destroyed);
  else if (ch.spec->capacity.rendezvous())
    ok = send_rendezvous(p, ch, id, mode, timeout);
  else if (has_room(ch))
    ok = send_into_buffer(p, ch, id, mode, false);
  else
    ok = send_to_full(p, ch, id, mode, timeout);
  p.sending = no_message;
  ledger_.send_returned(id, now());
  return ok;
}

bool Simulation::has_room(const ChannelState& ch) const {
  const scenario::Capacity& capacity = ch.spec->capacity;
  return capacity.unbounded() || ch.queue.size() + ch.reserved + ch.returning < *capacity.limit;
}

// Capacity 0: the message moves only when a receiver is there to take it.
bool Simulation::send_rendezvous(ProcessState& p, ChannelState& ch, MessageId id, SendMode mode, Seconds timeout) {
  if (!ch.waiting_receivers.empty()) {
    ledger_.state(id).bound_receiver = pick_receiver(ch);
    return send_on_its_way(p, *ch.spec, id, mode);
  }
  const model::NoRoom no_room = model::when_no_room(*ch.spec, mode, false);
  if (no_room.action != model::NoRoom::Action::wait) {
    settle(id, no_room.reason);
    return false;
  }
  // Woken when a receiver has taken the message.
  return wait_as_sender(p, ch, id, WaitFor::receiver, mode, timeout);
}

// A sender with nowhere to put its message queues behind earlier blocked senders (a timed
// one for at most `timeout`). True when it was woken by a partner, false when it failed
// (timeout, mailbox gone).
bool Simulation::wait_as_sender(ProcessState& p, ChannelState& ch, MessageId id, WaitFor what, SendMode mode,
                                Seconds timeout) {
  p.waiter.message = id;
  ledger_.record(id).send_blocked = true;
  ch.waiting_senders.push_back(p.id);
  auto limit = mode == SendMode::timeout ? std::optional{timeout} : std::nullopt;
  if (block(p, what, id_of(ch), limit) == WaitResult::timed_out) {
    settle(id, model::gave_up);
    return false;
  }
  return p.waiter.failure == Reason::none;
}

bool Simulation::send_into_buffer(ProcessState& p, ChannelState& ch, MessageId id, SendMode mode, bool slot_reserved) {
  if (!slot_reserved) ++ch.reserved;
  return send_on_its_way(p, *ch.spec, id, mode);
}

bool Simulation::send_to_full(ProcessState& p, ChannelState& ch, MessageId id, SendMode mode, Seconds timeout) {
  const model::NoRoom no_room = model::when_no_room(*ch.spec, mode, !ch.queue.empty());
  switch (no_room.action) {
    case model::NoRoom::Action::fail:
      settle(id, no_room.reason);
      return false;
    case model::NoRoom::Action::drop_message:
      settle(id, no_room.reason);
      return true;
    case model::NoRoom::Action::evict_oldest: {
      MessageId oldest = *ch.queue.pop();
      count_occupancy(ch, -1);
      settle(oldest, no_room.reason);
      return send_into_buffer(p, ch, id, mode, false);
    }
    case model::NoRoom::Action::wait:
      break;
  }
  if (!wait_as_sender(p, ch, id, WaitFor::room, mode, timeout)) return false;
  return send_into_buffer(p, ch, id, mode, true);  // free_slot() reserved a slot for us
}

// Sends the message, which has room or a receiver, on its way, and returns when the send
// call does (model::send_returns).
bool Simulation::send_on_its_way(ProcessState& p, const scenario::ChannelSpec& spec, MessageId id, SendMode mode) {
  const model::SendReturns returns = model::send_returns(spec, mode);
  // A sender that waits for the message to get there carries it itself (dispatch).
  const bool carried = dispatch(id, returns != model::SendReturns::at_once ? &p : nullptr);
  if (returns == model::SendReturns::at_once) return true;
  return await_sender_outcome(p, id, returns == model::SendReturns::when_taken, carried);
}

// Waits until the message is accepted (in the buffer, or taken at a rendezvous) or, with
// `until_taken`, until a receiver has taken it. `carried`: the sender moved the message
// itself (dispatch), standing for a blocked wait.
bool Simulation::await_sender_outcome(ProcessState& p, MessageId id, bool until_taken, bool carried) {
  WaitFor need = until_taken ? WaitFor::taking : WaitFor::acceptance;
  bool done = need == WaitFor::taking ? ledger_.state(id).taken : ledger_.state(id).arrived;
  if (!done && ledger_.record(id).outcome == Outcome::pending) {
    p.waiter.message = id;
    block(p, need, ledger_.record(id).channel, std::nullopt);
    // A synchronous sender whose message sat in the buffer waited for a receiver.
    MessageRecord& record = ledger_.record(id);
    if (need == WaitFor::taking && record.taken > record.accepted) record.send_blocked = true;
  } else if (carried) {
    pay(p, local_.wakeup);  // what the wait it stood for would have cost
  }
  Outcome outcome = ledger_.record(id).outcome;
  return outcome == Outcome::pending || outcome == Outcome::delivered;
}

void Simulation::arrive(MessageId id) {
  MessageState& state = ledger_.state(id);
  MessageRecord& record = ledger_.record(id);
  ChannelState& ch = channels_[record.channel];
  state.arrived = true;
  if (state.bound_receiver != model::none) {
    if (state.orphaned != Reason::none) {
      settle(id, state.orphaned);
      return;
    }
    record.accepted = now();
    note(model::EventKind::accepted, record.sender, record.channel, id, "rendezvous");
    give(state.bound_receiver, id);
  } else {
    if (!still_there(ch, state)) {
      settle(id, ch.lost_reason);
      return;
    }
    --ch.reserved;
    record.accepted = now();
    note(model::EventKind::accepted, record.sender, record.channel, id, "buffer");
    if (!ch.waiting_receivers.empty()) {
      give(pick_receiver(ch), id);
      release_slot(ch, id);  // taken as it came: its slot is free again
    } else {
      ch.queue.push(id);
      count_occupancy(ch, +1);
    }
  }
  // A blocking sender returns now; so does a rendezvous sender, whose receiver has it.
  const Waiter& sender = processes_[record.sender].waiter;
  if ((sender.what == WaitFor::acceptance || sender.what == WaitFor::receiver) && sender.message == id)
    wake(record.sender);
}

// A message that never reached its channel: the slot promised to it is free again, and a
// receiver waiting for it at a rendezvous gets nothing.
void Simulation::lose_in_transit(MessageId id, Reason reason) {
  const MessageState& state = ledger_.state(id);
  ChannelState& ch = channels_[ledger_.record(id).channel];
  if (state.bound_receiver != model::none) {
    if (state.orphaned == Reason::none) {
      processes_[state.bound_receiver].waiter.failure = reason;
      wake(state.bound_receiver);
    }
  } else if (still_there(ch, state)) {
    --ch.reserved;
    free_slot(ch);
  }
  settle(id, reason);
}

void Simulation::give(ProcessId receiver, MessageId id) {
  processes_[receiver].receiving = id;
  Waiter& w = processes_[receiver].waiter;
  w.message = id;
  w.got_message = true;
  mark_taken(id);
  wake(receiver);
}

void Simulation::mark_taken(MessageId id) {
  ledger_.state(id).taken = true;
  MessageRecord& record = ledger_.record(id);
  record.taken = now();
  const Waiter& sender = processes_[record.sender].waiter;
  if (sender.what == WaitFor::taking && sender.message == id) wake(record.sender);
}

// A receiver took message `id` from the buffer: its slot is free again. In a sender buffer,
// once the acknowledgement has travelled back to the sender's host (one route latency), as
// a socket's window opens when the sender hears that the bytes were read.
void Simulation::release_slot(ChannelState& ch, MessageId id) {
  const double latency =
      ch.spec->sender_buffer ? route_latency(ch.host, processes_[ledger_.record(id).sender].host) : 0;
  if (latency <= 0) {
    free_slot(ch);
    return;
  }
  ++ch.returning;
  ++pending_activities_;
  const SlotReturn slot{now() + latency, slot_returns_made_++, id_of(ch), ch.generation};
  if (slot_returns_.empty() || slot.due < slot_returns_.top().due) deferred_.release(*slot_returned_);
  slot_returns_.push(slot);
}

// A message left a bounded buffer: the longest-waiting blocked sender gets the slot.
void Simulation::free_slot(ChannelState& ch) {
  if (ch.waiting_senders.empty()) return;
  ProcessId sender = ch.waiting_senders.front();
  ch.waiting_senders.pop_front();
  ++ch.reserved;
  processes_[sender].waiter.slot_granted = true;
  wake(sender);
}

ProcessId Simulation::pick_receiver(ChannelState& ch) {
  auto& waiting = ch.waiting_receivers;
  const std::size_t index = model::choose_receiver(ch.spec->receivers, waiting, ch.last_served, ch.rng);
  ProcessId receiver = waiting[index];
  if (index == 0)
    waiting.pop_front();
  else
    waiting.erase_at(index);
  ch.last_served = receiver;
  processes_[receiver].waiter.matched = true;
  return receiver;
}

// Ends a message as failed or lost; a sender still waiting on it learns of the failure.
void Simulation::settle(MessageId id, Reason reason) {
  const ProcessId sender = ledger_.record(id).sender;
  if (!ledger_.fail(id, reason, now())) return;
  Waiter& w = processes_[sender].waiter;
  if (w.message == id && (w.what == WaitFor::acceptance || w.what == WaitFor::taking || w.what == WaitFor::receiver)) {
    w.failure = reason;
    wake(sender);
  }
}

void Simulation::lose_queued(ChannelState& ch, Reason reason, bool hand_on_slots) {
  while (auto queued = ch.queue.pop()) {
    count_occupancy(ch, -1);
    settle(*queued, reason);
    if (hand_on_slots) free_slot(ch);
  }
}

void Simulation::destroy(ChannelId c, Reason lost_reason) {
  ChannelState& ch = channels_[c];
  if (ch.destroyed) return;
  ch.destroyed = true;
  ch.lost_reason = lost_reason;
  note(model::EventKind::mailbox_destroyed, model::none, c, no_message, to_string(lost_reason));
  ch.reserved = 0;                      // messages on their way here are lost when they arrive
  ch.returning = 0;                     // and acknowledgements on their way back count for nothing
  lose_queued(ch, lost_reason, false);  // its blocked senders fail below
  for (ProcessId s : ch.waiting_senders) {
    Waiter& w = processes_[s].waiter;
    settle(w.message, Reason::mailbox_destroyed);
    w.failure = Reason::mailbox_destroyed;
    wake(s);
  }
  ch.waiting_senders.clear();
  for (ProcessId r : ch.waiting_receivers) {
    processes_[r].waiter.failure = Reason::mailbox_destroyed;
    wake(r);
  }
  ch.waiting_receivers.clear();
}

model::Received Simulation::receive(ProcessState& p, ChannelId c, ReceiveMode mode, Seconds timeout) {
  p.waiter.reset();
  const double start = now();
  // Kept by index: the records may grow while this call waits.
  const std::size_t call = out_.receive_records.size();
  if (options_.keep_records) out_.receive_records.push_back(model::ReceiveRecord{p.id, c, start});
  note(model::EventKind::receive_call, p.id, c);
  ChannelState& ch = channels_[c];
  model::ReceiveResult result = model::ReceiveResult::unfinished;
  MessageId id = no_message;
  model::Received received;
  try {
    std::tie(result, id) = wait_for_message(p, ch, mode, timeout);
    if (result == model::ReceiveResult::message) {
      p.receiving = id;
      const std::uint64_t size = ledger_.record(id).size;
      if (Reason failure = transfer(ch.host, p.host, size, p.id); failure != Reason::none) {
        settle(id, failure);
        result = model::ReceiveResult::failed;
      } else {
        pay(p, local_.receive_overhead + local_.copy_time(Bytes{size}));
        // Read first: a delivered message's slot may be reused.
        const MessageRecord& record = ledger_.record(id);
        received = {record.sender, record.send_call, ledger_.counted_under(c), record.lineage};
        deliver(p, id);
      }
      p.receiving = no_message;
    }
  } catch (...) {  // the run stopped (maybe by this very delivery), or a fault killed the process
    ++ledger_.counts().receives(ledger_.counted_under(c)).calls;  // a call cut short: counted, without a wait
    const bool delivered = id != no_message && ledger_.record(id).outcome == Outcome::delivered;
    const model::ReceiveResult cut = delivered ? model::ReceiveResult::message : model::ReceiveResult::unfinished;
    note(model::EventKind::receive_return, p.id, c, delivered ? id : no_message, to_string(cut));
    if (options_.keep_records) out_.receive_records[call] = model::ReceiveRecord{p.id, c, start, now(), id, cut};
    throw;
  }
  ledger_.counts().receives(ledger_.counted_under(c)).add(result, now() - start);
  note(model::EventKind::receive_return, p.id, c, result == model::ReceiveResult::message ? id : no_message,
       to_string(result));
  if (options_.keep_records) out_.receive_records[call] = model::ReceiveRecord{p.id, c, start, now(), id, result};
  return received;
}

std::pair<model::ReceiveResult, MessageId> Simulation::wait_for_message(ProcessState& p, ChannelState& ch,
                                                                        ReceiveMode mode, Seconds timeout) {
  ChannelId c = id_of(ch);
  if (auto queued = ch.queue.pop()) {
    MessageId id = *queued;
    count_occupancy(ch, -1);
    release_slot(ch, id);
    mark_taken(id);
    return {model::ReceiveResult::message, id};
  }
  if (ch.spec->capacity.rendezvous() && !ch.waiting_senders.empty()) {
    ProcessId sender = ch.waiting_senders.front();
    ch.waiting_senders.pop_front();
    Waiter& s = processes_[sender].waiter;
    s.matched = true;
    ledger_.state(s.message).bound_receiver = p.id;
    p.waiter.matched = true;
    const MessageId id = s.message;
    bool carried = dispatch(id, &p);  // give() hands it to us, now or when the transfer ends
    if (!p.waiter.got_message && ledger_.record(id).outcome == Outcome::pending)
      block(p, WaitFor::message, c, std::nullopt);
    else if (carried && p.waiter.got_message)
      pay(p, local_.wakeup);  // what the wait it stood for would have cost
    if (!p.waiter.got_message) return {model::ReceiveResult::failed, no_message};  // lost on the way (a fault)
    return {model::ReceiveResult::message, p.waiter.message};
  }
  if (ch.destroyed) return {model::ReceiveResult::failed, no_message};
  if (mode == ReceiveMode::nonblocking) return {model::ReceiveResult::empty, no_message};
  ch.waiting_receivers.push_back(p.id);
  auto limit = mode == ReceiveMode::timeout ? std::optional{timeout} : std::nullopt;
  if (block(p, WaitFor::message, c, limit) == WaitResult::timed_out)
    return {model::ReceiveResult::timed_out, no_message};
  if (!p.waiter.got_message) return {model::ReceiveResult::failed, no_message};
  return {model::ReceiveResult::message, p.waiter.message};
}

void Simulation::deliver(ProcessState& p, MessageId id) {
  if (stopped_) throw StopRun{};                     // the run ended while this receiver was finishing
  const MessageRecord& record = ledger_.record(id);  // read first: a delivered message's slot may be reused
  const ChannelId c = record.channel;
  series_.delivered(model_.channels[c].spec, now(), record.size);
  ledger_.deliver(id, p.id, now());
  ++delivered_;
  if (!model_.counts_toward_stop(c)) return;
  // The receive that took the last message returns it (its process counts the receipt, as
  // the events say); that process's next step ends.
  const auto& stop_after = model_.scenario->stop.messages;
  if (stop_after && ++deliveries_toward_stop_ >= *stop_after) halt(StopReason::messages);
}

namespace {

// Adds `delta` to a queue that held `queued` messages since `since`, keeping its time-weighted area.
void change_queue(model::Occupancy& occupancy, std::uint64_t& queued, double& since, int delta, double now) {
  occupancy.area += static_cast<double>(queued) * (now - since);
  since = now;
  queued = static_cast<std::uint64_t>(static_cast<std::int64_t>(queued) + delta);
  occupancy.max = std::max(occupancy.max, queued);
}

}  // namespace

void Simulation::count_occupancy(const ChannelState& ch, int delta) {
  const std::uint32_t spec = ch.instance->spec;
  // The series learns each length when it ends (and the last at the run's end), the bins it spans included.
  series_.held(spec, queued_per_spec_[spec], occupancy_since_[spec], now());
  change_queue(out_.occupancy[spec], queued_per_spec_[spec], occupancy_since_[spec], delta, now());
  if (!out_.instance_occupancy.empty()) {
    const ChannelId c = id_of(ch);
    change_queue(out_.instance_occupancy[c], queued_per_instance_[c], instance_since_[c], delta, now());
  }
}

}  // namespace ipcsim::sim
