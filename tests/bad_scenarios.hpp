#pragma once
// Malformed scenarios, each with the line the error must point at and words it must say.
// Shared by the loader tests (the message) and the CLI tests (exit code 2, no file written).
#include <string>
#include <vector>

namespace ipcsim::test {

struct BadScenario {
  std::string name;
  std::string text;
  int line;
  std::string says;
};

inline const std::string ok_channels = "channels:\n  box: {addressing: mailbox}\n";

// Nine lines of anchors, each level ten aliases of the one before: 10^9 steps once expanded.
inline std::string billion_laughs() {
  std::string text = "processes:\n  p:\n    program:\n      - &l0 {sleep: 1ms}\n";
  for (int level = 1; level <= 9; ++level) {
    text += "      - &l" + std::to_string(level) + " {repeat: 1, do: [";
    for (int i = 0; i < 10; ++i) text += (i ? ", *l" : "*l") + std::to_string(level - 1);
    text += "]}\n";
  }
  return text;
}

inline std::vector<BadScenario> bad_scenarios() {
  return {
      // Hostile input: names that would escape results/ or drive a terminal, values SimGrid
      // aborts on, YAML that expands past memory.
      {"a name that climbs out of results/", "name: ../escape\nprocesses: {p: {program: []}}\n", 1,
       "name '../escape': expected at most 100 letters, digits, '.', '_' or '-'"},
      {"a name with a slash", "name: reference/capacity-sweep\nprocesses: {p: {program: []}}\n", 1,
       "name 'reference/capacity-sweep'"},
      {"a hidden name", "name: .profile\nprocesses: {p: {program: []}}\n", 1, "not starting with '.' or '-'"},
      {"a name like an option", "name: -rf\nprocesses: {p: {program: []}}\n", 1, "not starting with '.' or '-'"},
      {"a name with NUL", "name: \"a\\0b\"\nprocesses: {p: {program: []}}\n", 1, "name 'a\\x00b'"},
      {"a name with an escape sequence", "name: \"a\\e[2Jb\"\nprocesses: {p: {program: []}}\n", 1, "name 'a\\x1b[2Jb'"},
      {"a name too long for a file", "name: " + std::string(300, 'n') + "\nprocesses: {p: {program: []}}\n", 1,
       "name '" + std::string(100, 'n') + "...'"},
      {"a name that is not UTF-8", "name: \"caf\xe9\"\nprocesses: {p: {program: []}}\n", 1, "name"},
      {"an empty channel name (segfaulted run)",
       "channels:\n  \"\": {addressing: mailbox}\nprocesses: {p: {program: []}}\n", 2,
       "channel name: expected a name, found nothing"},
      {"a process name with a line break", "processes:\n  \"a\\nb\": {program: []}\n", 2,
       "process name 'a\\x0ab': expected a name of at most 200 bytes of UTF-8 text, without control characters"},
      {"a process name that is not UTF-8", "processes:\n  \"p\xff\": {program: []}\n", 2, "process name 'p\\xff'"},
      {"a process name too long", "processes:\n  " + std::string(201, 'p') + ": {program: []}\n", 2,
       "expected a name of at most 200 bytes"},
      {"a host name with a control character", "processes: {p: {host: \"a\\tb\", program: []}}\n", 1, "host 'a\\x09b'"},
      {"a model host with a control character",
       "model: {network: {hosts: {\"a\\x7fb\": {}}}}\nprocesses: {p: {host: a, program: []}}\n", 1,
       "host name 'a\\x7fb'"},
      {"a model name that drives the terminal", "model: {name: \"\\e]0;pwned\\a\"}\nprocesses: {p: {program: []}}\n", 1,
       "model name '\\x1b]0;pwned\\x07'"},
      {"an exponential whose draws overflow", "processes: {p: {program: [{sleep: exp(1e308s)}]}}\n", 1,
       "expected a duration such as 10ms"},
      {"an exponential past the clock's range", "processes: {p: {program: [{sleep: exp(1e8s)}]}}\n", 1,
       "exp(1e8s) can draw values up to 3.67e+09 s: expected a distribution whose values stay within 1e+09 s"},
      {"a pareto with a tiny shape", "processes: {p: {program: [{sleep: 'pareto(1s, 0.0001)'}]}}\n", 1,
       "can draw values up to inf s"},
      {"a normal with a huge spread", "processes: {p: {program: [{compute: 'normal(1s, 1e9s)'}]}}\n", 1,
       "can draw values up to 8.57e+09 s"},
      {"a lognormal size past a petabyte",
       "processes: {p: {program: [{send: {to: box, size: 'lognormal(1e14B, 1e15B)'}}]}}\n" + ok_channels, 1,
       "can draw values up to"},
      {"a size of 2^63 bytes",
       "processes: {p: {program: [{send: {to: box, size: 9223372036854775808B}}]}}\n" + ok_channels, 1,
       "at most 1e15 B"},
      {"a host speed that overflows",
       "model: {network: {hosts: {a: {speed: 1e300Tf}}}}\nprocesses: {p: {host: a, program: []}}\n", 1,
       "expected a speed such as 1Gf (units: f, kf, Mf, Gf, Tf; from 1f to 1e18 f), found '1e300Tf'"},
      {"a zero bandwidth", "model: {network: {link: {bandwidth: 0bps}}}\nprocesses: {p: {program: []}}\n", 1,
       "from 1bps to 1e18 B/s"},
      {"a latency past the clock's range",
       "model: {network: {link: {latency: 1e10s}}}\nprocesses: {p: {program: []}}\n", 1, "at most 1e9 s"},
      {"a seed past 2^64-1", "seed: 18446744073709551616\nprocesses: {p: {program: []}}\n", 1,
       "seed: expected a whole number from 0 to 18446744073709551615"},
      {"a second YAML document", "processes: {p: {program: []}}\n---\nprocesses: {q: {program: []}}\n", 2,
       "a second YAML document (after ---): expected one document per file"},
      {"text on which yaml-cpp's LoadAll never returns (found by fuzz_scenario)", ", size: \xc2", 1,
       "invalid YAML: the parser cannot get past here"},
      {"nesting deeper than the parser goes",
       "processes: {p: {program: " + std::string(3000, '[') + std::string(3000, ']') + "}}\n", 1,
       "invalid YAML: nested too deeply: expected a flatter document"},
      {"aliases that expand past a million nodes (billion laughs)", billion_laughs(), 1,
       "more than 1000000 YAML nodes once aliases are expanded"},
      {"misspelt top-level key", "chanels: {}\nprocesses: {p: {program: []}}\n", 1,
       "unknown key 'chanels' in scenario: expected one of"},
      {"YAML syntax error", "processes: {p: {program: [}\n", 1, "invalid YAML"},
      {"no processes", "name: x\n", 1, "missing required key 'processes'"},
      {"unknown addressing", "channels:\n  box: {addressing: postal}\nprocesses: {p: {program: []}}\n", 2,
       "addressing: expected direct-symmetric, direct-asymmetric or mailbox, found 'postal'"},
      {"negative capacity", "channels:\n  box: {addressing: mailbox, capacity: -1}\nprocesses: {p: {program: []}}\n", 2,
       "capacity: expected 0, a positive number or 'unbounded'"},
      {"capacity that is not a number",
       "channels:\n  box: {addressing: mailbox, capacity: lots}\nprocesses: {p: {program: []}}\n", 2,
       "capacity (or 'unbounded'): expected a whole number"},
      {"unknown full policy",
       "channels:\n  box: {addressing: mailbox, capacity: 2, full: explode}\nprocesses: {p: {program: []}}\n", 2,
       "full: expected block, fail, drop-oldest or drop-newest"},
      {"full policy on an unbounded buffer",
       "channels:\n  box: {addressing: mailbox, full: fail}\nprocesses: {p: {program: []}}\n", 2,
       "a full policy needs a bounded capacity"},
      {"symmetric channel listing three processes",
       "channels:\n  l: {addressing: direct-symmetric, between: [a, b, c]}\nprocesses:\n  a: {program: []}\n"
       "  b: {program: []}\n  c: {program: []}\n",
       2, "links exactly two processes"},
      {"symmetric channel between groups of different sizes",
       "channels:\n  l: {addressing: direct-symmetric, between: [a, b]}\nprocesses:\n  a: {count: 3, program: []}\n"
       "  b: {program: []}\n",
       2, "'a' has 3 instances and 'b' has 1: a symmetric channel pairs them one to one (a.i with b.i)"},
      {"send to one instance of a paired group",
       "channels:\n  l: {addressing: direct-symmetric, between: [a, b]}\nprocesses:\n"
       "  a: {count: 2, program: [{send: {to: b.1, size: 1B}}]}\n  b: {count: 2, program: []}\n",
       4, "send: 'a' and 'b' are paired instance by instance (a.i with b.i): expected to: b"},
      {"a process defined twice (found by fuzz_scenario)", "processes:\n  ping: {program: []}\n  ping: {program: []}\n",
       3, "process 'ping' is defined twice (first at line 2)"},
      {"a channel defined twice",
       "channels:\n  box: {addressing: mailbox}\n  box: {addressing: mailbox}\n"
       "processes: {p: {program: []}}\n",
       3, "channel 'box' is defined twice (first at line 2)"},
      {"an empty host name (found by fuzz_scenario)", "processes:\n  p: {host: !tag, program: []}\n", 2,
       "host: expected a name, found nothing"},
      {"an empty mailbox host", "channels:\n  box: {addressing: mailbox, host: ''}\nprocesses: {p: {program: []}}\n", 2,
       "host: expected a name, found nothing"},
      {"an empty host in the model", "model: {network: {hosts: {'': {}}}}\nprocesses: {p: {host: a, program: []}}\n", 1,
       "host name: expected a name, found nothing"},
      {"model name too long for a path (found by fuzz_scenario)",
       "model: " + std::string(5000, 'a') + "\nprocesses: {p: {program: []}}\n", 1,
       "model: expected the built-in 'ideal' or a model file"},
      {"send to an unknown target", ok_channels + "processes:\n  p: {program: [{send: {to: nowhere, size: 1B}}]}\n", 4,
       "send: unknown target 'nowhere': expected a mailbox (box) or a process"},
      {"receive from an unknown source", ok_channels + "processes:\n  p: {program: [{recv: {from: nowhere}}]}\n", 4,
       "recv: unknown source 'nowhere'"},
      {"size with a wrong unit", ok_channels + "processes:\n  p: {program: [{send: {to: box, size: 10 parsecs}}]}\n", 4,
       "expected a size such as 1KiB"},
      {"duration without a unit", "processes:\n  p: {program: [{sleep: 10}]}\n", 2, "expected a duration such as 10ms"},
      {"distribution with a negative mean", "processes:\n  p: {program: [{sleep: exp(-1ms)}]}\n", 2,
       "in exp(mean): expected a duration"},
      {"unknown step", "processes:\n  p:\n    program:\n      - sned: {to: box}\n", 4, "unknown step 'sned'"},
      {"unknown send mode",
       ok_channels + "processes:\n  p: {program: [{send: {to: box, size: 1B, mode: eventually}}]}\n", 4,
       "send.mode: expected blocking, synchronous, nonblocking or timeout"},
      {"timeout mode without a timeout",
       ok_channels + "processes:\n  p: {program: [{send: {to: box, size: 1B, mode: timeout}}]}\n", 4,
       "mode: timeout needs 'timeout: T'"},
      {"timeout beside another mode",
       ok_channels + "processes:\n  p: {program: [{recv: {from: box, mode: blocking, timeout: 1ms}}]}\n", 4,
       "'timeout' goes with mode: timeout"},
      {"forever without a stop condition",
       ok_channels + "processes:\n  p: {program: [{repeat: forever, do: [{send: {to: box, size: 1B}}]}]}\n", 1,
       "a program repeats forever: add stop"},
      {"a non-owner receiving from a process-owned mailbox",
       "channels:\n  box: {addressing: mailbox, owner: server}\nprocesses:\n  server: {program: []}\n"
       "  thief: {program: [{recv: {from: box}}]}\n",
       5, "only its owner receives from it"},
      {"an unknown owner", "channels:\n  box: {addressing: mailbox, owner: ghost}\nprocesses: {p: {program: []}}\n", 2,
       "unknown mailbox owner process 'ghost'"},
      {"delete_at on a process-owned mailbox",
       "channels:\n  box: {addressing: mailbox, owner: p, delete_at: 1s}\nprocesses: {p: {program: []}}\n", 2,
       "only an OS-owned mailbox is deleted at a time"},
      {"a missing model file", "model: models/nowhere.yaml\nprocesses: {p: {program: []}}\n", 1,
       "model: expected the built-in 'ideal' or a model file"},
      {"a host the model does not have",
       "model: {network: {hosts: {alpha: {}}}}\nprocesses:\n  p: {host: beta, program: []}\n", 3,
       "unknown host 'beta'"},
      {"zero instances", "processes:\n  p: {count: 0, program: []}\n", 2, "count: expected a whole number from 1"},
      {"a billion instances", "processes:\n  p: {count: 1000000000, program: []}\n", 2, "from 1 to 1000000"},
      {"receive from any without an asymmetric channel", "processes:\n  p: {program: [{recv: {from: any}}]}\n", 2,
       "has no direct-asymmetric channel"},
      {"send to a group of several receivers",
       "channels:\n  in: {addressing: direct-asymmetric, receiver: s}\nprocesses:\n  s: {count: 2, program: []}\n"
       "  c: {program: [{send: {to: s, size: 1B}}]}\n",
       5, "'s' has 2 instances: name one, e.g. to: s.0"},
      {"a duplicate key", "processes:\n  p: {program: [], program: []}\n", 2, "duplicate key 'program'"},
      {"between on a mailbox",
       "channels:\n  box: {addressing: mailbox, between: [a, b]}\nprocesses: {p: {program: []}}\n", 2,
       "'between' applies to direct-symmetric channels only"},
      {"a stop with no condition", "stop: {}\nprocesses: {p: {program: []}}\n", 1, "stop: expected 'messages: N'"},
      {"a bandwidth with a wrong unit",
       "model: {network: {link: {bandwidth: 3 furlongs}}}\nprocesses: {p: {program: []}}\n", 1,
       "expected a bandwidth such as 1Gbps"},
      {"an unknown SimGrid network model", "model: {network: {model: Warp9}}\nprocesses: {p: {program: []}}\n", 1,
       "network.model: expected exact or one of SimGrid's"},
      {"a process named any", "processes:\n  any: {program: []}\n", 2, "must not be 'any'"},
      {"a step that is not a mapping", "processes:\n  p:\n    program:\n      - send\n", 4,
       "program step: expected one of send"},
      {"deleting an unknown mailbox", "processes:\n  p: {program: [{delete: nothing}]}\n", 2,
       "delete: expected an OS-owned mailbox, found 'nothing'"},
      {"a negative seed", "seed: -4\nprocesses: {p: {program: []}}\n", 1, "seed: expected a whole number"},
      {"measure that is not true or false", "measure: maybe\nprocesses: {p: {program: []}}\n", 1,
       "scenario.measure: expected true or false, found 'maybe'"},
      {"faults that are not a list", "processes: {p: {host: a, program: []}}\nfaults: {at: 1ms}\n", 2,
       "faults: expected a list"},
      {"a fault with no kind", "processes: {p: {host: a, program: []}}\nfaults:\n  - {at: 1ms}\n", 3,
       "fault: expected 'at' and one of host_down, host_up, link_down, link_up or kill"},
      {"a fault of two kinds",
       "processes: {p: {host: a, program: []}}\nfaults:\n  - {at: 1ms, kill: p, host_down: a}\n", 3,
       "fault: both host_down and kill: expected one fault per entry"},
      {"a fault with no time", "processes: {p: {host: a, program: []}}\nfaults:\n  - {kill: p}\n", 3,
       "missing required key 'at'"},
      {"a fault at a negative time", "processes: {p: {host: a, program: []}}\nfaults:\n  - {at: -1ms, kill: p}\n", 3,
       "expected a duration"},
      {"a fault on an unknown host",
       "processes: {p: {host: alpha, program: []}}\nfaults:\n  - {at: 1ms, host_down: omega}\n", 3,
       "host_down: unknown host 'omega': expected alpha"},
      {"a link fault on the ideal network",
       "processes:\n  p: {host: a, program: []}\n  q: {host: b, program: []}\nfaults:\n  - {at: 1ms, link_down: a-b}\n",
       5, "link_down: the model has no network links"},
      {"a fault on an unknown link",
       "model: {network: {link: {latency: 1ms}}}\nprocesses:\n  p: {host: a, program: []}\n  q: {host: b, program: "
       "[]}\n"
       "faults:\n  - {at: 1ms, link_up: b-a}\n",
       6, "link_up: unknown link 'b-a': expected a-b"},
      {"killing an unknown process", "processes: {p: {count: 2, program: []}}\nfaults:\n  - {at: 1ms, kill: p.2}\n", 3,
       "kill: unknown process 'p.2'"},
  };
}

}  // namespace ipcsim::test
