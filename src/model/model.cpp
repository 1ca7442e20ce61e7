#include "model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace ipcsim::model {
namespace {

using namespace scenario;  // the builder reads every part of a scenario

std::uint64_t link_key(ProcessId from, ProcessId to) { return (static_cast<std::uint64_t>(from) << 32) | to; }

class Builder {
 public:
  explicit Builder(const Scenario& scenario) : scenario_(scenario) {
    model_.scenario = &scenario;
    model_.seed = scenario.seed;
  }

  Model build() {
    add_hosts();
    add_processes();
    add_channels();
    assign_cores();
    for (ProcessId p = 0; p < model_.processes.size(); ++p) {
      const ProcessSpec& spec = scenario_.processes[model_.processes[p].group];
      compile(spec.program, p, model_.processes[p].program);
    }
    place_mailboxes();
    mark_chain_ends();
    check_routes();
    add_faults();
    if (const std::string& name = scenario_.stop.channel; !name.empty())
      model_.stop_channel = static_cast<std::uint32_t>(scenario_.find_channel(name) - scenario_.channels.data());
    return std::move(model_);
  }

 private:
  HostId host_id(const std::string& name) const {
    for (HostId h = 0; h < model_.hosts.size(); ++h)
      if (model_.hosts[h].name == name) return h;
    throw std::logic_error(fmt::format("validated scenario names unknown host '{}'", name));
  }

  void add_hosts() {
    const auto& declared = scenario_.model.network.hosts;
    for (const std::string& name : scenario_.host_names()) {
      auto spec = std::find_if(declared.begin(), declared.end(), [&](const HostSpec& h) { return h.name == name; });
      if (spec == declared.end())
        model_.hosts.push_back(Host{name, Speed{1e9}, 0});
      else
        model_.hosts.push_back(Host{name, spec->speed, spec->cores.value_or(0)});
    }
  }

  void mark_chain_ends() {
    model_.chain_end.assign(scenario_.channels.size(), true);
    for (const ProcessInstance& p : model_.processes) {
      const bool forwards = std::any_of(p.program.begin(), p.program.end(), [](const Op& op) { return op.forward; });
      if (!forwards) continue;
      for (const Op& op : p.program)
        if (op.kind == Op::Kind::receive) model_.chain_end[model_.channels[op.channel].spec] = false;
    }
  }

  void add_faults() {
    for (const FaultSpec& spec : scenario_.faults) {
      Fault fault;
      fault.at = spec.at;
      fault.kind = spec.kind;
      switch (spec.kind) {
        case FaultKind::host_down:
        case FaultKind::host_up:
          fault.host = host_id(spec.target);
          model_.faults.push_back(fault);
          break;
        case FaultKind::link_down:
        case FaultKind::link_up:
          fault.link = spec.target;
          model_.faults.push_back(fault);
          break;
        case FaultKind::kill:
          if (const ProcessSpec* group = scenario_.find_process(spec.target)) {
            ProcessId first = first_instance_[static_cast<std::size_t>(group - scenario_.processes.data())];
            for (std::uint32_t i = 0; i < group->count; ++i) {
              fault.process = first + i;
              model_.faults.push_back(fault);
            }
          } else {
            fault.process = process_id(spec.target);
            model_.faults.push_back(fault);
          }
          break;
      }
    }
    std::stable_sort(model_.faults.begin(), model_.faults.end(),
                     [](const Fault& a, const Fault& b) { return a.at < b.at; });
  }

  void add_processes() {
    for (std::uint32_t g = 0; g < scenario_.processes.size(); ++g) {
      const ProcessSpec& spec = scenario_.processes[g];
      first_instance_.push_back(static_cast<ProcessId>(model_.processes.size()));
      HostId host = host_id(spec.host);
      for (std::uint32_t i = 0; i < spec.count; ++i)
        model_.processes.push_back(ProcessInstance{instance_name(spec, i), g, host, {}});
    }
    model_.inbox_of.assign(model_.processes.size(), none);
    model_.mailboxes_of.resize(model_.processes.size());
  }

  // Unless the model says otherwise, every process gets its own core, so a compute step
  // takes exactly its stated time.
  void assign_cores() {
    std::vector<int> placed(model_.hosts.size(), 0);
    for (const ProcessInstance& p : model_.processes) ++placed[p.host];
    for (HostId h = 0; h < model_.hosts.size(); ++h)
      if (model_.hosts[h].cores == 0) model_.hosts[h].cores = std::max(1, placed[h]);
  }

  ProcessId process_id(std::string_view name) const {
    for (std::uint32_t g = 0; g < scenario_.processes.size(); ++g) {
      const ProcessSpec& spec = scenario_.processes[g];
      if (spec.name == name && spec.count == 1) return first_instance_[g];
      if (name.size() > spec.name.size() && name.starts_with(spec.name) && name[spec.name.size()] == '.') {
        auto index = std::stoul(std::string(name.substr(spec.name.size() + 1)));
        return first_instance_[g] + static_cast<ProcessId>(index);
      }
    }
    throw std::logic_error(fmt::format("validated scenario names unknown process '{}'", name));
  }

  // A process a step names: an instance or single process, or a group paired with the
  // step's own group by a symmetric channel, meaning the instance with the same index.
  ProcessId process_for(std::string_view name, ProcessId self) const {
    for (std::uint32_t g = 0; g < scenario_.processes.size(); ++g)
      if (scenario_.processes[g].name == name && scenario_.processes[g].count > 1)
        return first_instance_[g] + (self - first_instance_[model_.processes[self].group]);
    return process_id(name);
  }

  ChannelId add_channel(ChannelInstance instance) {
    model_.channels.push_back(std::move(instance));
    return static_cast<ChannelId>(model_.channels.size() - 1);
  }

  void add_channels() {
    for (std::uint32_t s = 0; s < scenario_.channels.size(); ++s) {
      const ChannelSpec& spec = scenario_.channels[s];
      first_channel_.push_back(static_cast<ChannelId>(model_.channels.size()));
      switch (spec.addressing) {
        case Addressing::mailbox: {
          ChannelInstance ch{spec.name, s, none, none, none, none};
          if (!spec.owner.empty()) ch.owner = process_id(spec.owner);
          if (!spec.host.empty()) ch.host = host_id(spec.host);
          const ChannelId id = add_channel(ch);
          if (ch.owner != none) model_.mailboxes_of[ch.owner].push_back(id);
          break;
        }
        case Addressing::direct_asymmetric: {
          const ProcessSpec& receiver = *scenario_.find_process(spec.receiver);
          ProcessId first = process_id(instance_name(receiver, 0));
          for (std::uint32_t i = 0; i < receiver.count; ++i) {
            ProcessId r = first + i;
            std::string name =
                receiver.count == 1 ? spec.name : fmt::format("{}@{}", spec.name, model_.processes[r].name);
            ChannelId id = add_channel(ChannelInstance{name, s, model_.processes[r].host, none, r, none});
            if (model_.inbox_of[r] == none) model_.inbox_of[r] = id;
          }
          break;
        }
        case Addressing::direct_symmetric: {
          // Groups of equal size pair instance by instance: a.i with b.i.
          const ProcessSpec& group = *scenario_.find_process(spec.between[0]);
          ProcessId first_a = process_id(instance_name(group, 0));
          ProcessId first_b = process_id(instance_name(*scenario_.find_process(spec.between[1]), 0));
          for (std::uint32_t i = 0; i < group.count; ++i) {
            ProcessId a = first_a + i, b = first_b + i;
            for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
              std::string name =
                  fmt::format("{}:{}->{}", spec.name, model_.processes[from].name, model_.processes[to].name);
              ChannelId id = add_channel(ChannelInstance{name, s, model_.processes[to].host, none, to, from});
              model_.symmetric_links.try_emplace(link_key(from, to), id);
            }
          }
          break;
        }
      }
    }
  }

  ChannelId send_channel(const SendStep& send, ProcessId self) const {
    if (const ChannelSpec* mailbox = scenario_.find_channel(send.to))
      return first_channel_[static_cast<std::size_t>(mailbox - scenario_.channels.data())];
    ProcessId target = process_for(send.to, self);
    for (std::uint32_t s = 0; s < scenario_.channels.size(); ++s) {
      const ChannelSpec& spec = scenario_.channels[s];
      if (!send.via.empty() && spec.name != send.via) continue;
      if (spec.addressing == Addressing::direct_symmetric) {
        auto it = model_.symmetric_links.find(link_key(self, target));
        if (it != model_.symmetric_links.end() && model_.channels[it->second].spec == s) return it->second;
      }
      if (spec.addressing == Addressing::direct_asymmetric &&
          scenario_.processes[model_.processes[target].group].name == spec.receiver) {
        ProcessId first = process_id(instance_name(*scenario_.find_process(spec.receiver), 0));
        return first_channel_[s] + (target - first);
      }
    }
    throw std::logic_error("validated send has no channel");
  }

  ChannelId receive_channel(const ReceiveStep& recv, ProcessId self) const {
    if (recv.from.empty()) return model_.inbox_of[self];
    if (const ChannelSpec* ch = scenario_.find_channel(recv.from)) {
      ChannelId first = first_channel_[static_cast<std::size_t>(ch - scenario_.channels.data())];
      if (ch->addressing == Addressing::mailbox) return first;
      // Direct-asymmetric: one inbox per receiver instance, in instance order.
      return first + (self - first_instance_[model_.processes[self].group]);
    }
    return model_.symmetric_links.at(link_key(process_for(recv.from, self), self));
  }

  void compile(const std::vector<Step>& steps, ProcessId self, std::vector<Op>& out) {
    for (const Step& step : steps) {
      const std::size_t first = out.size();
      std::visit([&](const auto& action) { emit(action, self, out); }, step.action);
      out[first].line = step.mark.line;
      if (out[first].kind == Op::Kind::loop_begin) out[out[first].jump - 1].line = step.mark.line;
    }
  }

  void emit(const SendStep& send, ProcessId self, std::vector<Op>& out) {
    Op op(Op::Kind::send);
    op.channel = send_channel(send, self);
    op.size = send.size;
    op.send_mode = send.mode;
    op.timeout = send.timeout;
    op.forward = send.forward;
    note_user(op.channel, self, false);
    out.push_back(op);
  }
  void emit(const ReceiveStep& recv, ProcessId self, std::vector<Op>& out) {
    Op op(Op::Kind::receive);
    op.channel = receive_channel(recv, self);
    op.receive_mode = recv.mode;
    op.timeout = recv.timeout;
    note_user(op.channel, self, true);
    out.push_back(op);
  }
  void emit(const ReplyStep& reply, ProcessId, std::vector<Op>& out) {
    Op op(Op::Kind::reply);
    op.size = reply.size;
    op.send_mode = reply.mode;
    op.timeout = reply.timeout;
    op.forward = reply.forward;
    out.push_back(op);
  }
  void emit(const ComputeStep& compute, ProcessId, std::vector<Op>& out) {
    Op op(Op::Kind::compute);
    op.duration = compute.duration;
    out.push_back(op);
  }
  void emit(const SleepStep& sleep, ProcessId, std::vector<Op>& out) {
    Op op(Op::Kind::sleep);
    op.duration = sleep.duration;
    out.push_back(op);
  }
  void emit(const DeleteStep& del, ProcessId, std::vector<Op>& out) {
    Op op(Op::Kind::delete_mailbox);
    const ChannelSpec* ch = scenario_.find_channel(del.mailbox);
    op.channel = first_channel_[static_cast<std::size_t>(ch - scenario_.channels.data())];
    out.push_back(op);
  }
  void emit(const RepeatStep& repeat, ProcessId self, std::vector<Op>& out) {
    auto begin = static_cast<std::uint32_t>(out.size());
    Op head(Op::Kind::loop_begin);
    head.times = repeat.times.value_or(forever);
    out.push_back(head);
    compile(repeat.body, self, out);
    Op tail(Op::Kind::loop_end);
    tail.jump = begin;
    out.push_back(tail);
    out[begin].jump = static_cast<std::uint32_t>(out.size());
  }

  // The first process to use a mailbox places it when nothing else does: receivers first.
  void note_user(ChannelId channel, ProcessId user, bool receives) {
    auto& slot = receives ? first_receiver_[channel] : first_sender_[channel];
    if (slot == 0) slot = user + 1;
  }

  void place_mailboxes() {
    for (ChannelId c = 0; c < model_.channels.size(); ++c) {
      ChannelInstance& ch = model_.channels[c];
      if (ch.host != none) continue;
      ProcessId by = ch.owner;
      if (by == none && first_receiver_.count(c)) by = first_receiver_[c] - 1;
      if (by == none && first_sender_.count(c)) by = first_sender_[c] - 1;
      ch.host = by == none ? 0 : model_.processes[by].host;
    }
  }

  // SimGrid aborts a transfer between hosts with no route, so every pair of hosts a message
  // may cross (a sender's to a buffer's, a buffer's to a receiver's) needs one. A reply may
  // go to any direct channel's buffer.
  void check_routes() const {
    const NetworkSpec& network = scenario_.model.network;
    if (network.platform_file.empty()) return;
    std::set<std::pair<HostId, HostId>> crossed;
    std::set<HostId> replying, direct_buffers;
    std::vector<ProcessId> on_host(model_.hosts.size(), none);  // a process there, to point at
    for (const ChannelInstance& ch : model_.channels)
      if (ch.receiver != none) direct_buffers.insert(ch.host);
    for (ProcessId p = 0; p < model_.processes.size(); ++p) {
      const ProcessInstance& process = model_.processes[p];
      if (on_host[process.host] == none) on_host[process.host] = p;
      for (const Op& op : process.program) {
        if (op.kind == Op::Kind::send) crossed.emplace(process.host, model_.channels[op.channel].host);
        if (op.kind == Op::Kind::receive) crossed.emplace(model_.channels[op.channel].host, process.host);
        if (op.kind == Op::Kind::reply) replying.insert(process.host);
      }
    }
    for (HostId from : replying)
      for (HostId to : direct_buffers) crossed.emplace(from, to);
    for (const auto& [from, to] : crossed) {
      if (from == to || has_route(network, model_.hosts[from].name, model_.hosts[to].name)) continue;
      const ProcessId at = on_host[from] != none ? on_host[from] : on_host[to];
      throw InputError(scenario_.processes[model_.processes[at].group].mark,
                       fmt::format("no route from host '{}' to host '{}' in {}, and messages go that way: expected a "
                                   "<route src=\"{}\" dst=\"{}\"> (or a symmetrical one back)",
                                   model_.hosts[from].name, model_.hosts[to].name, network.platform_file,
                                   model_.hosts[from].name, model_.hosts[to].name));
    }
  }

  const Scenario& scenario_;
  Model model_;
  std::vector<ProcessId> first_instance_;                                   // per process group
  std::vector<ChannelId> first_channel_;                                    // per channel spec
  std::unordered_map<ChannelId, ProcessId> first_receiver_, first_sender_;  // id + 1
};

}  // namespace

ChannelId Model::reply_channel(ProcessId from, ProcessId to) const {
  auto it = symmetric_links.find(link_key(from, to));
  if (it != symmetric_links.end()) return it->second;
  return inbox_of[to];
}

Model build_model(const Scenario& scenario) { return Builder(scenario).build(); }

}  // namespace ipcsim::model
