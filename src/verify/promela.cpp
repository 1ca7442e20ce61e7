#include "promela.hpp"

#include <fmt/format.h>

#include "model/channel_rules.hpp"

namespace ipcsim::verify {
namespace {

using model::ChannelId;
using model::Op;
using model::ProcessId;

constexpr const char* nobody = "255";  // `last` before any message was received

// A step's line: what it does (printed) and to which message (the events).
LineMeaning step(ProcessId p, std::uint32_t i, ChannelId c, std::string says, Act act, Reason reason = Reason::none,
                 model::ReceiveResult outcome = model::ReceiveResult::empty) {
  return {
      .process = p, .op = i, .channel = c, .says = std::move(says), .act = act, .reason = reason, .outcome = outcome};
}

// SPIN places a process blocked in a selection at the line of its `if`: that line tells the wait.
LineMeaning waits_only(LineMeaning meaning) {
  meaning.says.clear();
  return meaning;
}

// Writes the program a line at a time, each with what it means. Every blocking statement
// sits in a selection with its ways out: the mailbox destroyed (gone<c>), the run stopped
// (stopped, with stop.messages), or for a timed operation the timeout, which may come at any
// point of the wait (an option always executable).
class Writer {
 public:
  Writer(const model::Model& model, const PromelaOptions& options)
      : m_(model),
        options_(options),
        counted_(model.channels.size()),
        dies_(model.processes.size()),
        goes_down_(model.hosts.size()),
        comes_up_(model.hosts.size()) {
    for (ProcessId p = 0; p < m_.processes.size(); ++p)
      for (const Op& op : m_.processes[p].program) {
        if (op.kind == Op::Kind::send && op.send_mode == SendMode::synchronous && !rendezvous(op.channel)) acks_ = true;
        const bool waits_or_not = op.send_mode == SendMode::nonblocking || op.send_mode == SendMode::timeout ||
                                  op.receive_mode != ReceiveMode::blocking;
        if (!waits_or_not) continue;
        if (op.kind == Op::Kind::send || op.kind == Op::Kind::receive) counted_[op.channel] = true;
        if (op.kind == Op::Kind::reply)
          for (ProcessId to = 0; to < m_.processes.size(); ++to)
            if (const ChannelId back = m_.reply_channel(p, to); back != model::none) counted_[back] = true;
      }
    for (const model::Fault& f : m_.faults) {
      if (f.kind == FaultKind::kill) dies_[f.process] = true;
      if (f.kind == FaultKind::host_down) goes_down_[f.host] = true;
      if (f.kind == FaultKind::host_up) comes_up_[f.host] = true;
    }
    for (ProcessId p = 0; p < m_.processes.size(); ++p)
      if (goes_down_[m_.processes[p].host]) dies_[p] = true;
  }

  Promela write() {
    declarations();
    for (ProcessId p = 0; p < m_.processes.size(); ++p) process(p);
    if (!m_.faults.empty()) faults();
    for (ChannelId c = 0; c < m_.channels.size(); ++c)
      if (m_.spec(c).delete_at) {
        line(fmt::format("active proctype deleter{}() {{", c));
        line("  byte who; bit s;");
        destroy(c, "  ",
                step(model::none, model::none, c, fmt::format("{} is deleted", name(c)), Act::destroy,
                     Reason::mailbox_deleted));
        line("}");
      }
    return std::move(out_);
  }

 private:
  std::string name(ChannelId c) const { return m_.channels[c].name; }
  bool rendezvous(ChannelId c) const { return m_.spec(c).capacity.rendezvous(); }
  // A rendezvous with a nonblocking or timed operation: its waiting senders and receivers are counted.
  bool counted(ChannelId c) const { return counted_[c] && rendezvous(c); }
  bool unbounded(ChannelId c) const { return m_.spec(c).capacity.unbounded(); }
  bool destroyable(ChannelId c) const {
    return m_.channels[c].owner != model::none || m_.spec(c).delete_at.has_value() || deleted_by_step(c);
  }
  bool deleted_by_step(ChannelId c) const {
    for (const model::ProcessInstance& p : m_.processes)
      for (const Op& op : p.program)
        if (op.kind == Op::Kind::delete_mailbox && op.channel == c) return true;
    return false;
  }
  bool stops() const { return m_.scenario->stop.messages.has_value(); }

  void line(const std::string& text, LineMeaning meaning = {}) {
    out_.text += text;
    out_.text += '\n';
    out_.lines.push_back(std::move(meaning));
  }

  void declarations() {
    line("/* Written by ipcsim verify. p<k> is the model's process k, c<k> its channel k. */");
    for (ChannelId c = 0; c < m_.channels.size(); ++c) {
      const scenario::Capacity& capacity = m_.spec(c).capacity;
      const std::uint64_t room = capacity.unbounded() ? options_.unbounded_as : *capacity.limit;
      line(fmt::format("chan c{} = [{}] of {{ byte, bit }};", c, room));
      if (destroyable(c)) line(fmt::format("bit gone{};", c));
      if (counted(c)) line(fmt::format("byte receivers{0}; byte senders{0};", c));
    }
    if (acks_) line(fmt::format("chan ack[{}] = [1] of {{ bit }};", m_.processes.size()));
    for (ProcessId p = 0; p < m_.processes.size(); ++p)
      if (dies_[p]) line(fmt::format("bit dead{};", p));
    for (model::HostId h = 0; h < m_.hosts.size(); ++h)
      if (goes_down_[h]) line(fmt::format("bit down{};", h));
    if (stops()) line("bit stopped; int delivered;");
  }

  // A mailbox goes: its queued messages are lost (a synchronous sender of one is told it ended).
  // Written out where it happens, not as an inline, so that the trail names the line that did it.
  void destroy(ChannelId c, const std::string& indent, LineMeaning meaning) {
    line(fmt::format("{}atomic {{ gone{} = 1;", indent, c), std::move(meaning));
    if (!rendezvous(c))
      line(fmt::format("{}  do :: c{}?who,s -> {} :: empty(c{}) -> break od", indent, c,
                       acks_ ? "if :: s -> ack[who]!0 :: else -> skip fi" : "skip", c));
    line(indent + "};");
  }

  void process(ProcessId p) {
    line(fmt::format("active proctype p{}() {{", p));
    line("  byte last = 255; byte who; bit s;");
    const std::vector<Op>& program = m_.processes[p].program;
    for (std::uint32_t i = 0; i < program.size(); ++i)
      if (program[i].kind == Op::Kind::loop_begin) line(fmt::format("  int k{};", i));
    // A process that may die runs its program under `unless`: the kill takes it at any step.
    if (dies_[p]) line("start: last = 255;");
    if (dies_[p]) line("  {");
    ops(p, 0, static_cast<std::uint32_t>(program.size()), "  ");
    for (ChannelId c : m_.mailboxes_of[p])
      destroy(
          c, "  ",
          step(p, model::none, c, fmt::format("ends: {} goes with it", name(c)), Act::destroy, Reason::owner_ended));
    if (dies_[p]) died(p);
    line("halt: skip");
    line("}");
  }

  // Killed: its mailboxes go; with its host coming back up, it waits for it and starts afresh.
  void died(ProcessId p) {
    const model::HostId host = m_.processes[p].host;
    line(fmt::format("  }} unless {{ dead{} }};", p));
    line("  if");
    line(fmt::format("  :: dead{} -> skip;", p), {.process = p,
                                                  .says = "is killed",
                                                  .act = Act::killed,
                                                  .reason = goes_down_[host] ? Reason::host_down : Reason::killed});
    for (ChannelId c : m_.mailboxes_of[p])
      destroy(
          c, "     ",
          step(p, model::none, c, fmt::format("dies: {} goes with it", name(c)), Act::destroy, Reason::owner_ended));
    if (comes_up_[host]) {
      line(fmt::format("     (down{} == 0);", host),
           {.process = p, .waits = fmt::format("is dead, waiting for {} to come up", m_.hosts[host].name)});
      std::string anew;
      for (ChannelId c : m_.mailboxes_of[p]) anew += fmt::format(" gone{} = 0;", c);
      line(fmt::format("     atomic {{ dead{} = 0;{} }};", p, anew),
           {.process = p, .says = "starts again", .act = Act::restarted});
      line("     goto start");
    }
    line("  :: else -> skip");
    line("  fi;");
  }

  // The faults in their order, each at any point of the others' steps.
  void faults() {
    line("active proctype faults0() {");
    line("  byte who; bit s;");
    for (const model::Fault& f : m_.faults) {
      switch (f.kind) {
        case FaultKind::kill:
          line(fmt::format("  dead{} = 1;", f.process));
          break;
        case FaultKind::host_down:
          host_goes_down(f.host);
          break;
        case FaultKind::host_up:
          line(fmt::format("  down{} = 0;", f.host),
               {.says = fmt::format("host {} comes up", m_.hosts[f.host].name), .act = Act::host_up, .host = f.host});
          break;
        case FaultKind::link_down:
        case FaultKind::link_up:  // refused by unverifiable()
          break;
      }
    }
    line("}");
  }

  // Its processes die and its buffers lose what they hold, at once.
  void host_goes_down(model::HostId h) {
    std::string kills;
    for (ProcessId p = 0; p < m_.processes.size(); ++p)
      if (m_.processes[p].host == h) kills += fmt::format(" dead{} = 1;", p);
    line(fmt::format("  atomic {{ down{} = 1;{}", h, kills),
         {.says = fmt::format("host {} goes down", m_.hosts[h].name), .act = Act::host_down, .host = h});
    for (ChannelId c = 0; c < m_.channels.size(); ++c) {
      if (m_.channels[c].host != h || rendezvous(c)) continue;
      line(fmt::format("    do :: c{0}?who,s -> {1} :: empty(c{0}) -> break od;", c,
                       acks_ ? "if :: s -> ack[who]!0 :: else -> skip fi" : "skip"),
           {.channel = c, .act = Act::lose_queued, .reason = Reason::host_down, .host = h});
    }
    line("  };");
  }

  void ops(ProcessId p, std::uint32_t from, std::uint32_t to, const std::string& indent) {
    const std::vector<Op>& program = m_.processes[p].program;
    for (std::uint32_t i = from; i < to; ++i) {
      const Op& op = program[i];
      switch (op.kind) {
        case Op::Kind::loop_begin:
          loop(p, i, indent);
          i = op.jump - 1;  // past its loop_end
          break;
        case Op::Kind::send:
          send(p, i, op.channel, op.send_mode, indent);
          break;
        case Op::Kind::reply:
          reply(p, i, indent);
          break;
        case Op::Kind::receive:
          receive(p, i, op.channel, op.receive_mode, indent);
          break;
        case Op::Kind::delete_mailbox:
          destroy(op.channel, indent,
                  step(p, i, op.channel, fmt::format("deletes {}", name(op.channel)), Act::destroy,
                       Reason::mailbox_deleted));
          break;
        case Op::Kind::compute:
        case Op::Kind::sleep:  // time is abstracted: any interleaving may follow
        case Op::Kind::loop_end:
          break;
      }
    }
  }

  void loop(ProcessId p, std::uint32_t i, const std::string& indent) {
    const Op& head = m_.processes[p].program[i];
    const bool forever = head.times == model::forever;
    if (!forever) line(fmt::format("{}k{} = 0;", indent, i));
    line(indent + "do");
    if (stops()) line(indent + ":: stopped -> goto halt");
    line(forever ? indent + (stops() ? ":: else -> skip;" : ":: true -> skip;")
                 : fmt::format("{}:: k{} < {} ->", indent, i, head.times));
    ops(p, i + 1, head.jump - 1, indent + "   ");
    if (!forever) line(fmt::format("{}   k{}++", indent, i));
    if (!forever) line(indent + ":: else -> break");
    line(indent + "od;");
  }

  // The ways out of a wait on `c`: the mailbox destroyed, the run stopped.
  void escapes(ProcessId p, std::uint32_t i, ChannelId c, bool sending, const std::string& indent,
               const std::string& undo = "") {
    if (destroyable(c))
      line(fmt::format("{}:: gone{} -> {}skip", indent, c, undo),
           step(p, i, c, fmt::format("finds {} destroyed", name(c)), sending ? Act::send_fails : Act::receive_none,
                Reason::mailbox_destroyed, model::ReceiveResult::failed));
    if (sending && goes_down_[m_.channels[c].host])
      line(fmt::format("{}:: down{} -> skip", indent, m_.channels[c].host),
           step(p, i, c, fmt::format("finds the host of {} down", name(c)), Act::send_fails, Reason::host_down));
    if (stops()) line(indent + ":: stopped -> goto halt");
  }

  std::string put(ProcessId p, ChannelId c, bool sync) const {
    const std::string guard = destroyable(c) ? fmt::format("gone{} == 0 && ", c) : "";
    return fmt::format("atomic {{ {}nfull(c{}) -> c{}!{},{} }}", guard, c, c, p, sync ? 1 : 0);
  }

  LineMeaning sends(ProcessId p, std::uint32_t i, ChannelId c, const char* how = "sends to") const {
    return {.process = p,
            .op = i,
            .channel = c,
            .says = fmt::format("{} {}", how, name(c)),
            .waits = fmt::format("waits to send on {}{}", name(c), rendezvous(c) ? " (no receiver)" : " (full)"),
            .act = Act::put};
  }

  void send(ProcessId p, std::uint32_t i, ChannelId c, SendMode mode, const std::string& indent) {
    if (rendezvous(c)) return send_rendezvous(p, i, c, mode, indent);
    if (unbounded(c)) return send_unbounded(p, i, c, mode == SendMode::synchronous, indent);
    const bool sync = mode == SendMode::synchronous;
    const model::NoRoom no_room = model::when_no_room(m_.spec(c), mode, true);
    line(indent + "if", waits_only(sends(p, i, c)));
    switch (no_room.action) {
      case model::NoRoom::Action::wait:
        if (mode == SendMode::timeout) {
          line(fmt::format("{}:: {}", indent, put(p, c, false)), sends(p, i, c));
          line(fmt::format("{}:: full(c{}) ->", indent, c));
          line(indent + "   if", waits_only(sends(p, i, c)));
          line(fmt::format("{}   :: {}", indent, put(p, c, false)), sends(p, i, c));
          line(indent + "   :: skip", step(p, i, c, fmt::format("gives up sending on {} (timeout)", name(c)),
                                           Act::send_fails, Reason::timeout));
          escapes(p, i, c, true, indent + "   ");
          line(indent + "   fi");
        } else {
          line(fmt::format("{}:: {}", indent, put(p, c, sync)), sends(p, i, c));
          escapes(p, i, c, true, indent);
        }
        break;
      case model::NoRoom::Action::fail:
      case model::NoRoom::Action::drop_message:
        line(fmt::format("{}:: {}", indent, put(p, c, sync)), sends(p, i, c));
        line(fmt::format("{}:: full(c{}) -> skip", indent, c),
             step(p, i, c,
                  fmt::format("finds {} full: its message {} ({})", name(c),
                              no_room.action == model::NoRoom::Action::fail ? "fails" : "is lost",
                              to_string(no_room.reason)),
                  Act::send_fails, no_room.reason));
        escapes(p, i, c, true, indent);
        break;
      case model::NoRoom::Action::evict_oldest:
        line(fmt::format("{0}:: atomic {{ full(c{1}) -> c{1}?who,s; {2}c{1}!{3},{4} }}", indent, c,
                         acks_ ? "if :: s -> ack[who]!0 :: else -> skip fi; " : "", p, sync ? 1 : 0),
             step(p, i, c,
                  fmt::format("finds {} full: the oldest message is lost (dropped_oldest), its own goes in", name(c)),
                  Act::evict_put, Reason::dropped_oldest));
        line(fmt::format("{}:: {}", indent, put(p, c, sync)), sends(p, i, c));
        escapes(p, i, c, true, indent);
        break;
    }
    line(indent + "fi;");
    if (sync) wait_taken(p, i, c, indent);
  }

  // Synchronous: the send returns when a receiver takes the message (or it ends otherwise).
  void wait_taken(ProcessId p, std::uint32_t i, ChannelId c, const std::string& indent) {
    line(indent + "if", {.process = p,
                         .op = i,
                         .channel = c,
                         .waits = fmt::format("waits for its message on {} to be taken (synchronous)", name(c))});
    line(fmt::format("{}:: ack[{}]?_", indent, p),
         {.process = p,
          .op = i,
          .channel = c,
          .waits = fmt::format("waits for its message on {} to be taken (synchronous)", name(c))});
    if (stops()) line(indent + ":: stopped -> goto halt");
    line(indent + "fi;");
  }

  // An unbounded buffer has options_.unbounded_as slots here: filling them is reported as the
  // bound reached, never as a sender that waits.
  void send_unbounded(ProcessId p, std::uint32_t i, ChannelId c, bool sync, const std::string& indent) {
    line(indent + "atomic {");
    line(fmt::format("{}  assert(nfull(c{}));", indent, c), {.process = p, .op = i, .channel = c, .bound = true});
    line(fmt::format("{}  if :: {}c{}!{},{} {}fi", indent, destroyable(c) ? fmt::format("gone{} == 0 -> ", c) : "", c,
                     p, sync ? 1 : 0, destroyable(c) ? fmt::format(":: gone{} -> skip ", c) : ""),
         sends(p, i, c));
    line(indent + "};");
    if (sync) wait_taken(p, i, c, indent);
  }

  // A rendezvous: a blocking send counts itself among the channel's senders while it waits,
  // so that a nonblocking receive can tell whether one is there (Promela's else cannot be
  // used with a rendezvous); the receiver that takes its message uncounts it.
  void send_rendezvous(ProcessId p, std::uint32_t i, ChannelId c, SendMode mode, const std::string& indent) {
    if (mode == SendMode::nonblocking) {
      line(indent + "atomic { if");
      line(fmt::format("{}:: receivers{} > 0 -> c{}!{},0", indent, c, c, p), sends(p, i, c));
      line(indent + ":: else -> skip", step(p, i, c, fmt::format("finds no receiver on {} (would_block)", name(c)),
                                            Act::send_fails, Reason::would_block));
      line(indent + "fi };");
      return;
    }
    if (counted(c)) line(fmt::format("{}senders{}++;", indent, c));
    line(indent + "if", waits_only(sends(p, i, c)));
    line(fmt::format("{}:: c{}!{},{}", indent, c, p, counted(c) ? 1 : 0), sends(p, i, c));
    if (mode == SendMode::timeout)
      line(fmt::format("{}:: senders{}-- ", indent, c),
           step(p, i, c, fmt::format("gives up sending on {} (timeout)", name(c)), Act::send_fails, Reason::timeout));
    escapes(p, i, c, true, indent, counted(c) ? fmt::format("senders{}--; ", c) : "");
    line(indent + "fi;");
  }

  void reply(ProcessId p, std::uint32_t i, const std::string& indent) {
    const Op& op = m_.processes[p].program[i];
    line(indent + "if");
    for (ProcessId to = 0; to < m_.processes.size(); ++to) {
      const ChannelId back = m_.reply_channel(p, to);
      if (back == model::none) continue;
      line(fmt::format("{}:: last == {} ->", indent, to));
      send(p, i, back, op.send_mode, indent + "   ");
    }
    line(fmt::format("{}:: last == {} -> skip", indent, nobody),
         step(p, i, model::none, "replies before receiving anything (no_reply_channel)", Act::send_fails,
              Reason::no_reply_channel));
    line(indent + ":: else -> skip",
         step(p, i, model::none, "has no channel back to its last sender (no_reply_channel)", Act::send_fails,
              Reason::no_reply_channel));
    line(indent + "fi;");
  }

  // What a receive does with its message: note the sender, tell a synchronous one, count it.
  std::string taken(ChannelId c) const {
    std::string after = "last = who";
    if (acks_ && !rendezvous(c)) after += "; if :: s -> ack[who]!0 :: else -> skip fi";
    if (counted(c)) after += fmt::format("; if :: s -> senders{}-- :: else -> skip fi", c);
    if (stops() && m_.counts_toward_stop(c))
      after += fmt::format("; delivered++; if :: delivered >= {} -> stopped = 1 :: else -> skip fi",
                           *m_.scenario->stop.messages);
    return after;
  }

  LineMeaning receives(ProcessId p, std::uint32_t i, ChannelId c) const {
    return {.process = p,
            .op = i,
            .channel = c,
            .says = fmt::format("receives from {}", name(c)),
            .waits = fmt::format("waits to receive from {}{}", name(c), rendezvous(c) ? " (no sender)" : " (empty)"),
            .act = Act::take};
  }

  void receive(ProcessId p, std::uint32_t i, ChannelId c, ReceiveMode mode, const std::string& indent) {
    const bool timed = mode == ReceiveMode::timeout;
    const LineMeaning nothing =
        step(p, i, c,
             timed ? fmt::format("times out receiving from {}", name(c))
                   : fmt::format("finds {} empty (the null message)", name(c)),
             Act::receive_none, Reason::none, timed ? model::ReceiveResult::timed_out : model::ReceiveResult::empty);
    const std::string ready = rendezvous(c) ? fmt::format("senders{} > 0", c) : fmt::format("nempty(c{})", c);
    const std::string none_ready = rendezvous(c) ? fmt::format("senders{} == 0", c) : fmt::format("empty(c{})", c);
    if (mode == ReceiveMode::nonblocking) {
      line(indent + "atomic { if");
      line(fmt::format("{}:: {} -> c{}?who,s; {}", indent, ready, c, taken(c)), receives(p, i, c));
      line(fmt::format("{}:: {} -> skip", indent, none_ready), nothing);
      line(indent + "fi };");
      return;
    }
    const std::string count = counted(c) ? fmt::format("receivers{}++; ", c) : "";
    const std::string uncount = counted(c) ? fmt::format("receivers{}--; ", c) : "";
    if (mode == ReceiveMode::timeout) {
      line(indent + "if");
      line(fmt::format("{}:: atomic {{ {} -> c{}?who,s; {} }}", indent, ready, c, taken(c)), receives(p, i, c));
      line(fmt::format("{}:: atomic {{ {} -> {}skip }};", indent, none_ready, count));
      line(indent + "   if", waits_only(receives(p, i, c)));
      line(fmt::format("{}   :: atomic {{ c{}?who,s -> {}{} }}", indent, c, uncount, taken(c)), receives(p, i, c));
      line(fmt::format("{}   :: {}skip", indent, uncount), nothing);
      escapes(p, i, c, false, indent + "   ", uncount);
      line(indent + "   fi");
      line(indent + "fi;");
      return;
    }
    if (!count.empty()) line(indent + count);
    line(indent + "if", waits_only(receives(p, i, c)));
    line(fmt::format("{}:: atomic {{ c{}?who,s -> {}{} }}", indent, c, uncount, taken(c)), receives(p, i, c));
    escapes(p, i, c, false, indent, uncount);
    line(indent + "fi;");
  }

  const model::Model& m_;
  PromelaOptions options_;
  Promela out_;
  bool acks_ = false;                       // some synchronous send goes into a buffer: its receiver tells it
  std::vector<bool> counted_;               // by channel
  std::vector<bool> dies_;                  // by process: a kill or its host going down
  std::vector<bool> goes_down_, comes_up_;  // by host
};

}  // namespace

std::optional<Unverifiable> unverifiable(const model::Model& model) {
  for (const model::Fault& f : model.faults)
    if (f.kind == FaultKind::link_down || f.kind == FaultKind::link_up)
      return Unverifiable{0,
                          "link faults lose messages on their way, which verify does not follow (simulate them "
                          "with run)"};
  if (model.processes.size() > max_processes)
    return Unverifiable{0,
                        fmt::format("{} processes: verify handles at most {}", model.processes.size(), max_processes)};
  if (model.channels.size() > max_channels)
    return Unverifiable{
        0, fmt::format("{} channel instances: verify handles at most {}", model.channels.size(), max_channels)};
  for (const model::ProcessInstance& p : model.processes)
    for (const Op& op : p.program)
      if (op.kind == Op::Kind::loop_begin && op.times != model::forever && op.times > max_repeat)
        return Unverifiable{op.line, fmt::format("repeat {}: verify explores every iteration, at most {} (make it "
                                                 "smaller with --set)",
                                                 op.times, max_repeat)};
  for (ChannelId c = 0; c < model.channels.size(); ++c)
    if (const auto& limit = model.spec(c).capacity.limit; limit && *limit > 255)
      return Unverifiable{model.spec(c).mark.line,
                          fmt::format("capacity {}: verify handles at most 255 (SPIN's channels)", *limit)};
  return std::nullopt;
}

Promela to_promela(const model::Model& model, const PromelaOptions& options) { return Writer(model, options).write(); }

}  // namespace ipcsim::verify
