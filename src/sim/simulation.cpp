#include "simulation.hpp"

#include <xbt/log.h>
#include <simgrid/Exception.hpp>

// After xbt's headers: it uses their declaration macros.
#include <simgrid/version.h>

#include <malloc.h>

#include <fmt/format.h>
#include <algorithm>
#include <chrono>
#include <utility>

#include "base/sanitizers.hpp"
#include "platform.hpp"
#include "simulation_impl.hpp"

namespace ipcsim::sim {
namespace {

// Where the ledger counts each channel instance's messages: under its declared channel, or
// under itself for per-instance figures (folded into the declared channels' at the end).
std::vector<std::uint32_t> counted_under(const model::Model& model, bool per_instance) {
  std::vector<std::uint32_t> entries;
  entries.reserve(model.channels.size());
  for (ChannelId c = 0; c < model.channels.size(); ++c) entries.push_back(per_instance ? c : model.channels[c].spec);
  return entries;
}

}  // namespace

std::string simgrid_version() {
  int major = 0, minor = 0, patch = 0;
  sg_version_get(&major, &minor, &patch);
  return fmt::format("{}.{}.{}", major, minor, patch);
}

Simulation::Simulation(const model::Model& model, std::vector<sg4::Host*> hosts, const Options& options)
    : model_(model),
      local_(model.scenario->model.local),
      hosts_(std::move(hosts)),
      options_(options),
      started_(Clock::now()),
      last_look_(started_),
      last_progress_(started_),
      ledger_(options.per_instance ? model.channels.size() : model.scenario->channels.size(),
              counted_under(model, options.per_instance), options.keep_records, options.events),
      series_(options.series_step, model.scenario->channels.size(), options.series_max_bins),
      deferred_(processes_, [this](std::uint64_t key) {
        deferred_.spawn("courier", processes_[key >> 32].host, [this, key] { run_courier(key); });
      }) {
  const std::uint64_t seed = model.seed;
  processes_.reserve(model.processes.size());
  for (ProcessId p = 0; p < model.processes.size(); ++p) {
    ProcessState& state = processes_.emplace_back(p, hosts_[model.processes[p].host], scenario::make_rng(seed, p));
    state.waiter.semaphore = sg4::Semaphore::create(0);
  }
  channels_.reserve(model.channels.size());
  for (ChannelId c = 0; c < model.channels.size(); ++c) {
    const model::ChannelInstance& instance = model.channels[c];
    ChannelState ch{&instance,
                    &model.spec(c),
                    hosts_[instance.host],
                    Buffer(model.spec(c).capacity),
                    0,
                    0,
                    {},
                    {},
                    false,
                    Reason::none,
                    model::none,
                    scenario::make_rng(seed, (std::uint64_t{1} << 40) + c)};
    channels_.push_back(std::move(ch));
  }
  for (const model::Fault& fault : model.faults) {
    if (fault.kind == FaultKind::kill) processes_[fault.process].killable = true;
    if (fault.kind == FaultKind::host_down)
      for (ProcessState& p : processes_)
        if (p.host == hosts_[fault.host]) p.killable = true;
  }
  for (const model::ProcessInstance& p : model.processes)
    for (const model::Op& op : p.program)
      repeats_forever_ |= op.kind == model::Op::Kind::loop_begin && op.times == model::forever;
  if (options.events) options.events->begin(model);
  out_.occupancy.resize(model.scenario->channels.size());
  queued_per_spec_.resize(model.scenario->channels.size(), 0);
  occupancy_since_.resize(model.scenario->channels.size(), 0.0);
  if (options.per_instance) {
    out_.instance_occupancy.resize(model.channels.size());
    queued_per_instance_.resize(model.channels.size(), 0);
    instance_since_.resize(model.channels.size(), 0.0);
  }
}

void Simulation::start_process(ProcessState& p) {
  deferred_.spawn(model_.processes[p.id].name, p.host, [this, &p] {
    try {
      note(model::EventKind::start, p.id);
      for (;;) {
        try {
          run_program(p);
          note(model::EventKind::end, p.id);
          process_ended(p);
          break;
        } catch (const ProcessKilled&) {
          note(model::EventKind::killed, p.id, model::none, no_message, to_string(p.kill_reason));
          abandon(p);
          process_ended(p);
          if (!await_restart(p)) break;
          note(model::EventKind::restarted, p.id);
        }
      }
      flush();
    } catch (const StopRun&) {
    }
  });
}

void Simulation::start() {
  live_processes_ = processes_.size();
  for (ProcessState& p : processes_) start_process(p);
  if (!model_.faults.empty()) {
    // A daemon: faults after the last process ended do not stretch the run. Processes
    // waiting for their host to come up keep it going until then.
    ++pending_activities_;
    deferred_.spawn("faults", hosts_.front(), [this] { run_faults(); })->daemonize();
  }
  if (std::any_of(channels_.begin(), channels_.end(), [](const ChannelState& ch) { return ch.spec->sender_buffer; })) {
    slot_returned_ = sg4::Semaphore::create(0);
    deferred_.spawn("slot-returns", hosts_.front(), [this] { run_slot_returns(); })->daemonize();
  }
  for (ChannelId c = 0; c < channels_.size(); ++c) {
    const auto& delete_at = channels_[c].spec->delete_at;
    if (!delete_at) continue;
    ++pending_activities_;
    auto delete_mailbox = [this, c, delete_at] {
      try {
        deferred_.sleep_until(delete_at->count());
        destroy(c, Reason::mailbox_deleted);
        --pending_activities_;
        check_deadlock();
        flush();
      } catch (const StopRun&) {
      }
    };
    deferred_.spawn("delete-" + channels_[c].instance->name, channels_[c].host, delete_mailbox)->daemonize();
  }
  if (const auto& time = model_.scenario->stop.time) {
    auto stop_at_time = [this, t = time->count()] {
      try {
        deferred_.sleep_until(t);
        stop(StopReason::time);
      } catch (const StopRun&) {
      }
    };
    deferred_.spawn("stop-timer", hosts_.front(), stop_at_time)->daemonize();
  }
  // Our own detection stops a deadlock first; this catches any wait it does not know of.
  sg4::Engine::on_deadlock_cb([this] {
    deferred_.read_clock();
    if (stopped_) return;
    stopped_ = true;
    stop_time_ = now();
    out_.result.stop_reason = StopReason::deadlock;
    out_.result.deadlock = "SimGrid found every actor blocked";
  });
}

Simulation::WaitResult Simulation::block(ProcessState& p, WaitFor what, ChannelId c, std::optional<Seconds> timeout) {
  Waiter& w = p.waiter;
  w.what = what;
  w.channel = c;
  w.woken = false;
  const double deadline = timeout ? now() + timeout->count() : 0;
  auto count_blocked = [&] {
    if (w.counted_blocked) return;
    w.counted_blocked = true;
    ++blocked_processes_;
    check_deadlock();
  };
  if (!timeout) count_blocked();
  note(model::EventKind::blocked, p.id, c, what == WaitFor::message ? no_message : w.message, to_string(what));
  flush();
  for (;;) {
    bool timed_out = false;
    if (timeout && !w.matched)
      timed_out = deferred_.acquire_timeout(*w.semaphore, std::max(0.0, deadline - now()));
    else
      deferred_.acquire(*w.semaphore);
    checkpoint(p);  // a kill releases the semaphore too
    if (w.woken) {
      if (timed_out) deferred_.acquire(*w.semaphore);  // the wake-up came after the timer: take its token
      note(model::EventKind::woken, p.id, c);
      pay(p, local_.wakeup);
      return WaitResult::woken;
    }
    if (!w.matched) {
      withdraw(p);
      w.what = WaitFor::nothing;
      return WaitResult::timed_out;
    }
    count_blocked();  // a partner committed (a transfer is under way): wait it out
  }
}

void Simulation::wake(ProcessId id) {
  Waiter& w = processes_[id].waiter;
  if (w.what == WaitFor::nothing) return;  // the active party: it reads the outcome itself
  w.woken = true;
  w.what = WaitFor::nothing;
  if (w.counted_blocked) {
    w.counted_blocked = false;
    --blocked_processes_;
  }
  deferred_.wake_process(id);
}

void Simulation::withdraw(ProcessState& p) {
  ChannelState& ch = channels_[p.waiter.channel];
  auto& list = p.waiter.what == WaitFor::message ? ch.waiting_receivers : ch.waiting_senders;
  list.remove(p.id);
}

void Simulation::sleep(ProcessState& p, Seconds duration) {
  if (p.killable) {
    // A kill releases the semaphore, cutting the sleep short; plain sleeps are faster.
    deferred_.acquire_timeout(*p.waiter.semaphore, duration.count());
    checkpoint(p);
  } else {
    deferred_.sleep_for(duration.count());
  }
}

void Simulation::compute(ProcessState& p, Seconds duration) {
  // Work at the host's speed: processes sharing a core slow each other down.
  flush();
  checkpoint(p);
  note(model::EventKind::compute_start, p.id, model::none, no_message, {}, duration.count());
  p.computing = sg4::this_actor::exec_async(duration.count() * p.host->get_speed());
  if (p.kill_reason != Reason::none) p.computing->cancel();  // killed while it started
  try {
    deferred_.wait(*p.computing);
  } catch (const simgrid::CancelException&) {
  }
  p.computing = nullptr;
  checkpoint(p);
  note(model::EventKind::compute_end, p.id);
}

void Simulation::process_ended(ProcessState& p) {
  p.alive = false;
  p.times.ended = now();
  --live_processes_;
  model::delete_mailboxes_of(model_, p.id, [this](ChannelId c, Reason reason) { destroy(c, reason); });
  if (live_processes_ == 0) {
    // Idle couriers wait for work that can no longer come: let them end with the run.
    for (auto& [key, box] : outboxes_)
      if (box.courier_started && !box.busy) deferred_.release(*box.work);
  }
  check_deadlock();
}

void Simulation::check_deadlock() {
  if (stopped_ || live_processes_ == 0 || blocked_processes_ < live_processes_ || pending_activities_ > 0) return;
  std::string report = fmt::format("deadlock at t={:.9g}s:", now());
  for (const ProcessState& p : processes_)
    if (p.alive && p.waiter.counted_blocked) report += " " + describe_wait(p) + ";";
  report.pop_back();
  out_.result.deadlock = std::move(report);
  stop(StopReason::deadlock);
}

std::string Simulation::describe_wait(const ProcessState& p) const {
  const ChannelState& ch = channels_[p.waiter.channel];
  return model::describe_wait(model_.processes[p.id].name, p.waiter.what, ch.instance->name, ch.queue.size());
}

void Simulation::halt(StopReason reason) {
  if (stopped_) return;
  stopped_ = true;
  stop_time_ = now();
  out_.result.stop_reason = reason;
  deferred_.discard();
  sg4::Actor::kill_all();  // a SimGrid call: actors already running finish their step
}

void Simulation::stop(StopReason reason) {
  halt(reason);
  throw StopRun{};
}

// A loop that takes no simulated time (nonblocking sends failing at once, receives on a
// destroyed mailbox, sends to a host that is down, all at zero cost) would run forever at
// one instant, and no stop.time would ever come. Legitimate runs take at most a few million
// steps at one instant (on the ideal model everything happens at t=0).
void Simulation::check_stall() {
  if (now() != instant_) {
    instant_ = now();
    instant_events_ = out_.events;
    instant_delivered_ = delivered_;
    instant_toward_stop_ = deliveries_toward_stop_;
    return;
  }
  // Deliveries counting up to stop.messages will end it.
  const bool ends_by_messages = model_.scenario->stop.messages && deliveries_toward_stop_ > instant_toward_stop_;
  if (!repeats_forever_ || ends_by_messages || out_.events - instant_events_ < options_.max_steps_at_one_instant)
    return;
  out_.result.deadlock = fmt::format(
      "stalled at t={:.9g}s: {} steps without simulated time passing ({} messages delivered meanwhile): a loop "
      "that takes no time never ends; give it a sleep, a compute, a timeout or a model with costs",
      now(), out_.events - instant_events_, delivered_ - instant_delivered_);
  stop(StopReason::stalled);
}

// Stops before the budget is crossed rather than after. Between two looks at the memory a
// big array may double, holding the old and the new at once: the messages' arrays when they
// are nearly full, and any buffer's ring (whose queued messages bound its size). With a trace,
// ipcsim's own process will hold the records twice while it decodes them, and their CSV lines.
bool Simulation::memory_exhausted() const {
  if (!options_.max_resident_bytes && !options_.max_address_space_bytes) return false;
  const MemoryUse::Bytes used = memory_use_.now();
  const std::uint64_t live = ledger_.live();
  // A doubling copies the old array into new room twice its size: the copy touches as many
  // pages as the old array holds, the new room takes twice that of address space.
  const std::uint64_t doublings =
      ledger_.growth_bytes(events_between_looks) + growth_within(out_.receive_records, events_between_looks);
  const std::uint64_t buffers = (live + events_between_looks) * Buffer::growth_bytes_per_message;
  constexpr std::uint64_t trace_line_bytes = 128;
  const std::uint64_t for_the_trace = options_.keep_records
                                          ? options_.collector_resident_bytes +
                                                ledger_.ever_held() * (2 * sizeof(MessageRecord) + trace_line_bytes) +
                                                out_.receive_records.size() * 2 * sizeof(model::ReceiveRecord)
                                          : 0;
  const std::uint64_t resident_limit = options_.max_resident_bytes, space_limit = options_.max_address_space_bytes;
  return (resident_limit &&
          (used.resident + doublings + buffers >= resident_limit || for_the_trace >= resident_limit)) ||
         (space_limit && used.address_space + 2 * doublings + buffers >= space_limit);
}

void Simulation::watch_limits() {
  const Clock::time_point at = Clock::now();
  if ((out_.events & (events_between_looks - 1)) != 0 && at - last_look_ < look_interval) return;
  last_look_ = at;
  const double elapsed = std::chrono::duration<double>(at - started_).count();
  if (options_.max_wall_seconds > 0 && elapsed >= options_.max_wall_seconds) stop(StopReason::max_wall);
  if (options_.interrupted && options_.interrupted->load(std::memory_order_relaxed)) stop(StopReason::interrupted);
  if (memory_exhausted()) stop(StopReason::memory);
  check_stall();
  if (options_.on_progress &&
      std::chrono::duration<double>(at - last_progress_).count() >= options_.progress_interval_seconds) {
    last_progress_ = at;
    options_.on_progress(Progress{now(), ledger_.sent(), delivered_, elapsed});
  }
}

SimulatedRun Simulation::finish() {
  deferred_.read_clock();
  out_.result.duration = stopped_ ? stop_time_ : now();
  for (std::size_t s = 0; s < out_.occupancy.size(); ++s) {
    out_.occupancy[s].area += static_cast<double>(queued_per_spec_[s]) * (out_.result.duration - occupancy_since_[s]);
    series_.held(s, queued_per_spec_[s], occupancy_since_[s], out_.result.duration);
  }
  for (std::size_t c = 0; c < out_.instance_occupancy.size(); ++c)
    out_.instance_occupancy[c].area +=
        static_cast<double>(queued_per_instance_[c]) * (out_.result.duration - instance_since_[c]);
  out_.series = std::move(series_).take(out_.result.duration);
  // Messages still live when the run stopped end here, and are counted with the others.
  ledger_.close(out_.result.duration);
  std::move(ledger_.counts()).report_into(out_.result, model_.chain_end);
  if (options_.per_instance) {
    out_.result.channel_instances = std::move(out_.result.channels);
    out_.result.channels = model::by_declared_channel(model_, out_.result.channel_instances);
  }
  out_.result.processes.reserve(processes_.size());
  for (const ProcessState& p : processes_) out_.result.processes.push_back(p.times);
  if (options_.keep_records) out_.message_records = ledger_.take_records();
  if (options_.events) options_.events->finish();
  out_.wall_time = std::chrono::duration<double>(Clock::now() - started_).count();
  return std::move(out_);
}

// Raw contexts switch stacks fastest; sanitizers cannot follow such switches, so their
// builds run each simulated process on a thread instead.
constexpr const char* context_factory = sanitized_build ? "thread" : "raw";

// Many processes: a guard page per actor stack splits its mapping in two (Linux allows
// 65,530 mappings per process), and stacks 8 MiB apart need a page-table page each. Our
// actors run shallow code (the interpreter and SimGrid calls), so beyond 10,000 processes
// they get 256 KiB stacks side by side, without guard pages.
ActorStack actor_stack_for(std::size_t processes) {
  return processes > 10000 ? ActorStack{256, 0} : ActorStack{8192, 1};
}

SimulatedRun simulate(const model::Model& model, const Options& options) {
  // The context factory must be chosen on the command line SimGrid parses at start-up.
  std::string program_name = "ipcsim";
  std::string factory = std::string("--cfg=contexts/factory:") + context_factory;
  const ActorStack actor_stack = actor_stack_for(model.processes.size());
  const bool many = actor_stack.guard_pages == 0;
  std::string guard = fmt::format("--cfg=contexts/guard-size:{}", actor_stack.guard_pages);
  std::string stack = fmt::format("--cfg=contexts/stack-size:{}", actor_stack.kib);
  // Stacks then come from calloc. Keep them in fresh mmapped zero pages, which cost memory
  // only where touched: glibc stops mmapping after 65,536 chunks, and raises its threshold
  // after the first free; either way later stacks would be carved from the heap and zeroed.
  if (many) {
    ::mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    ::mallopt(M_MMAP_MAX, 1 << 30);
  }
  char* argv[] = {program_name.data(), factory.data(), guard.data(), stack.data(), nullptr};
  int argc = 4;
  if (!options.verbose) xbt_log_control_set("root.thresh:critical");
  sg4::Engine engine(&argc, argv);
  std::vector<sg4::Host*> hosts = build_platform(model, engine);
  Simulation simulation(model, std::move(hosts), options);
  simulation.start();
  engine.run();
  return simulation.finish();
}

}  // namespace ipcsim::sim
