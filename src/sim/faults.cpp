// Fault events (docs/faults.md): hosts and links going down and up, processes killed.
// The fault actor puts the books right at once (waiting lists, buffers, transfers to fail);
// a killed process unwinds at its next step and gives up what it held itself (abandon()).
#include <algorithm>

#include "simulation_impl.hpp"

namespace ipcsim::sim {

void Simulation::run_faults() {
  try {
    while (next_fault_ < model_.faults.size()) {
      const model::Fault& fault = model_.faults[next_fault_];
      deferred_.sleep_until(fault.at.count());
      ++next_fault_;
      Cancels cancels;
      apply(fault, cancels);
      for (const sg4::ActivityPtr& activity : cancels) activity->cancel();
      flush();
    }
    --pending_activities_;
    check_deadlock();
    flush();
  } catch (const StopRun&) {
  }
}

void Simulation::apply(const model::Fault& fault, Cancels& cancels) {
  if (fault.kind != FaultKind::kill) {  // a kill is told by the process killed
    const model::EventKind kind = *parse_enum<model::EventKind>(to_string(fault.kind));  // spelt alike
    note(kind, model::none, model::none, no_message,
         fault.host != model::none ? std::string_view(model_.hosts[fault.host].name) : std::string_view(fault.link));
  }
  switch (fault.kind) {
    case FaultKind::host_down:
      host_down(hosts_[fault.host], cancels);
      break;
    case FaultKind::host_up:
      host_up(hosts_[fault.host]);
      break;
    case FaultKind::link_down:
      link_down(fault.link, cancels);
      break;
    case FaultKind::link_up:
      down_links_.erase(fault.link);
      break;
    case FaultKind::kill:
      kill(processes_[fault.process], Reason::killed, cancels);
      break;
  }
}

// True when this call started the kill (the process was running and not dying already).
bool Simulation::kill(ProcessState& p, Reason reason, Cancels& cancels) {
  if (reason == Reason::killed) {
    p.restart_on_up = false;  // killed for good, even while its host is down
    if (p.awaiting_restart) deferred_.wake_process(p.id);
  }
  if (!p.alive || p.kill_reason != Reason::none) return false;
  p.kill_reason = reason;
  stop_waiting(p);               // at once, so that no partner picks a dying process
  deferred_.wake_process(p.id);  // ends a wait or an interruptible sleep
  if (p.computing) cancels.push_back(p.computing);
  for (Transfer* t : transfers_)
    if (t->carrier == p.id) fail_transfer(*t, reason, cancels);
  return true;
}

// Out of the waiting lists, and no longer counted as blocked.
void Simulation::stop_waiting(ProcessState& p) {
  Waiter& w = p.waiter;
  if (w.what == WaitFor::message || w.what == WaitFor::room || w.what == WaitFor::receiver) withdraw(p);
  if (w.counted_blocked) {
    w.counted_blocked = false;
    --blocked_processes_;
  }
}

void Simulation::fail_transfer(Transfer& t, Reason reason, Cancels& cancels) {
  if (t.failure != Reason::none) return;
  t.failure = reason;
  if (t.comm) cancels.push_back(t.comm);
}

void Simulation::host_down(sg4::Host* host, Cancels& cancels) {
  if (!down_hosts_.insert(host).second) return;
  for (ProcessState& p : processes_)
    if (p.host == host && kill(p, Reason::host_down, cancels)) p.restart_on_up = true;
  // The mailboxes its processes own go with them (their blocked senders are told)...
  for (ChannelId c = 0; c < channels_.size(); ++c) {
    const ProcessId owner = channels_[c].instance->owner;
    if (owner == model::none || processes_[owner].host != host || processes_[owner].kill_reason != Reason::host_down)
      continue;
    destroy(c, channels_[c].host == host ? Reason::host_down : Reason::owner_ended);
  }
  // ... and its other buffers lose what they hold. Each slot freed goes to a blocked
  // sender, whose message then fails to reach the host.
  for (ChannelState& ch : channels_)
    if (ch.host == host) lose_queued(ch, Reason::host_down, true);
  for (Transfer* t : transfers_)
    if (t->from == host || t->to == host) fail_transfer(*t, Reason::host_down, cancels);
}

void Simulation::host_up(sg4::Host* host) {
  if (down_hosts_.erase(host) == 0) return;
  for (ProcessState& p : processes_) {
    if (p.host != host || !p.awaiting_restart) continue;
    restart(p);  // live from now on, so that no deadlock is seen before it runs
    deferred_.wake_process(p.id);
  }
}

void Simulation::link_down(const std::string& link, Cancels& cancels) {
  if (!down_links_.insert(link).second) return;
  for (Transfer* t : transfers_)
    if (crosses(t->from, t->to, link)) fail_transfer(*t, Reason::link_down, cancels);
}

bool Simulation::crosses(const sg4::Host* from, const sg4::Host* to, const std::string& link) const {
  std::vector<sg4::Link*> route;
  double latency = 0;
  from->route_to(to, route, &latency);
  // A SPLITDUPLEX link of a platform file is two links, <id>_UP and <id>_DOWN.
  return std::any_of(route.begin(), route.end(), [&](const sg4::Link* l) {
    const std::string& name = l->get_name();
    return name == link || name == link + "_UP" || name == link + "_DOWN";
  });
}

Reason Simulation::route_failure_now(const sg4::Host* from, const sg4::Host* to) const {
  if (down_hosts_.count(from) || down_hosts_.count(to)) return Reason::host_down;
  if (down_links_.empty() || network_free(from, to)) return Reason::none;
  for (const std::string& link : down_links_)
    if (crosses(from, to, link)) return Reason::link_down;
  return Reason::none;
}

// What a killed process held when it died: its place in a waiting list, a buffer slot
// granted to it, the message it was sending (unless a buffer, a courier or a receiver has
// it already), the message it had taken but not yet received, a rendezvous message on its
// way to it.
void Simulation::abandon(ProcessState& p) {
  const Reason reason = p.kill_reason;
  Waiter& w = p.waiter;
  stop_waiting(p);
  if (w.what == WaitFor::message && w.matched && !w.got_message) ledger_.orphan_messages_bound_to(p.id, reason);
  w.what = WaitFor::nothing;
  if (p.receiving != no_message) {
    settle(p.receiving, reason);
    p.receiving = no_message;
  }
  if (p.sending != no_message) {
    const MessageId id = p.sending;
    if (!ledger_.state(id).dispatched) {
      ChannelState& ch = channels_[ledger_.record(id).channel];
      if (w.slot_granted && !ch.destroyed) {
        --ch.reserved;
        free_slot(ch);
      }
      settle(id, reason);
    }
    p.sending = no_message;
    ledger_.send_returned(id, now());  // the call ended with the process
  }
}

bool Simulation::restart_scheduled(const sg4::Host* host) const {
  for (std::size_t f = next_fault_; f < model_.faults.size(); ++f)
    if (model_.faults[f].kind == FaultKind::host_up && hosts_[model_.faults[f].host] == host) return true;
  return false;
}

// A process its host's crash killed waits for the host to come up (when a fault will bring
// it up), then starts its program again from the top. False: it stays ended.
bool Simulation::await_restart(ProcessState& p) {
  while (!p.alive) {
    if (!p.restart_on_up) return false;
    if (!down_hosts_.count(p.host)) {
      restart(p);
      break;
    }
    if (!restart_scheduled(p.host)) return false;
    p.awaiting_restart = true;
    deferred_.acquire(*p.waiter.semaphore);  // released by host_up, or a leftover of the kill: look again
  }
  p.waiter.semaphore = sg4::Semaphore::create(0);  // without leftover tokens
  return true;
}

// The books of a restart: the process is live again, with fresh state, and the mailboxes it
// owns exist again, empty.
void Simulation::restart(ProcessState& p) {
  p.awaiting_restart = false;
  p.alive = true;
  p.times.dead += now() - p.times.ended;
  p.times.ended = -1;
  ++live_processes_;
  p.kill_reason = Reason::none;
  p.restart_on_up = false;
  p.program = model::ProgramState{};
  sg4::SemaphorePtr semaphore = p.waiter.semaphore;  // the process may still wait on it
  p.waiter = Waiter{};
  p.waiter.semaphore = semaphore;
  for (ChannelId c : model_.mailboxes_of[p.id]) {
    ChannelState& ch = channels_[c];
    if (!ch.destroyed) continue;
    ch.destroyed = false;
    ++ch.generation;
    note(model::EventKind::mailbox_created, p.id, c);
  }
}

}  // namespace ipcsim::sim
