// Messages on their way: from a sender's host to its channel's buffer, carried by the sender
// itself or by a courier per (sender, channel), over SimGrid's network; a fault can cut a
// transfer short.
#include <simgrid/Exception.hpp>

#include "simulation_impl.hpp"

namespace ipcsim::sim {

// Sends the message from its sender's host to the channel's buffer; messages from one
// sender to one channel travel one after another, so each channel stays FIFO per sender.
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
  box.pending.push_back(id);
  if (box.busy) return false;
  box.busy = true;
  ++pending_activities_;
  if (box.courier_started) {
    deferred_.wake_courier(key);
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
      while (!box.pending.empty()) {
        MessageId id = box.pending.front();
        const MessageRecord record = ledger_.record(id);
        Reason failure =
            transfer(processes_[record.sender].host, channels_[record.channel].host, record.size, model::none);
        box.pending.pop_front();
        land(id, failure);
      }
      box.busy = false;
      --pending_activities_;
      check_deadlock();
      if (live_processes_ == 0) break;
      deferred_.acquire(*box.work);  // released by dispatch(), or when the last process ends
      if (box.pending.empty()) break;
    }
    box.courier_started = false;  // a process that starts again starts a new one
    flush();
  } catch (const StopRun&) {
  }
}

Reason Simulation::transfer_over_network(sg4::Host* from, sg4::Host* to, std::uint64_t bytes, ProcessId carrier) {
  ++out_.events;
  // Registered before any SimGrid call, so that a fault meanwhile finds it.
  Transfer t{from, to, carrier, nullptr, Reason::none, transfers_.size()};
  transfers_.push_back(&t);
  struct Unregister {
    std::vector<Transfer*>& all;
    Transfer& t;
    ~Unregister() {
      all.back()->slot = t.slot;
      all[t.slot] = all.back();
      all.pop_back();
    }
  } unregister{transfers_, t};
  flush();
  if (t.failure != Reason::none) return t.failure;
  t.comm = sg4::Comm::sendto_async(from, to, bytes);
  if (t.failure != Reason::none) t.comm->cancel();  // a fault came while it started
  try {
    deferred_.wait(*t.comm);
  } catch (const simgrid::NetworkFailureException&) {  // cancelled while under way
    if (t.failure == Reason::none) throw;              // only our faults cancel transfers
  } catch (const simgrid::CancelException&) {          // cancelled before it got going
    if (t.failure == Reason::none) throw;
  }
  return t.failure;
}

}  // namespace ipcsim::sim
