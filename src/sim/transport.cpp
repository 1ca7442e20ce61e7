// Messages on their way: from a sender's host to its channel's buffer, carried by the sender
// itself or landed in order by a courier per (sender, channel), over SimGrid's network; a
// fault can cut a transfer short.
#include <simgrid/Exception.hpp>

#include "simulation_impl.hpp"

namespace ipcsim::sim {

// Sends the message from its sender's host to the channel's buffer. Messages from one
// sender to one channel travel at once and land in the order sent (Outbox).
bool Simulation::dispatch(MessageId id, ProcessState* carrier) {
  const MessageRecord& record = ledger_.record(id);
  ledger_.state(id).dispatched = true;
  ledger_.state(id).generation = channels_[record.channel].generation;
  sg4::Host* from = processes_[record.sender].host;
  sg4::Host* to = channels_[record.channel].host;
  if (network_free(from, to)) {
    land(id, route_failure(from, to));
    return false;
  }
  std::uint64_t key = (static_cast<std::uint64_t>(record.sender) << 32) | record.channel;
  auto existing = outboxes_.find(key);
  if (carrier && (existing == outboxes_.end() || !existing->second.busy)) {
    // The caller would only wait for the courier: it carries the message itself, which
    // saves the courier's wake-up. Nothing else from this sender is on the way, so the
    // channel stays FIFO per sender.
    land(id, transfer(from, to, record.size, carrier->id));
    return true;
  }
  Outbox& box = existing != outboxes_.end() ? existing->second : outboxes_[key];
  Transfer& t =
      box.in_flight.emplace_back(Outbox::InFlight{id, Transfer{from, to, record.size, model::none, nullptr}}).transfer;
  track(t);
  ++out_.events;
  t.failure = route_failure(from, to);
  deferred_.start_transfer(t);
  if (box.busy) return false;
  box.busy = true;
  ++pending_activities_;
  if (box.courier_started) {
    deferred_.release(*box.work);
  } else {
    box.courier_started = true;
    box.work = sg4::Semaphore::create(0);
    deferred_.start_courier(key);
  }
  return false;
}

void Simulation::land(MessageId id, Reason failure) {
  if (failure == Reason::none)
    arrive(id);
  else
    lose_in_transit(id, failure);
}

void Simulation::run_courier(std::uint64_t key) {
  try {
    Outbox& box = outboxes_[key];  // element references survive rehashing
    for (;;) {
      while (!box.in_flight.empty()) {
        Outbox::InFlight& next = box.in_flight.front();
        // Its sender starts it in the same instant; another actor may run first.
        while (!next.transfer.started) deferred_.yield();
        const Reason failure = await(next.transfer);
        const MessageId id = next.message;
        untrack(next.transfer);
        box.in_flight.pop_front();
        land(id, failure);
      }
      box.busy = false;
      --pending_activities_;
      check_deadlock();
      if (live_processes_ == 0) break;
      deferred_.acquire(*box.work);  // released by dispatch(), or when the last process ends
      if (box.in_flight.empty()) break;
    }
    box.courier_started = false;  // a process that starts again starts a new one
    flush();
  } catch (const StopRun&) {
  }
}

// A daemon, started with the run when a channel has a sender buffer: it frees each returned
// slot when its acknowledgement arrives.
void Simulation::run_slot_returns() {
  try {
    for (;;) {
      while (!slot_returns_.empty() && slot_returns_.top().due <= now()) {
        const SlotReturn slot = slot_returns_.top();
        slot_returns_.pop();
        --pending_activities_;
        ChannelState& ch = channels_[slot.channel];
        if (!ch.destroyed && slot.generation == ch.generation) {
          --ch.returning;
          free_slot(ch);
        }
      }
      check_deadlock();
      if (slot_returns_.empty())
        deferred_.acquire(*slot_returned_);
      else
        deferred_.acquire_timeout(*slot_returned_, slot_returns_.top().due - now());
    }
  } catch (const StopRun&) {
  }
}

double Simulation::route_latency(const sg4::Host* from, const sg4::Host* to) const {
  if (network_free(from, to)) return 0;
  std::vector<sg4::Link*> route;
  double latency = 0;
  from->route_to(to, route, &latency);
  return latency;
}

void Simulation::track(Transfer& t) {
  t.slot = transfers_.size();
  transfers_.push_back(&t);
}

void Simulation::untrack(const Transfer& t) {
  transfers_.back()->slot = t.slot;
  transfers_[t.slot] = transfers_.back();
  transfers_.pop_back();
}

Reason Simulation::await(Transfer& t) {
  if (!t.comm) return t.failure;
  try {
    deferred_.wait(*t.comm);
  } catch (const simgrid::NetworkFailureException&) {  // cancelled while under way
    if (t.failure == Reason::none) throw;              // only our faults cancel transfers
  } catch (const simgrid::CancelException&) {          // cancelled before it got going
    if (t.failure == Reason::none) throw;
  }
  return t.failure;
}

Reason Simulation::transfer_over_network(sg4::Host* from, sg4::Host* to, std::uint64_t bytes, ProcessId carrier) {
  ++out_.events;
  // Registered before any SimGrid call, so that a fault meanwhile finds it.
  Transfer t{from, to, bytes, carrier, nullptr};
  track(t);
  struct Untrack {
    Simulation& sim;
    const Transfer& t;
    ~Untrack() { sim.untrack(t); }
  } untrack_at_exit{*this, t};
  flush();
  t.start();
  return await(t);
}

}  // namespace ipcsim::sim
