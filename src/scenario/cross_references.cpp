#include "cross_references.hpp"

#include <fmt/format.h>
#include <algorithm>

namespace ipcsim::scenario {
namespace {

std::string known_channels(const Scenario& scenario) {
  std::vector<std::string> names;
  for (const auto& c : scenario.channels) names.push_back(c.name);
  return names.empty() ? "none declared" : fmt::format("{}", fmt::join(names, ", "));
}

bool symmetric_between(const ChannelSpec& ch, std::string_view a, std::string_view b) {
  return ch.addressing == Addressing::direct_symmetric &&
         ((ch.between[0] == a && ch.between[1] == b) || (ch.between[0] == b && ch.between[1] == a));
}

// A channel naming `name` as its only process in `role` (a receiver may be a group).
void check_party(const Scenario& scenario, const ChannelSpec& ch, const std::string& name, std::string_view role) {
  const ProcessSpec* p = scenario.find_process(name);
  if (!p) throw InputError(ch.mark, fmt::format("channel '{}': unknown {} process '{}'", ch.name, role, name));
  if (p->count != 1 && role != "receiver")
    throw InputError(ch.mark, fmt::format("channel '{}': '{}' has {} instances, but a {} names one "
                                          "process (a symmetric channel with three or more parties?)",
                                          ch.name, name, p->count, role));
}

void check_symmetric_parties(const Scenario& scenario, const ChannelSpec& ch) {
  const ProcessSpec* a = scenario.find_process(ch.between[0]);
  const ProcessSpec* b = scenario.find_process(ch.between[1]);
  for (const auto& [p, name] : {std::pair{a, ch.between[0]}, std::pair{b, ch.between[1]}})
    if (!p)
      throw InputError(ch.mark,
                       fmt::format("channel '{}': unknown symmetric channel party process '{}'", ch.name, name));
  if (a->count != b->count)
    throw InputError(ch.mark, fmt::format("channel '{}': '{}' has {} instances and '{}' has {}: a symmetric "
                                          "channel pairs them one to one ({}.i with {}.i), so expected "
                                          "groups of the same size",
                                          ch.name, a->name, a->count, b->name, b->count, a->name, b->name));
}

// A send to a process: a direct channel (the one `via` names, if any) must link it to `self`.
void check_direct_target(const Scenario& scenario, const SendStep& send, const ProcessSpec& self,
                         const ProcessSpec& target, const SourceMark& where) {
  const std::string& group = target.name;
  for (const auto& ch : scenario.channels) {
    if (!send.via.empty() && ch.name != send.via) continue;
    if (symmetric_between(ch, self.name, group)) {
      if (target.count > 1 && send.to != group)
        throw InputError(where, fmt::format("send: '{}' and '{}' are paired instance by instance ({}.i with {}.i): "
                                            "expected to: {}",
                                            self.name, group, self.name, group, group));
      return;
    }
    if (ch.addressing == Addressing::direct_asymmetric && ch.receiver == group) {
      if (target.count > 1 && send.to == group)
        throw InputError(where, fmt::format("send: '{}' has {} instances: name one, e.g. to: {}", group, target.count,
                                            instance_name(target, 0)));
      return;
    }
  }
  throw InputError(where, fmt::format("send: no direct channel from '{}' to '{}'{}: declare one with "
                                      "addressing: direct-symmetric (between: [{}, {}]) or direct-asymmetric "
                                      "(receiver: {})",
                                      self.name, send.to, send.via.empty() ? "" : " via '" + send.via + "'", self.name,
                                      group, group));
}

// A receive naming a channel: an asymmetric one to `self`, or a mailbox `self` may read.
void check_channel_source(const ChannelSpec& ch, const ProcessSpec& self, const SourceMark& where) {
  if (ch.addressing == Addressing::direct_asymmetric && ch.receiver == self.name) return;
  if (ch.addressing != Addressing::mailbox)
    throw InputError(where, fmt::format("recv from channel '{}': it is {}, so name the sending process", ch.name,
                                        to_string(ch.addressing)));
  if (!ch.owner.empty() && ch.owner != self.name)
    throw InputError(
        where, fmt::format("recv: mailbox '{}' is owned by '{}': only its owner receives from it", ch.name, ch.owner));
}

}  // namespace

const ProcessSpec* process_named(const Scenario& scenario, std::string_view name) {
  if (const ProcessSpec* p = scenario.find_process(name)) return p;
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return nullptr;
  const ProcessSpec* group = scenario.find_process(name.substr(0, dot));
  if (!group || group->count == 1) return nullptr;
  for (std::uint32_t i = 0; i < group->count; ++i)
    if (instance_name(*group, i) == name) return group;
  return nullptr;
}

void check_channel_parties(const Scenario& scenario) {
  for (const auto& ch : scenario.channels) {
    if (ch.addressing == Addressing::direct_symmetric) check_symmetric_parties(scenario, ch);
    if (ch.addressing == Addressing::direct_asymmetric) check_party(scenario, ch, ch.receiver, "receiver");
    if (!ch.owner.empty()) check_party(scenario, ch, ch.owner, "mailbox owner");
    if (!ch.host.empty()) check_host(scenario, ch.host, ch.mark);
  }
}

void check_host(const Scenario& scenario, const std::string& host, const SourceMark& where) {
  const auto& hosts = scenario.model.network.hosts;
  if (hosts.empty()) return;
  if (std::none_of(hosts.begin(), hosts.end(), [&](const HostSpec& h) { return h.name == host; }))
    throw InputError(where, fmt::format("unknown host '{}': model '{}' has {} hosts ({}{})", host, scenario.model.name,
                                        hosts.size(), hosts.front().name, hosts.size() > 1 ? ", ..." : ""));
}

void check_send_target(const Scenario& scenario, const SendStep& send, const ProcessSpec& self,
                       const SourceMark& where) {
  if (const ChannelSpec* ch = scenario.find_channel(send.to)) {
    if (ch->addressing != Addressing::mailbox)
      throw InputError(where,
                       fmt::format("send to channel '{}': it is {}, so name the receiving process "
                                   "(to: {})",
                                   send.to, to_string(ch->addressing),
                                   ch->addressing == Addressing::direct_asymmetric ? ch->receiver : ch->between[1]));
    if (!send.via.empty()) throw InputError(where, "send: 'via' applies only when 'to' names a process");
    return;
  }
  const ProcessSpec* target = process_named(scenario, send.to);
  if (!target)
    throw InputError(where, fmt::format("send: unknown target '{}': expected a mailbox ({}) or a process", send.to,
                                        known_channels(scenario)));
  if (target == &self && target->count == 1) throw InputError(where, "send: a process cannot send to itself");
  check_direct_target(scenario, send, self, *target, where);
}

void check_receive_source(const Scenario& scenario, const ReceiveStep& receive, const ProcessSpec& self,
                          const SourceMark& where) {
  if (const ChannelSpec* ch = scenario.find_channel(receive.from)) return check_channel_source(*ch, self, where);
  if (receive.from.empty()) {
    for (const auto& ch : scenario.channels)
      if (ch.addressing == Addressing::direct_asymmetric && ch.receiver == self.name) return;
    throw InputError(where, fmt::format("recv from any sender: '{}' has no direct-asymmetric channel "
                                        "(declare one with receiver: {})",
                                        self.name, self.name));
  }
  const ProcessSpec* source = process_named(scenario, receive.from);
  if (!source)
    throw InputError(where, fmt::format("recv: unknown source '{}': expected a mailbox ({}), a process, or "
                                        "'any'",
                                        receive.from, known_channels(scenario)));
  for (const auto& ch : scenario.channels)
    if (symmetric_between(ch, self.name, source->name)) {
      if (source->count > 1 && receive.from != source->name)
        throw InputError(where, fmt::format("recv: '{}' and '{}' are paired instance by instance ({}.i with {}.i): "
                                            "expected from: {}",
                                            self.name, source->name, self.name, source->name, source->name));
      return;
    }
  throw InputError(where, fmt::format("recv: no direct-symmetric channel between '{}' and '{}' (with "
                                      "direct-asymmetric addressing, receive from any: from: any)",
                                      self.name, receive.from));
}

void check_stop_channel(const Scenario& scenario, const SourceMark& where) {
  const std::string& name = scenario.stop.channel;
  if (!name.empty() && !scenario.find_channel(name))
    throw InputError(
        where, fmt::format("stop.channel: unknown channel '{}': expected one of {}", name, known_channels(scenario)));
}

void check_deleted_mailbox(const Scenario& scenario, const DeleteStep& del, const SourceMark& where) {
  const ChannelSpec* ch = scenario.find_channel(del.mailbox);
  if (!ch || ch->addressing != Addressing::mailbox || !ch->owner.empty())
    throw InputError(where, fmt::format("delete: expected an OS-owned mailbox, found '{}'", del.mailbox));
}

}  // namespace ipcsim::scenario
