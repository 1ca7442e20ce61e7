#include "counterexample.hpp"

#include <algorithm>
#include <deque>
#include <string_view>

#include "model/waits.hpp"

namespace ipcsim::verify {
namespace {

using model::ChannelId;
using model::EventKind;
using model::ProcessId;

const LineMeaning* meaning_at(const Promela& promela, std::size_t line) {
  return line >= 1 && line <= promela.lines.size() ? &promela.lines[line - 1] : nullptr;
}

// The messages of the counterexample as the program moves them.
class Messages {
 public:
  Messages(const model::Model& model, model::EventSink& sink)
      : model_(model), sink_(sink), queued_(model.channels.size()), last_step_(model.processes.size(), 0.0) {}

  void step(double time, ProcessId p, const LineMeaning& m) {
    // A receive is called as its process ends its step before: it waits from there.
    const double called = p == model::none ? time : last_step_[p];
    if (p != model::none) last_step_[p] = time;
    switch (m.act) {
      case Act::evict_put:
      case Act::put:
        put(time, p, m.channel, m.act == Act::evict_put);
        break;
      case Act::send_fails:
        send_fails(time, p, m.channel, m.reason);
        break;
      case Act::take:
      case Act::receive_none:
        receive(called, time, p, m);
        break;
      case Act::destroy:
        add({time, EventKind::mailbox_destroyed, model::none, m.channel, model::no_event_message, to_string(m.reason)});
        [[fallthrough]];
      case Act::lose_queued:
        for (std::uint64_t n : queued_[m.channel]) lose(time, m.channel, n, m.reason);
        queued_[m.channel].clear();
        break;
      case Act::killed:
        add({time, EventKind::killed, p, model::none, model::no_event_message, to_string(m.reason)});
        break;
      case Act::restarted:
        add({time, EventKind::restarted, p});
        for (ChannelId owned : model_.mailboxes_of[p]) add({time, EventKind::mailbox_created, p, owned});
        break;
      case Act::host_down:
      case Act::host_up:
        add({time, m.act == Act::host_down ? EventKind::host_down : EventKind::host_up, model::none, model::none,
             model::no_event_message, model_.hosts[m.host].name});
        break;
      case Act::none:
        break;
    }
  }

  // Where a process waits at the end: it called its step as it ended the one before, and at
  // `time`, the counterexample's end, it is blocked in it.
  void waits(double time, ProcessId p, const LineMeaning& m) {
    const double called = last_step_[p];
    if (m.act == Act::put) {
      const std::uint64_t n = send_call(called, p, m.channel);
      const bool rendezvous = model_.spec(m.channel).capacity.rendezvous();
      add({time, EventKind::blocked, p, m.channel, n,
           to_string(rendezvous ? model::WaitFor::receiver : model::WaitFor::room)});
    } else if (m.act == Act::take) {
      add({called, EventKind::receive_call, p, m.channel});
      add({time, EventKind::blocked, p, m.channel, model::no_event_message, to_string(model::WaitFor::message)});
    } else {
      add({time, EventKind::blocked, p, m.channel, model::no_event_message, to_string(model::WaitFor::taking)});
    }
  }

  void add(const model::RunEvent& event) { events_.push_back(event); }

  // In time order (a receive's call is written with its return, earlier), as the events file has them.
  void hand_over() {
    std::stable_sort(events_.begin(), events_.end(), [](const auto& a, const auto& b) { return a.time < b.time; });
    for (const model::RunEvent& event : events_) sink_.add(event);
  }

 private:
  // A message goes in (drop-oldest: the oldest is lost first).
  void put(double time, ProcessId p, ChannelId c, bool evict) {
    if (evict && !queued_[c].empty()) {
      lose(time, c, queued_[c].front(), Reason::dropped_oldest);
      queued_[c].pop_front();
    }
    const std::uint64_t n = send_call(time, p, c);
    add({time, EventKind::accepted, p, c, n, model_.spec(c).capacity.rendezvous() ? "rendezvous" : "buffer"});
    add({time, EventKind::send_return, p, c, n, "ok"});
    queued_[c].push_back(n);
  }

  void send_fails(double time, ProcessId p, ChannelId c, Reason reason) {
    const std::uint64_t n = send_call(time, p, c);
    add({time, model::ending_of(reason), p, c, n, to_string(reason)});
    add({time, EventKind::send_return, p, c, n, model::send_return_detail(reason)});
  }

  // A receive called at `called` returns at `time`: the oldest message, or none and why.
  void receive(double called, double time, ProcessId p, const LineMeaning& m) {
    add({called, EventKind::receive_call, p, m.channel});
    if (m.act == Act::receive_none) {
      add({time, EventKind::receive_return, p, m.channel, model::no_event_message, to_string(m.outcome)});
      return;
    }
    std::uint64_t n = model::no_event_message;
    if (!queued_[m.channel].empty()) {
      n = queued_[m.channel].front();
      queued_[m.channel].pop_front();
    }
    add({time, EventKind::receive_return, p, m.channel, n, "message"});
  }

  std::uint64_t send_call(double time, ProcessId p, ChannelId c) {
    const std::uint64_t n = senders_.size();
    senders_.push_back(p);
    add({time, EventKind::send_call, p, c, n});
    return n;
  }
  void lose(double time, ChannelId c, std::uint64_t n, Reason reason) {
    add({time, EventKind::lost, senders_[n], c, n, to_string(reason)});
  }

  const model::Model& model_;
  model::EventSink& sink_;
  std::vector<std::deque<std::uint64_t>> queued_;
  std::vector<ProcessId> senders_;  // by message number
  std::vector<double> last_step_;   // by process: when its last step was
  std::vector<model::RunEvent> events_;
};

}  // namespace

ProcessId process_of(const model::Model& model, const std::string& proctype) {
  if (proctype.rfind('p', 0) != 0) return model::none;
  const auto p = static_cast<ProcessId>(std::stoul(proctype.substr(1)));
  return p < model.processes.size() ? p : model::none;
}

std::vector<Said> said_steps(const Promela& promela, const Verdict& verdict) {
  std::vector<Said> said;
  for (std::size_t k = 0; k < verdict.steps.size(); ++k) {
    const std::size_t line = verdict.steps[k];
    if (k > 0 && verdict.steps[k - 1] == line && verdict.step_proctypes[k - 1] == verdict.step_proctypes[k]) continue;
    const LineMeaning* meaning = meaning_at(promela, line);
    if (line == 0 || (meaning && (!meaning->says.empty() || meaning->act != Act::none)))
      said.push_back({verdict.step_proctypes[k], line});
  }
  return said;
}

void counterexample_events(const model::Model& model, const Promela& promela, const Verdict& verdict,
                           model::EventSink& sink) {
  sink.begin(model);
  Messages messages(model, sink);
  for (ProcessId p = 0; p < model.processes.size(); ++p) messages.add({0, EventKind::start, p});
  double time = 0;
  for (const Said& step : said_steps(promela, verdict)) {
    time += 1;
    const ProcessId p = process_of(model, step.proctype);
    if (step.line == 0) {
      if (p != model::none) messages.add({time, EventKind::end, p});
      continue;
    }
    messages.step(time, p, *meaning_at(promela, step.line));
  }
  time += 1;
  for (const Stuck& stuck : verdict.stuck)
    if (const LineMeaning* m = meaning_at(promela, stuck.line); m && process_of(model, stuck.proctype) != model::none)
      messages.waits(time, process_of(model, stuck.proctype), *m);
  messages.hand_over();
  sink.finish();
}

}  // namespace ipcsim::verify
