#pragma once
// The scenario format as data: each mapping's keys, what each holds, its range and a line of
// documentation. The loader checks keys and whole-number ranges against these tables, and the
// JSON Schema that editors read is generated from them (schema.cpp), so the two cannot
// disagree on a key, a spelling or a range.
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "scenario.hpp"
#include "semantics.hpp"

namespace ipcsim::scenario::format {

/// What a key's value is.
enum class Value {
  result_name,      // the scenario's name: a portable file name
  name,             // a process, channel, host or mailbox name
  text,             // free text
  whole_number,     // from Key::min to Key::max
  repeat_count,     // a whole number or 'forever'
  boolean,          // true or false
  duration,         // 10ms
  random_duration,  // a duration or a distribution of them
  random_size,      // a size or a distribution of them
  bandwidth,        // 1Gbps, or infinite
  speed,            // 1Gf
  capacity,         // 0, N or unbounded
  choice,           // one of Key::choices
  process_pair,     // [P, Q]
  platform_file,    // a SimGrid platform file (.xml)
  model,            // a model's name, a model file, or a model written out (Key::section)
  mapping,          // of Key::section's keys
  named_mappings,   // name -> a mapping of Key::section's keys
  list,             // of mappings of Key::section's keys
  program,          // a list of steps (steps below)
  params,           // parameter name -> any value
  sweep,            // path or parameter name -> list of values
};

struct Section;

struct Key {
  std::string_view name;
  Value value;
  std::string_view doc;
  bool required = false;
  std::uint64_t min = 0, max = 0;               // whole_number
  std::span<const std::string_view> choices{};  // choice
  const Section* section = nullptr;             // model, mapping, named_mappings, list
  std::optional<Addressing> only_for{};         // a channel key that applies to one addressing
                                                // (required, when `required`, for that one only)
  std::string_view conflicts_with{};            // a key that, when present, rules this one out
};

struct Section {
  std::string_view name;  // as error messages and the schema's definitions call it
  std::span<const Key> keys;
  std::string_view doc;
};

/// A name's form, as data: the characters allowed first and after (a regular expression's
/// bracket-expression body: ranges such as a-z, single characters, a '-' last) and a length.
/// The loader matches names with it, and the schema writes it as a pattern.
struct NamePattern {
  std::string_view first;
  std::string_view rest;
  std::size_t max_length;

  bool matches(std::string_view text) const;
  std::string regex() const;  // ^[first][rest]{0,max_length-1}$
};

/// A parameter's name (params:), a scenario's name (it names result files: POSIX's portable
/// file name characters, not starting with '.' or '-'), and a model's name (model: lan).
inline constexpr NamePattern parameter_name{"A-Za-z_", "A-Za-z0-9_-", 64};
inline constexpr NamePattern result_name{"A-Za-z0-9_", "A-Za-z0-9._-", 100};
inline constexpr NamePattern model_name{"A-Za-z0-9_-", "A-Za-z0-9_-", 100};

/// The spellings of an enum's values, from its EnumNames table.
template <class E>
inline constexpr auto spellings_of = [] {
  std::array<std::string_view, EnumNames<E>::table.size()> names{};
  for (std::size_t i = 0; i < names.size(); ++i) names[i] = EnumNames<E>::table[i].second;
  return names;
}();

inline constexpr std::uint64_t max_instances = 1'000'000;
inline constexpr std::uint64_t max_capacity = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::uint64_t max_repeat = 1'000'000'000'000;
inline constexpr std::uint64_t max_stop_messages = 1'000'000'000'000;

/// The words that mean "no limit" for a capacity and a bandwidth alike.
inline constexpr std::array<std::string_view, 2> no_limit_words{"unbounded", "infinite"};
inline constexpr std::array<std::string_view, 2> topologies{"full-mesh", "star"};
inline constexpr std::array<std::string_view, 2> duplex_modes{"full", "half"};
/// network.model: ipcsim's exact model or one of SimGrid's network models.
inline constexpr std::array<std::string_view, 6> network_models{"exact", "LV08", "CM02", "SMPI", "IB", "Constant"};

inline constexpr std::array link_keys{
    Key{.name = "latency", .value = Value::duration, .doc = "One-way latency of each link (default 0)."},
    Key{.name = "bandwidth",
        .value = Value::bandwidth,
        .doc = "Bandwidth of each link, each way unless duplex: half (default infinite)."},
};
inline constexpr Section link{"link", link_keys, "Every link of a built-in topology."};

inline constexpr std::array host_keys{
    Key{.name = "speed", .value = Value::speed, .doc = "Computing speed of the host (default 1Gf)."},
    Key{.name = "cores", .value = Value::whole_number, .doc = "Cores of the host (default 1).", .min = 1, .max = 4096},
};
inline constexpr Section host{"host", host_keys, "A host of the network."};

inline constexpr std::array network_keys{
    Key{.name = "model",
        .value = Value::choice,
        .doc = "exact (ipcsim's latency + size/bandwidth per route) or a SimGrid network model.",
        .choices = network_models},
    Key{.name = "platform",
        .value = Value::platform_file,
        .doc = "A SimGrid platform file giving hosts, links and routes, relative to this file's folder."},
    Key{.name = "topology",
        .value = Value::choice,
        .doc = "full-mesh (a link per pair of hosts) or star (a link per host to a switch).",
        .choices = topologies,
        .conflicts_with = "platform"},
    Key{.name = "duplex",
        .value = Value::choice,
        .doc = "full (each direction at full bandwidth) or half (both directions share a link).",
        .choices = duplex_modes,
        .conflicts_with = "platform"},
    Key{.name = "link",
        .value = Value::mapping,
        .doc = "Latency and bandwidth of every link.",
        .section = &link,
        .conflicts_with = "platform"},
    Key{.name = "hosts",
        .value = Value::named_mappings,
        .doc = "The hosts, by name.",
        .section = &host,
        .conflicts_with = "platform"},
};
inline constexpr Section network{"network", network_keys, "How messages cross hosts."};

inline constexpr std::array local_keys{
    Key{.name = "send_overhead", .value = Value::duration, .doc = "CPU time a send costs its sender."},
    Key{.name = "receive_overhead", .value = Value::duration, .doc = "CPU time a receive costs its receiver."},
    Key{.name = "copy_bandwidth",
        .value = Value::bandwidth,
        .doc = "Rate of copying a message into and out of a buffer."},
    Key{.name = "wakeup", .value = Value::duration, .doc = "Delay before a blocked process runs again."},
};
inline constexpr Section local{"local", local_keys, "Costs on one host."};

inline constexpr std::array model_keys{
    Key{.name = "name", .value = Value::name, .doc = "The model's name in results."},
    Key{.name = "description", .value = Value::text, .doc = "What the model stands for."},
    Key{.name = "network", .value = Value::mapping, .doc = "How messages cross hosts.", .section = &network},
    Key{.name = "local", .value = Value::mapping, .doc = "Costs on one host.", .section = &local},
};
inline constexpr Section model{"model", model_keys, "A timing model: the network and local costs."};

inline constexpr std::array stop_keys{
    Key{.name = "messages",
        .value = Value::whole_number,
        .doc = "Stop after this many deliveries.",
        .min = 1,
        .max = max_stop_messages},
    Key{.name = "channel", .value = Value::name, .doc = "Count only the deliveries on this channel (with messages)."},
    Key{.name = "time", .value = Value::duration, .doc = "Stop at this simulated time."},
};
inline constexpr Section stop{"stop", stop_keys, "When the run stops (else when every program ends)."};

inline constexpr std::array channel_keys{
    Key{.name = "addressing",
        .value = Value::choice,
        .doc = "How senders name the receiver: direct-symmetric, direct-asymmetric or mailbox.",
        .required = true,
        .choices = spellings_of<Addressing>},
    Key{.name = "between",
        .value = Value::process_pair,
        .doc = "The two processes of a direct-symmetric channel.",
        .required = true,
        .only_for = Addressing::direct_symmetric},
    Key{.name = "receiver",
        .value = Value::name,
        .doc = "The one receiver of a direct-asymmetric channel.",
        .required = true,
        .only_for = Addressing::direct_asymmetric},
    Key{.name = "owner",
        .value = Value::name,
        .doc = "The process owning the mailbox (it alone receives; the mailbox ends with it), or os.",
        .only_for = Addressing::mailbox},
    Key{.name = "delete_at",
        .value = Value::duration,
        .doc = "When an OS-owned mailbox is deleted.",
        .only_for = Addressing::mailbox},
    Key{.name = "host", .value = Value::name, .doc = "The host the mailbox lives on.", .only_for = Addressing::mailbox},
    Key{.name = "capacity",
        .value = Value::capacity,
        .doc = "Messages the buffer holds: 0 (rendezvous), N, or unbounded (the default)."},
    Key{.name = "full",
        .value = Value::choice,
        .doc = "What a send into a full bounded buffer does (default block).",
        .choices = spellings_of<FullPolicy>},
    Key{.name = "receivers",
        .value = Value::choice,
        .doc = "Which waiting receiver a mailbox serves (default fifo).",
        .choices = spellings_of<ReceiverPolicy>,
        .only_for = Addressing::mailbox},
    Key{.name = "sender_buffer",
        .value = Value::boolean,
        .doc = "Put the buffer on the sender's host: a send returns once its message has room, the transfer behind it "
               "(default false)."},
};
inline constexpr Section channel{"channel", channel_keys, "A channel and its semantics."};

inline constexpr std::array send_keys{
    Key{.name = "to", .value = Value::name, .doc = "The receiving process, or the mailbox.", .required = true},
    Key{.name = "via", .value = Value::name, .doc = "The channel, when more than one leads to the receiver."},
    Key{.name = "size",
        .value = Value::random_size,
        .doc = "The message's size, or a distribution of sizes.",
        .required = true},
    Key{.name = "mode",
        .value = Value::choice,
        .doc = "blocking (default), synchronous, nonblocking or timeout.",
        .choices = spellings_of<SendMode>},
    Key{.name = "timeout", .value = Value::duration, .doc = "How long a timed send waits (mode: timeout)."},
    Key{.name = "forward",
        .value = Value::boolean,
        .doc = "Send the message last received rather than a new one (default false)."},
};
inline constexpr Section send{"send", send_keys, "Send a message."};

inline constexpr std::array reply_keys{
    Key{.name = "size",
        .value = Value::random_size,
        .doc = "The reply's size, or a distribution of sizes.",
        .required = true},
    Key{.name = "mode",
        .value = Value::choice,
        .doc = "blocking (default), synchronous, nonblocking or timeout.",
        .choices = spellings_of<SendMode>},
    Key{.name = "timeout", .value = Value::duration, .doc = "How long a timed reply waits (mode: timeout)."},
    Key{.name = "forward", .value = Value::boolean, .doc = "Reply with the message last received (default false)."},
};
inline constexpr Section reply{"reply", reply_keys, "Reply to the sender of the message last received."};

inline constexpr std::array receive_keys{
    Key{.name = "from",
        .value = Value::name,
        .doc = "The sender, the channel or the mailbox received from (default any)."},
    Key{.name = "mode",
        .value = Value::choice,
        .doc = "blocking (default), nonblocking or timeout.",
        .choices = spellings_of<ReceiveMode>},
    Key{.name = "timeout", .value = Value::duration, .doc = "How long a timed receive waits (mode: timeout)."},
};
inline constexpr Section receive{"recv", receive_keys, "Receive a message."};

inline constexpr std::array repeat_keys{
    Key{.name = "repeat",
        .value = Value::repeat_count,
        .doc = "How many times, or forever (then the scenario needs a stop).",
        .required = true},
    Key{.name = "do", .value = Value::program, .doc = "The steps repeated.", .required = true},
};
inline constexpr Section repeat{"repeat", repeat_keys, "Repeat steps."};

/// A program step is a mapping of one of these keys to its argument (repeat: with do: beside).
inline constexpr std::array steps{
    Key{.name = "send", .value = Value::mapping, .doc = "Send a message.", .section = &send},
    Key{.name = "recv",
        .value = Value::mapping,
        .doc = "Receive a message (recv: with nothing receives from any sender).",
        .section = &receive},
    Key{.name = "reply",
        .value = Value::mapping,
        .doc = "Reply to the sender of the message last received.",
        .section = &reply},
    Key{.name = "compute", .value = Value::random_duration, .doc = "Compute for a duration (on the host's cores)."},
    Key{.name = "sleep", .value = Value::random_duration, .doc = "Sleep for a duration."},
    Key{.name = "delete", .value = Value::name, .doc = "Delete a mailbox this process owns."},
    Key{.name = "repeat",
        .value = Value::mapping,
        .doc = "Repeat steps: repeat: N (or forever) with do: [steps].",
        .section = &repeat},
};

inline constexpr std::array process_keys{
    Key{.name = "host", .value = Value::name, .doc = "The host the process runs on (default local)."},
    Key{.name = "count",
        .value = Value::whole_number,
        .doc = "Instances of the process (default 1).",
        .min = 1,
        .max = max_instances},
    Key{.name = "program", .value = Value::program, .doc = "The steps the process runs.", .required = true},
};
inline constexpr Section process{"process", process_keys, "A process and its program."};

/// A fault entry: `at` and exactly one of the fault kinds (FaultKind's spellings).
inline constexpr std::array fault_keys{
    Key{.name = "at", .value = Value::duration, .doc = "When the fault happens.", .required = true},
    Key{.name = "host_down", .value = Value::name, .doc = "A host that goes down."},
    Key{.name = "host_up", .value = Value::name, .doc = "A host that comes back up."},
    Key{.name = "link_down", .value = Value::name, .doc = "A link that goes down."},
    Key{.name = "link_up", .value = Value::name, .doc = "A link that comes back up."},
    Key{.name = "kill", .value = Value::name, .doc = "A process (or one instance, such as worker.1) killed."},
};
inline constexpr Section fault{"fault", fault_keys, "A fault at a simulated time."};

inline constexpr std::array scenario_keys{
    Key{.name = "name",
        .value = Value::result_name,
        .doc = "The scenario's name; it names the result files (default: the file's name)."},
    Key{.name = "description", .value = Value::text, .doc = "What the scenario shows."},
    Key{.name = "seed",
        .value = Value::whole_number,
        .doc = "Seed of every random quantity (default 1).",
        .max = std::numeric_limits<std::uint64_t>::max()},
    Key{.name = "replications",
        .value = Value::whole_number,
        .doc = "Runs of each point, seeds seed, seed + 1, ... (default 1).",
        .min = 1,
        .max = max_replications},
    Key{.name = "model",
        .value = Value::model,
        .doc = "The timing model: ideal (the default), a model's name such as lan, a model file, or one written out.",
        .section = &model},
    Key{.name = "stop",
        .value = Value::mapping,
        .doc = "When the run stops (else when every program ends).",
        .section = &stop},
    Key{.name = "measure", .value = Value::boolean, .doc = "Also run the scenario on real threads (default false)."},
    Key{.name = "channels", .value = Value::named_mappings, .doc = "The channels, by name.", .section = &channel},
    Key{.name = "processes",
        .value = Value::named_mappings,
        .doc = "The processes, by name.",
        .required = true,
        .section = &process},
    Key{.name = "faults", .value = Value::list, .doc = "Faults at simulated times.", .section = &fault},
    Key{.name = "params", .value = Value::params, .doc = "Named parameters, used as ${name} in any value."},
    Key{.name = "sweep",
        .value = Value::sweep,
        .doc = "Values to run the scenario with: a path or a parameter's name to a list."},
};
inline constexpr Section scenario{"scenario", scenario_keys, "An ipcsim scenario."};

/// Whether `section` has a key named `name`.
constexpr bool has_key(const Section& section, std::string_view name) {
  for (const Key& k : section.keys)
    if (k.name == name) return true;
  return false;
}

/// The key of `section` named `name`; std::logic_error when it has none (a loader bug).
const Key& key_of(const Section& section, std::string_view name);

}  // namespace ipcsim::scenario::format
