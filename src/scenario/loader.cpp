#include <fmt/format.h>
#include <algorithm>
#include <filesystem>
#include <limits>

#include "cross_references.hpp"
#include "params.hpp"
#include "read_scenario.hpp"
#include "scenario.hpp"
#include "text.hpp"
#include "yaml_fields.hpp"

namespace ipcsim::scenario {
namespace {

namespace fs = std::filesystem;

// The steps' names, for lookups and messages.
const std::vector<std::string>& step_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> list;
    list.reserve(format::steps.size());
    for (const format::Key& kind : format::steps) list.emplace_back(kind.name);
    return list;
  }();
  return names;
}

struct Loader {
  std::string file;
  Scenario scenario;

  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const { yaml::fail(node, file, message); }

  TimingModel model(const YAML::Node& node) const {
    if (node.IsMap()) return yaml::timing_model(node, file, "inline");
    std::string name = yaml::scalar(node, file, "model");
    if (name == "ideal") return ideal_model();
    // A name (lan) is looked for along the model search path; a path (models/lan.yaml) is
    // tried relative to the scenario's folder, its parent, then the working directory, so
    // that it works from scenarios/ and from the root.
    const fs::path scenario_dir = file == stdin_name ? fs::path() : fs::path(file).parent_path();
    if (is_model_name(name)) {
      if (std::optional<fs::path> found = find_model(name, file == stdin_name ? fs::path() : fs::path(file)))
        return load_timing_model(found->string());
      fail(node, fmt::format("model: no model '{}' (expected {}.yaml or {}.xml next to the scenario, in its models/ "
                             "folder, along IPCSIM_MODEL_PATH or among the installed models), or the built-in "
                             "'ideal'",
                             name, name, name));
    }
    for (const fs::path& base : {scenario_dir, scenario_dir.parent_path(), fs::path(".")}) {
      fs::path candidate = base / name;
      std::error_code error;  // a name too long for a path is simply not a file
      if (fs::is_regular_file(candidate, error)) return load_timing_model(candidate.lexically_normal());
    }
    fail(node, fmt::format("model: expected the built-in 'ideal', a model's name or a model file, found '{}' "
                           "(no such file next to the scenario or in the working directory)",
                           printable(name)));
  }

  // The scenario's name names its result files (results/<name>.csv), so it is a plain file
  // name: letters, digits, '.', '_' and '-' (POSIX's portable set), not starting with '.'
  // or '-'. Without a name: the scenario file's, which must then be one.
  std::string result_name(const YAML::Node& node) const {
    const bool given = node.IsDefined();
    std::string name = given                ? yaml::scalar(node, file, "name")
                       : file == stdin_name ? "stdin"
                                            : fs::path(file).stem().string();
    if (format::result_name.matches(name)) return name;
    const std::string expected =
        "expected at most 100 letters, digits, '.', '_' or '-', not starting with '.' or '-' (it names the "
        "result files)";
    if (given)
      fail(node, fmt::format("name '{}{}': {}", name.substr(0, 100), name.size() > 100 ? "..." : "", expected));
    throw InputError({file}, fmt::format("no 'name:', and the file's name '{}' cannot stand for one: add a name: {}",
                                         name, expected));
  }

  StopCondition stop(const YAML::Node& node) const {
    yaml::Fields f(node, file, "stop", format::stop);
    StopCondition stop;
    if (f.has("messages")) stop.messages = f.integer("messages", 0);
    if (f.has("channel")) {
      stop.channel = yaml::name(f.get("channel"), file, "stop.channel");
      if (!stop.messages)
        fail(f.get("channel"), "stop: 'channel' says which deliveries 'messages' counts: add messages: N");
    }
    if (f.has("time")) stop.time = f.duration("time", Seconds{0});
    if (!stop.messages && !stop.time) fail(node, "stop: expected 'messages: N' or 'time: T'");
    return stop;
  }

  Capacity capacity(const YAML::Node& node) const {
    // 'infinite' as for a bandwidth: one word for "no limit" should not be wrong in one place.
    const auto& words = format::no_limit_words;
    if (node.IsScalar() && std::find(words.begin(), words.end(), node.Scalar()) != words.end()) return Capacity{};
    if (node.IsScalar() && !node.Scalar().empty() && node.Scalar()[0] == '-')
      fail(node, fmt::format("capacity: expected 0, a positive number or 'unbounded', found '{}'", node.Scalar()));
    return Capacity{yaml::integer(node, file, "capacity (or 'unbounded')", 0, format::max_capacity)};
  }

  ChannelSpec channel(const std::string& name, const YAML::Node& node) const {
    yaml::Fields f(node, file, "channel '" + name + "'", format::channel);
    ChannelSpec ch;
    ch.name = name;
    ch.mark = yaml::mark_of(node, file);
    ch.addressing = yaml::enumeration<Addressing>(f.require("addressing"), file, "addressing");
    ch.capacity = f.has("capacity") ? capacity(f.get("capacity")) : Capacity{};
    if (f.has("full")) ch.full = yaml::enumeration<FullPolicy>(f.get("full"), file, "full");
    if (f.has("receivers")) ch.receivers = yaml::enumeration<ReceiverPolicy>(f.get("receivers"), file, "receivers");
    ch.sender_buffer = f.boolean("sender_buffer", false);
    for (const format::Key& key : format::channel_keys)
      if (key.only_for && f.has(key.name) && ch.addressing != *key.only_for)
        fail(f.get(key.name),
             fmt::format("channel '{}': '{}' applies to {} channels only", name, key.name, to_string(*key.only_for)));
    if (ch.full != FullPolicy::block && (ch.capacity.unbounded() || ch.capacity.rendezvous()))
      fail(f.get("full"), fmt::format("channel '{}': a full policy needs a bounded capacity (N > 0)", name));
    if (ch.sender_buffer && ch.capacity.rendezvous())
      fail(f.get("sender_buffer"),
           fmt::format("channel '{}': a sender buffer needs a capacity of at least 1 (at capacity 0 a message "
                       "goes straight to a receiver)",
                       name));
    switch (ch.addressing) {
      case Addressing::direct_symmetric: {
        YAML::Node between = f.require("between");
        if (!between.IsSequence() || between.size() != 2)
          fail(between, fmt::format("channel '{}': a direct-symmetric channel links exactly two "
                                    "processes: expected between: [P, Q]",
                                    name));
        for (const auto& p : between) ch.between.push_back(yaml::name(p, file, "between"));
        if (ch.between[0] == ch.between[1])
          fail(between, fmt::format("channel '{}': between needs two different processes", name));
        break;
      }
      case Addressing::direct_asymmetric:
        ch.receiver = yaml::name(f.require("receiver"), file, "receiver");
        break;
      case Addressing::mailbox:
        ch.owner = f.has("owner") ? yaml::name(f.get("owner"), file, "owner") : "os";
        if (ch.owner == "os") ch.owner.clear();
        if (f.has("delete_at")) {
          if (!ch.owner.empty())
            fail(f.get("delete_at"), fmt::format("channel '{}': only an OS-owned mailbox is deleted "
                                                 "at a time; a process-owned one ends with its owner",
                                                 name));
          ch.delete_at = f.duration("delete_at", Seconds{0});
        }
        if (f.has("host")) ch.host = yaml::name(f.get("host"), file, "host");
        break;
    }
    return ch;
  }

  // Pass one over processes: names, hosts and counts, so programs can refer to any process.
  ProcessSpec process_header(const std::string& name, const YAML::Node& node) const {
    yaml::Fields f(node, file, "process '" + name + "'", format::process);
    ProcessSpec p;
    p.name = name;
    p.mark = yaml::mark_of(node, file);
    p.host = f.has("host") ? yaml::name(f.get("host"), file, "host") : "local";
    p.count = static_cast<std::uint32_t>(f.integer("count", 1));
    f.require("program");
    return p;
  }

  template <class Mode>
  void read_timeout(const yaml::Fields& f, Mode& mode, Seconds& timeout, std::string_view step) const {
    if (f.has("mode")) mode = yaml::enumeration<Mode>(f.get("mode"), file, std::string(step) + ".mode");
    if (f.has("timeout")) {
      if (f.has("mode") && mode != Mode::timeout)
        fail(f.get("timeout"),
             fmt::format("{}: 'timeout' goes with mode: timeout, not mode: {}", step, to_string(mode)));
      mode = Mode::timeout;
      timeout = f.duration("timeout", Seconds{0});
    } else if (mode == Mode::timeout) {
      fail(f.node(), fmt::format("{}: mode: timeout needs 'timeout: T'", step));
    }
  }

  // One reader per step kind: `node` is the step, `arg` its value.
  Step::Action send_step(const YAML::Node& node, const YAML::Node& arg, const ProcessSpec& self) const {
    yaml::Fields f(arg, file, "send", format::send);
    SendStep send;
    send.to = yaml::scalar(f.require("to"), file, "send.to");
    send.via = f.string("via");
    send.size = yaml::random_size(f.require("size"), file);
    send.forward = f.boolean("forward", false);
    read_timeout(f, send.mode, send.timeout, "send");
    check_send_target(scenario, send, self, yaml::mark_of(node, file));
    return send;
  }
  Step::Action reply_step(const YAML::Node& arg) const {
    yaml::Fields f(arg, file, "reply", format::reply);
    ReplyStep reply;
    reply.size = yaml::random_size(f.require("size"), file);
    reply.forward = f.boolean("forward", false);
    read_timeout(f, reply.mode, reply.timeout, "reply");
    return reply;
  }
  Step::Action receive_step(const YAML::Node& node, const YAML::Node& arg, const ProcessSpec& self) const {
    ReceiveStep recv;
    if (!arg.IsNull()) {
      yaml::Fields f(arg, file, "recv", format::receive);
      recv.from = f.string("from");
      read_timeout(f, recv.mode, recv.timeout, "recv");
    }
    if (recv.from == "any") recv.from.clear();
    check_receive_source(scenario, recv, self, yaml::mark_of(node, file));
    return recv;
  }
  Step::Action delete_step(const YAML::Node& arg) const {
    DeleteStep del{yaml::scalar(arg, file, "delete")};
    check_deleted_mailbox(scenario, del, yaml::mark_of(arg, file));
    return del;
  }
  Step::Action repeat_step(const YAML::Node& node, const ProcessSpec& self, bool& forever) const {
    yaml::Fields f(node, file, "repeat", format::repeat);
    RepeatStep repeat;
    YAML::Node times = f.require("repeat");
    if (times.IsScalar() && times.Scalar() == "forever")
      forever = true;
    else
      repeat.times = yaml::integer(times, file, "repeat (or 'forever')", 0, format::max_repeat);
    repeat.body = program(f.require("do"), self, forever);
    return repeat;
  }

  Step step(const YAML::Node& node, const ProcessSpec& self, bool& forever) const {
    const std::vector<std::string>& verbs = step_names();
    if (!node.IsMap() || node.size() == 0) fail(node, "program step: expected one of " + or_list(verbs));
    Step s;
    s.mark = yaml::mark_of(node, file);
    const std::string verb = node.begin()->first.Scalar();
    const YAML::Node arg = node.begin()->second;
    if (verb == "repeat") {  // repeat: and do: side by side
      s.action = repeat_step(node, self, forever);
      return s;
    }
    if (std::find(verbs.begin(), verbs.end(), verb) == verbs.end())
      fail(node.begin()->first, fmt::format("unknown step '{}': expected {}", verb, or_list(verbs)));
    if (node.size() != 1) fail(node, fmt::format("step '{}': expected a single key", verb));
    if (verb == "send")
      s.action = send_step(node, arg, self);
    else if (verb == "reply")
      s.action = reply_step(arg);
    else if (verb == "recv")
      s.action = receive_step(node, arg, self);
    else if (verb == "compute")
      s.action = ComputeStep{yaml::random_duration(arg, file)};
    else if (verb == "sleep")
      s.action = SleepStep{yaml::random_duration(arg, file)};
    else
      s.action = delete_step(arg);
    return s;
  }

  std::vector<Step> program(const YAML::Node& node, const ProcessSpec& self, bool& forever) const {
    if (!node.IsSequence()) fail(node, "program: expected a list of steps");
    std::vector<Step> steps;
    for (const auto& item : node) steps.push_back(step(item, self, forever));
    return steps;
  }

  FaultSpec fault(const YAML::Node& node, const std::vector<std::string>& hosts,
                  const std::vector<std::string>& links) const {
    yaml::Fields f(node, file, "fault", format::fault);
    FaultSpec fault;
    fault.mark = yaml::mark_of(node, file);
    fault.at = yaml::duration(f.require("at"), file);
    YAML::Node target;
    std::string_view verb;
    for (const auto& [kind, name] : EnumNames<FaultKind>::table) {
      if (!f.has(name)) continue;
      if (!verb.empty()) fail(node, fmt::format("fault: both {} and {}: expected one fault per entry", verb, name));
      fault.kind = kind;
      target.reset(f.get(name));
      verb = name;
    }
    if (verb.empty())
      fail(node,
           "fault: expected 'at' and one of host_down, host_up, link_down, link_up or kill, e.g. "
           "{at: 10ms, host_down: beta}");
    fault.target = yaml::scalar(target, file, verb);
    auto known = [&](const std::vector<std::string>& names) {
      return std::find(names.begin(), names.end(), fault.target) != names.end();
    };
    switch (fault.kind) {
      case FaultKind::host_down:
      case FaultKind::host_up:
        if (!known(hosts))
          fail(target, fmt::format("{}: unknown host '{}': expected {}", verb, fault.target, or_list(hosts, 8)));
        break;
      case FaultKind::link_down:
      case FaultKind::link_up:
        if (links.empty())
          fail(target, fmt::format("{}: the model has no network links (the ideal network, or a single host)", verb));
        if (!known(links))
          fail(target, fmt::format("{}: unknown link '{}': expected {}", verb, fault.target, or_list(links, 8)));
        break;
      case FaultKind::kill:
        if (!process_named(scenario, fault.target))
          fail(target, fmt::format("kill: unknown process '{}': expected a process or an instance such as "
                                   "client.0",
                                   fault.target));
        break;
    }
    return fault;
  }

  std::vector<FaultSpec> faults(const YAML::Node& node) const {
    if (!node.IsSequence()) fail(node, "faults: expected a list such as [{at: 10ms, host_down: beta}]");
    const std::vector<std::string> hosts = scenario.host_names();
    const std::vector<std::string> links = link_names(scenario.model.network, hosts);
    std::vector<FaultSpec> list;
    for (const auto& item : node) list.push_back(fault(item, hosts, links));
    return list;
  }

  void load(const YAML::Node& root) {
    yaml::Fields f(root, file, "scenario", format::scenario);
    scenario.file = file;
    scenario.name = result_name(f.get("name"));
    scenario.seed = f.integer("seed", 1);
    scenario.replications = static_cast<std::uint32_t>(f.integer("replications", 1));
    scenario.model = f.has("model") ? model(f.get("model")) : ideal_model();
    if (f.has("stop")) scenario.stop = stop(f.get("stop"));
    scenario.measure = f.boolean("measure", false);

    if (f.has("channels")) {
      YAML::Node channels = f.get("channels");
      if (!channels.IsMap()) fail(channels, "channels: expected a mapping of channel names");
      for (const auto& entry : channels) {
        std::string name = yaml::name(entry.first, file, "channel name");
        if (const ChannelSpec* twin = scenario.find_channel(name))
          fail(entry.first, fmt::format("channel '{}' is defined twice (first at line {}): expected one entry per name",
                                        name, twin->mark.line));
        scenario.channels.push_back(channel(name, entry.second));
      }
    }
    YAML::Node processes = f.require("processes");
    if (!processes.IsMap() || processes.size() == 0)
      fail(processes, "processes: expected a mapping of process names to {host, count, program}");
    std::uint64_t instances = 0;
    for (const auto& entry : processes) {
      std::string name = yaml::name(entry.first, file, "process name");
      if (const ProcessSpec* twin = scenario.find_process(name))
        fail(entry.first, fmt::format("process '{}' is defined twice (first at line {}): expected one entry per name",
                                      name, twin->mark.line));
      if (name == "any" || name.find('.') != std::string::npos || scenario.find_channel(name))
        fail(entry.first, fmt::format("process name '{}': must not be 'any', contain '.', or be a "
                                      "channel's name",
                                      name));
      scenario.processes.push_back(process_header(name, entry.second));
      check_host(scenario, scenario.processes.back().host, scenario.processes.back().mark);
      instances += scenario.processes.back().count;
      if (instances > format::max_instances)
        fail(entry.second, fmt::format("too many processes: at most {} in all", format::max_instances));
    }
    check_channel_parties(scenario);
    if (f.has("stop")) check_stop_channel(scenario, yaml::mark_of(f.get("stop"), file));
    bool forever = false;
    std::size_t index = 0;
    for (const auto& entry : processes) {
      ProcessSpec& p = scenario.processes[index++];
      p.program = program(entry.second["program"], p, forever);
    }
    if (forever && !scenario.stop.messages && !scenario.stop.time)
      fail(root, "a program repeats forever: add stop: {messages: N} or stop: {time: T}");
    if (f.has("faults")) scenario.faults = faults(f.get("faults"));
  }
};

}  // namespace

const ChannelSpec* Scenario::find_channel(std::string_view wanted) const {
  for (const auto& ch : channels)
    if (ch.name == wanted) return &ch;
  return nullptr;
}

const ProcessSpec* Scenario::find_process(std::string_view wanted) const {
  for (const auto& p : processes)
    if (p.name == wanted) return &p;
  return nullptr;
}

std::vector<std::string> Scenario::host_names() const {
  std::vector<std::string> names;
  for (const HostSpec& h : model.network.hosts) names.push_back(h.name);
  if (!names.empty()) return names;
  auto add = [&](const std::string& host) {
    if (!host.empty() && std::find(names.begin(), names.end(), host) == names.end()) names.push_back(host);
  };
  for (const ProcessSpec& p : processes) add(p.host);
  for (const ChannelSpec& ch : channels) add(ch.host);
  return names;
}

std::string instance_name(const ProcessSpec& process, std::uint32_t index) {
  return process.count == 1 ? process.name : fmt::format("{}.{}", process.name, index);
}

Scenario read_scenario(const YAML::Node& root, const std::string& file) {
  if (root.IsMap()) expand_params(root, file);
  Loader loader{file, {}};
  loader.load(root);
  return std::move(loader.scenario);
}

Scenario parse_scenario(const std::string& text, const std::string& file) {
  return read_scenario(yaml::load_text(text, file), file);
}

Scenario load_scenario(const std::string& path) { return std::move(load_sweep(path, {}).front().scenario); }

}  // namespace ipcsim::scenario
