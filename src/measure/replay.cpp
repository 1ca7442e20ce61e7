#include "replay.hpp"

#include <fmt/format.h>
#include <sys/prctl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <queue>
#include <set>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "channel.hpp"
#include "core/futex.hpp"
#include "core/layout.hpp"
#include "model/channel_rules.hpp"
#include "model/program.hpp"
#include "model/waits.hpp"

namespace ipcsim::measure {
namespace {

using model::ChannelId;
using model::ProcessId;
using WallSeconds = std::chrono::duration<double>;

double seconds(Clock::duration d) { return WallSeconds(d).count(); }
Clock::duration duration_of(Seconds s) { return std::chrono::duration_cast<Clock::duration>(WallSeconds(s.count())); }

using model::WaitFor;

struct alignas(core::false_sharing_span) Process {
  Process(std::size_t declared_channels, std::atomic<std::uint64_t>& event_bytes)
      : tally(declared_channels), events(event_bytes) {}
  ProcessId id = model::none;
  scenario::Rng rng;
  model::ProgramState program;
  model::ProcessTimes times;
  Tally tally;
  EventLog events;                              // kept when tally.events points to it
  std::vector<std::byte> scratch;               // the process's own memory that payloads are copied from and to
  std::atomic<std::uint32_t> message_ended{0};  // synchronous sends wait on it
  // Read by the watchdog thread: what the process waits for without a timeout (a timed wait
  // ends by itself: nothing), and how many steps it made.
  std::atomic<WaitFor> waiting{WaitFor::nothing};
  std::atomic<ChannelId> waiting_on{model::none};
  std::atomic<std::uint64_t> steps{0};
  std::atomic<bool> running{true};
  Clock::time_point ended_at;  // written by the process's thread, read after it is joined
};

class Replay {
 public:
  Replay(const model::Model& model, const Options& options);
  model::MeasuredRun run();

 private:
  class ProcessSteps;
  void run_program(Process& p);
  Message new_message(Process& p, ChannelId c, std::uint64_t size);
  void send(Process& p, ChannelId c, std::uint64_t size, SendMode mode, Seconds timeout, const model::Lineage& lineage);
  void fail_send(Process& p, std::uint64_t size, Reason reason);
  model::Received receive(Process& p, ChannelId c, ReceiveMode mode, Seconds timeout);
  void wait_until_ended(Process& p);
  void destroy(ChannelId c, Reason reason, Tally& tally);
  void spin_until(Clock::time_point end) const;
  void sleep_until(Clock::time_point end);
  void stop(model::StopReason reason);
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
  /// Seconds since the start, held at the stop once the run has stopped: what a step goes on
  /// doing until its thread sees the stop is not the run's time.
  double run_time() const {
    const double now = seconds(Clock::now() - started_);
    const Clock::rep stopped_at = stopped_at_.load(std::memory_order_relaxed);  // 0 until stop() stores it
    return stopping() && stopped_at != 0 ? std::min(now, seconds(Clock::duration(stopped_at))) : now;
  }
  void watch();
  std::string describe_deadlock() const;
  void fill_payload(Process& p, Message& m);
  void hand_over_events(double duration);

  const model::Model& model_;
  const Options& options_;
  std::vector<std::unique_ptr<Process>> processes_;
  std::vector<std::unique_ptr<Channel>> channels_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint32_t> stop_word_{0};  // sleepers wait on it, to wake at a stop
  std::atomic<model::StopReason> stop_reason_{model::StopReason::completed};
  std::atomic<std::uint64_t> delivered_{0};
  std::atomic<std::int64_t> live_bytes_{0};
  std::atomic<std::size_t> live_processes_{0};
  std::atomic<std::uint64_t> next_message_{0};  // message numbers, in send-call order
  std::atomic<std::uint64_t> event_bytes_{0};   // what the threads' event logs take
  EventLog main_events_{event_bytes_};
  Clock::time_point started_;
  std::atomic<Clock::rep> stopped_at_{0};  // since started_
  Tally main_tally_;                       // messages ended by the main thread (deletions, final drain)
  std::string deadlock_;
};

Replay::Replay(const model::Model& model, const Options& options)
    : model_(model), options_(options), main_tally_(model.scenario->channels.size()) {
  const std::uint64_t seed = model.seed;
  for (ProcessId id = 0; id < model.processes.size(); ++id) {
    auto p = std::make_unique<Process>(model.scenario->channels.size(), event_bytes_);
    p->id = id;
    p->rng = scenario::make_rng(seed, id);
    p->tally.live_bytes = &live_bytes_;
    if (options.events) p->tally.events = &p->events;
    processes_.push_back(std::move(p));
  }
  for (ChannelId c = 0; c < model.channels.size(); ++c) {
    bool one_each = model.spec(c).addressing == Addressing::direct_symmetric;
    channels_.push_back(std::make_unique<Channel>(model.spec(c), one_each));
  }
  main_tally_.live_bytes = &live_bytes_;
  if (options.events) main_tally_.events = &main_events_;
}

void Replay::fill_payload(Process& p, Message& m) {
  if (m.size == 0) return;
  if (p.scratch.size() < m.size) p.scratch.resize(m.size, std::byte{0x5a});
  m.payload = std::make_unique_for_overwrite<std::byte[]>(m.size);
  std::memcpy(m.payload.get(), p.scratch.data(), m.size);
  auto live = live_bytes_.fetch_add(static_cast<std::int64_t>(m.size), std::memory_order_relaxed);
  if (options_.max_live_bytes && static_cast<std::uint64_t>(live) + m.size > options_.max_live_bytes)
    stop(model::StopReason::memory);
}

Message Replay::new_message(Process& p, ChannelId c, std::uint64_t size) {
  Message m;
  m.number = next_message_.fetch_add(1, std::memory_order_relaxed);
  m.sender = p.id;
  m.channel = c;
  m.declared_channel = c == model::none ? model::none : model_.channels[c].spec;
  m.size = size;
  m.send_call = Clock::now();
  ++p.tally.counts.messages(m.declared_channel).sent;
  p.tally.note(m.send_call, {.kind = model::EventKind::send_call,
                             .process = p.id,
                             .channel = c,
                             .message = m.number,
                             .amount = static_cast<double>(size)});
  fill_payload(p, m);
  return m;
}

model::RunEvent send_return(const Message& m, Reason reason) {
  return {.kind = model::EventKind::send_return,
          .process = m.sender,
          .channel = m.channel,
          .message = m.number,
          .detail = model::send_return_detail(reason)};
}

void Replay::send(Process& p, ChannelId c, std::uint64_t size, SendMode mode, Seconds timeout,
                  const model::Lineage& lineage) {
  Message m = new_message(p, c, size);
  m.lineage = lineage;
  // On one machine a message is in the buffer as the send puts it there: only a send that
  // returns when its message is taken waits beyond that.
  const bool synchronous = model::send_returns(model_.spec(c), mode) == model::SendReturns::when_taken;
  if (synchronous) {
    p.message_ended.store(0, std::memory_order_seq_cst);
    m.ended = &p.message_ended;
  }
  Deadline deadline;
  if (mode == SendMode::timeout) deadline = m.send_call + duration_of(timeout);
  p.waiting_on.store(c, std::memory_order_relaxed);
  const bool untimed = mode == SendMode::blocking || mode == SendMode::synchronous;
  const WaitFor what = model_.spec(c).capacity.rendezvous() ? WaitFor::receiver : WaitFor::room;
  p.waiting.store(untimed ? what : WaitFor::nothing, std::memory_order_relaxed);
  // A message the queue took is moved from: only its plain members (number, times) are read after.
  std::optional<Clock::time_point> blocked_at;
  const Reason reason = channels_[c]->send(m, mode, deadline, p.tally, p.tally.events ? &blocked_at : nullptr);
  p.waiting.store(WaitFor::nothing, std::memory_order_relaxed);
  auto about_m = [&](model::EventKind kind, std::string_view detail) {
    return model::RunEvent{.kind = kind, .process = p.id, .channel = c, .message = m.number, .detail = detail};
  };
  if (blocked_at) p.tally.note(*blocked_at, about_m(model::EventKind::blocked, to_string(what)));
  if (reason != Reason::none) {
    p.tally.end(m, reason, Clock::now());
  } else {
    const bool rendezvous = model_.spec(c).capacity.rendezvous();
    p.tally.note(Clock::now(), about_m(model::EventKind::accepted, rendezvous ? "rendezvous" : "buffer"));
    if (synchronous) {
      p.tally.note(Clock::now(), about_m(model::EventKind::blocked, to_string(WaitFor::taking)));
      wait_until_ended(p);
    }
  }
  const Clock::time_point end = Clock::now();
  p.tally.counts.messages(m.declared_channel).send_block.add(seconds(end - m.send_call));
  p.tally.note(end, send_return(m, reason));
}

void Replay::fail_send(Process& p, std::uint64_t size, Reason reason) {
  Message m = new_message(p, model::none, size);
  p.tally.end(m, reason, Clock::now());
  const Clock::time_point end = Clock::now();
  p.tally.counts.messages(model::none).send_block.add(seconds(end - m.send_call));
  p.tally.note(end, send_return(m, reason));
}

void Replay::wait_until_ended(Process& p) {
  p.waiting.store(WaitFor::taking, std::memory_order_relaxed);
  for (int spin = 0; p.message_ended.load(std::memory_order_acquire) == 0 && !stopping(); ++spin) {
    if (spin < 512) {
      core::cpu_relax();
    } else {
      // Slices, so that a stop is seen even if its wake-up raced with this wait.
      core::futex_wait(p.message_ended, 0, Clock::now() + std::chrono::milliseconds(20));
    }
  }
  p.waiting.store(WaitFor::nothing, std::memory_order_relaxed);
}

model::Received Replay::receive(Process& p, ChannelId c, ReceiveMode mode, Seconds timeout) {
  const Clock::time_point start = Clock::now();
  Deadline deadline;
  if (mode == ReceiveMode::timeout) deadline = start + duration_of(timeout);
  model::ReceiveResult why = model::ReceiveResult::message;
  p.tally.note(start, {.kind = model::EventKind::receive_call, .process = p.id, .channel = c});
  p.waiting_on.store(c, std::memory_order_relaxed);
  p.waiting.store(mode == ReceiveMode::blocking ? WaitFor::message : WaitFor::nothing, std::memory_order_relaxed);
  std::optional<Message> m = channels_[c]->receive(mode, deadline, why);
  p.waiting.store(WaitFor::nothing, std::memory_order_relaxed);
  Clock::time_point end = Clock::now();
  if (m) {
    if (m->size) {
      if (p.scratch.size() < m->size) p.scratch.resize(m->size);
      std::memcpy(p.scratch.data(), m->payload.get(), m->size);
      end = Clock::now();
    }
    p.tally.end(*m, Reason::none, end);
    const auto& limit = model_.scenario->stop.messages;
    if (limit && model_.counts_toward_stop(c) && delivered_.fetch_add(1, std::memory_order_relaxed) + 1 >= *limit)
      stop(model::StopReason::messages);
  }
  const model::ReceiveResult result = m ? model::ReceiveResult::message : why;
  p.tally.counts.receives(model_.channels[c].spec).add(result, seconds(end - start));
  p.tally.note(end, {.kind = model::EventKind::receive_return,
                     .process = p.id,
                     .channel = c,
                     .message = m ? m->number : model::no_event_message,
                     .detail = to_string(result)});
  if (!m) return {};
  return {m->sender, seconds(m->send_call.time_since_epoch()), m->declared_channel, m->lineage};
}

void Replay::destroy(ChannelId c, Reason reason, Tally& tally) {
  tally.note(Clock::now(), {.kind = model::EventKind::mailbox_destroyed, .channel = c, .detail = to_string(reason)});
  channels_[c]->close(reason);
  channels_[c]->drain(tally, Clock::now());
}

void Replay::spin_until(Clock::time_point end) const {
  while (Clock::now() < end && !stopping()) core::cpu_relax();
}

void Replay::sleep_until(Clock::time_point end) {
  constexpr auto spin_part = std::chrono::microseconds(20);
  if (end - Clock::now() > spin_part) core::futex_wait(stop_word_, 0, end - spin_part);  // returns early at a stop
  spin_until(end);
}

// The primitives the stepper calls, for one process (thread).
class Replay::ProcessSteps {
 public:
  ProcessSteps(Replay& replay, Process& p) : replay_(replay), p_(p) {}

  double now() const { return replay_.run_time(); }
  bool before_step() {
    p_.steps.fetch_add(1, std::memory_order_relaxed);
    return !replay_.stopping();
  }
  void send(ChannelId c, Bytes size, SendMode mode, Seconds timeout, const model::Lineage& lineage) {
    replay_.send(p_, c, size.count, mode, timeout, lineage);
  }
  void fail_send(Bytes size, Reason reason) { replay_.fail_send(p_, size.count, reason); }
  model::Received receive(ChannelId c, ReceiveMode mode, Seconds timeout) {
    return replay_.receive(p_, c, mode, timeout);
  }
  // Work takes a core: spin.
  void compute(Seconds duration) {
    const Clock::time_point start = Clock::now();
    note(start, model::EventKind::compute_start, duration);
    replay_.spin_until(start + duration_of(duration));
    note(Clock::now(), model::EventKind::compute_end);
  }
  void sleep(Seconds duration) {
    const Clock::time_point start = Clock::now();
    note(start, model::EventKind::sleep_start, duration);
    replay_.sleep_until(start + duration_of(duration));
    note(Clock::now(), model::EventKind::sleep_end);
  }
  void delete_mailbox(ChannelId c, Reason reason) { replay_.destroy(c, reason, p_.tally); }

 private:
  void note(Clock::time_point when, model::EventKind kind, Seconds amount = Seconds{-1}) {
    p_.tally.note(when, {.kind = kind, .process = p_.id, .amount = amount.count()});
  }
  Replay& replay_;
  Process& p_;
};

void Replay::run_program(Process& p) {
  ProcessSteps steps(*this, p);
  model::run_program(model_, p.id, p.program, p.rng, steps, p.times);
  if (stopping()) return;
  p.times.ended = steps.now();
  p.tally.note(Clock::now(), {.kind = model::EventKind::end, .process = p.id});
  model::delete_mailboxes_of(model_, p.id, [&](ChannelId c, Reason reason) { destroy(c, reason, p.tally); });
}

void Replay::stop(model::StopReason reason) {
  bool expected = false;
  if (!stopping_.compare_exchange_strong(expected, true, std::memory_order_seq_cst)) return;
  stopped_at_.store((Clock::now() - started_).count(), std::memory_order_relaxed);
  stop_reason_.store(reason, std::memory_order_relaxed);
  for (auto& channel : channels_) channel->close(Reason::queued_at_end);
  stop_word_.store(1, std::memory_order_seq_cst);
  core::futex_wake_all(stop_word_);
  for (auto& p : processes_) {
    p->message_ended.store(1, std::memory_order_seq_cst);
    core::futex_wake_all(p->message_ended);
  }
}

std::string Replay::describe_deadlock() const {
  std::string report;
  for (const auto& p : processes_) {
    const WaitFor what = p->waiting.load(std::memory_order_relaxed);
    if (!p->running.load(std::memory_order_acquire) || what == WaitFor::nothing) continue;
    const ChannelId c = p->waiting_on.load(std::memory_order_relaxed);
    // Everyone waits: a sender waiting for room has a full buffer in front of it.
    const std::uint64_t queued = model_.spec(c).capacity.limit.value_or(0);
    if (!report.empty()) report += "; ";
    report += model::describe_wait(model_.processes[p->id].name, what, model_.channels[c].name, queued);
  }
  return report;
}

// The main thread's loop: mailbox deletions, the stop conditions, and deadlock detection
// (every live thread in an untimed wait and no step made for a while).
void Replay::watch() {
  std::vector<std::pair<Clock::time_point, ChannelId>> deletions;
  for (ChannelId c = 0; c < model_.channels.size(); ++c)
    if (const auto& at = model_.spec(c).delete_at) deletions.emplace_back(started_ + duration_of(*at), c);
  std::sort(deletions.begin(), deletions.end());
  std::size_t next_deletion = 0;
  const auto& stop_time = model_.scenario->stop.time;
  std::uint64_t last_steps = 0;
  int quiet_checks = 0;
  constexpr auto tick = std::chrono::milliseconds(2);
  while (!stopping()) {
    Clock::time_point now = Clock::now();
    Clock::time_point wake = now + tick;
    while (next_deletion < deletions.size() && deletions[next_deletion].first <= now)
      destroy(deletions[next_deletion++].second, Reason::mailbox_deleted, main_tally_);
    if (next_deletion < deletions.size()) wake = std::min(wake, deletions[next_deletion].first);
    if (live_processes_.load(std::memory_order_acquire) == 0) break;
    if (stop_time) {
      Clock::time_point end = started_ + duration_of(*stop_time);
      if (now >= end) {
        stop(model::StopReason::time);
        break;
      }
      wake = std::min(wake, end);
    }
    if (options_.max_wall_seconds > 0 && seconds(now - started_) >= options_.max_wall_seconds) {
      stop(model::StopReason::max_wall);
      break;
    }
    if (options_.events && event_bytes_.load(std::memory_order_relaxed) >
                               (options_.max_live_bytes ? options_.max_live_bytes : max_event_bytes)) {
      stop(model::StopReason::memory);
      break;
    }
    if (options_.interrupted && options_.interrupted->load(std::memory_order_relaxed)) {
      stop(model::StopReason::interrupted);
      break;
    }
    std::uint64_t steps = 0;
    bool all_wait = true;
    for (const auto& p : processes_) {
      steps += p->steps.load(std::memory_order_relaxed);
      if (!p->running.load(std::memory_order_acquire)) continue;
      WaitFor w = p->waiting.load(std::memory_order_relaxed);
      if (w == WaitFor::nothing) all_wait = false;
    }
    quiet_checks = all_wait && steps == last_steps ? quiet_checks + 1 : 0;
    last_steps = steps;
    // Half a second with nobody able to move: long enough that a woken thread the
    // scheduler has not run yet (on a loaded machine) is not taken for a deadlock.
    if (quiet_checks >= 250) {
      deadlock_ = describe_deadlock();
      stop(model::StopReason::deadlock);
      break;
    }
    std::this_thread::sleep_until(wake);
  }
}

model::MeasuredRun Replay::run() {
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  threads.reserve(processes_.size());
  live_processes_.store(processes_.size());
  auto join_all = [&] {
    for (std::thread& t : threads) t.join();
  };
  for (auto& owned : processes_) {
    Process& p = *owned;
    try {
      threads.emplace_back([this, &p, &go] {
        prctl(PR_SET_TIMERSLACK, 1UL);  // sleeps end when asked, not up to 50 us later
        while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
        p.tally.note(Clock::now(), {.kind = model::EventKind::start, .process = p.id});
        run_program(p);
        p.ended_at = Clock::now();
        p.running.store(false, std::memory_order_release);
        live_processes_.fetch_sub(1, std::memory_order_acq_rel);
      });
    } catch (const std::system_error& e) {  // out of threads: let the started ones end at once
      stopping_.store(true);
      go.store(true, std::memory_order_release);
      join_all();
      throw std::runtime_error(fmt::format("measured mode: could not start thread {} of {}: {}", threads.size() + 1,
                                           processes_.size(), e.what()));
    }
  }
  prctl(PR_SET_TIMERSLACK, 1UL);
  started_ = Clock::now();
  go.store(true, std::memory_order_release);
  watch();
  join_all();
  Clock::time_point end = Clock::now();
  if (!stopping()) {  // every process ended: the run lasted until the last one did
    Clock::time_point last = started_;
    for (const auto& p : processes_) last = std::max(last, p->ended_at);
    stopped_at_.store((last - started_).count(), std::memory_order_relaxed);
  }
  for (auto& channel : channels_) channel->drain(main_tally_, end);

  model::MeasuredRun out;
  Tally total = std::move(main_tally_);
  for (const auto& p : processes_) total.merge(p->tally);
  std::move(total.counts).report_into(out.result, model_.chain_end);
  for (const auto& p : processes_) out.result.processes.push_back(p->times);
  out.result.duration = seconds(Clock::duration(stopped_at_.load()));
  out.result.stop_reason = stop_reason_.load();
  out.result.deadlock = deadlock_;
  out.threads = static_cast<unsigned>(processes_.size());
  out.cores = std::max(1u, std::thread::hardware_concurrency());
  if (options_.events) hand_over_events(out.result.duration);
  return out;
}

// Each thread's events in time order (a send notes its wait and acceptance once it returns),
// then all of them merged into one order, from the start, none after the run's end.
void Replay::hand_over_events(double duration) {
  std::vector<std::vector<model::RunEvent>*> logs{&main_events_.events()};
  for (const auto& p : processes_) logs.push_back(&p->events.events());
  const double start = seconds(started_.time_since_epoch());
  for (std::vector<model::RunEvent>* log : logs) {
    for (model::RunEvent& e : *log) e.time = std::clamp(e.time - start, 0.0, duration);
    std::stable_sort(log->begin(), log->end(), [](const auto& a, const auto& b) { return a.time < b.time; });
  }
  // The earliest next event of all logs, ties to the lower log: a heap of (time, log).
  using Next = std::pair<double, std::size_t>;
  std::priority_queue<Next, std::vector<Next>, std::greater<>> next;
  std::vector<std::size_t> at(logs.size(), 0);
  for (std::size_t k = 0; k < logs.size(); ++k)
    if (!logs[k]->empty()) next.emplace(logs[k]->front().time, k);
  options_.events->begin(model_);
  while (!next.empty()) {
    const std::size_t k = next.top().second;
    next.pop();
    options_.events->add((*logs[k])[at[k]]);
    if (++at[k] < logs[k]->size()) next.emplace((*logs[k])[at[k]].time, k);
  }
  options_.events->finish();
}

}  // namespace

std::string unmeasurable(const model::Model& model) {
  std::set<model::HostId> hosts;
  for (const model::ProcessInstance& p : model.processes) hosts.insert(p.host);
  for (const model::ChannelInstance& c : model.channels) hosts.insert(c.host);
  if (hosts.size() > 1)
    return fmt::format(
        "processes and channels on {} hosts: measured mode replays single-host scenarios only "
        "(cross-host channels are modeled only)",
        hosts.size());
  if (!model.faults.empty())
    return fmt::format("{} fault events: faults are simulated only (real threads are not killed)", model.faults.size());
  if (model.processes.size() > max_threads)
    return fmt::format("{} processes: measured mode runs one thread per process, at most {}", model.processes.size(),
                       max_threads);
  return {};
}

model::MeasuredRun replay(const model::Model& model, const Options& options) {
  model::MeasuredRun out = Replay(model, options).run();
  std::vector<std::string> notes;
  if (out.threads > out.cores)
    notes.push_back(
        fmt::format("{} threads on {} cores: threads take turns on a core, so hand-offs wait for a "
                    "time slice",
                    out.threads, out.cores));
  for (const scenario::ChannelSpec& spec : model.scenario->channels)
    if (spec.addressing == Addressing::mailbox && spec.receivers != ReceiverPolicy::fifo)
      notes.push_back(
          fmt::format("{}: receivers {} is modeled only; on threads whichever waiting receiver runs "
                      "first takes the message",
                      spec.name, to_string(spec.receivers)));
  for (const std::string& n : notes) out.note += (out.note.empty() ? "" : "; ") + n;
  return out;
}

}  // namespace ipcsim::measure
