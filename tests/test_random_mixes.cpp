// Random mixes of every semantic at once (capacities, full and receiver policies, owners,
// deletions, every send and receive mode, two hosts and a network, a time stop, and faults):
// whatever happens, each message ends exactly once and SimGrid never finds a deadlock we
// missed.
#include <fmt/format.h>

#include <random>

#include "base/sanitizers.hpp"
#include "helpers.hpp"

using namespace ipcsim;
using namespace ipcsim::test;

namespace {

std::string random_scenario(unsigned seed, bool faults) {
  std::mt19937 rng(seed);
  auto pick = [&](std::initializer_list<const char*> options) {
    return std::data(options)[std::uniform_int_distribution<std::size_t>(0, options.size() - 1)(rng)];
  };
  auto between = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); };
  auto send = [&](const std::string& to) {
    std::string mode = pick({"blocking", "synchronous", "nonblocking", "timeout"});
    std::string timeout = mode == "timeout" ? fmt::format(", timeout: {}ms", between(1, 5)) : "";
    return fmt::format("{{send: {{to: {}, size: {}, mode: {}{}}}}}", to, pick({"10B", "1KiB", "exp(500B)"}), mode,
                       timeout);
  };
  auto recv = [&](const std::string& from) {
    std::string mode = pick({"blocking", "nonblocking", "timeout"});
    std::string timeout = mode == "timeout" ? fmt::format(", timeout: {}ms", between(1, 5)) : "";
    return fmt::format("{{recv: {{from: {}, mode: {}{}}}}}", from, mode, timeout);
  };
  // With faults, the hosts are declared, so that the links are a-b, a-c and b-c.
  std::string text = fmt::format(
      "seed: {}\nmodel: {{network: {{{}link: {{latency: 1ms, bandwidth: 1MB/s}}}}, local: {{send_overhead: 1us, "
      "wakeup: 10us}}}}\nstop: {{time: {}}}\nchannels:\n",
      seed, faults ? "hosts: {a: {}, b: {}, c: {}}, " : "", pick({"50ms", "200ms"}));
  // Each draw is a statement of its own, in the order GCC evaluated them when they were
  // arguments (the last first): the same scenarios from every compiler (clang drew others,
  // one of which floods a link for minutes: "max-wall is heard when each step is slow").
  bool m0_os = false;
  for (int i = 0; i < 3; ++i) {
    std::string capacity = pick({"0", "1", "3", "unbounded"});
    bool bounded = capacity == "1" || capacity == "3";
    std::string owner = i == 0 ? pick({"os", "server"}) : pick({"os", "os", "server"});
    if (i == 0) m0_os = owner == "os";
    std::string deletion = owner == "os" && between(0, 3) == 0 ? fmt::format(", delete_at: {}ms", between(1, 100)) : "";
    const std::string receivers = pick({"fifo", "round-robin", "random"});
    const std::string full = bounded ? pick({"block", "fail", "drop-oldest", "drop-newest"}) : "block";
    text += fmt::format("  m{}: {{addressing: mailbox, owner: {}, capacity: {}, full: {}, receivers: {}{}}}\n", i,
                        owner, capacity, full, receivers, deletion);
  }
  text += "  inbox: {addressing: direct-asymmetric, receiver: client, capacity: 2}\nprocesses:\n";
  const std::string client_last = between(0, 1) ? recv("any") : "{sleep: 1ms}";
  const std::string to_m2 = send("m2"), to_m1 = send("m1"), to_m0 = send("m0");
  const int clients = between(1, 3);
  const std::string client_host = pick({"a", "b"});
  text += fmt::format(
      "  client: {{host: {}, count: {}, program: [{{repeat: forever, do: [{}, {}, {}, {{sleep: "
      "exp(1ms)}}, {}]}}]}}\n",
      client_host, clients, to_m0, to_m1, to_m2, client_last);
  const std::string from_m2 = recv("m2"), from_m1 = recv("m1"), from_m0 = recv("m0");
  const int rounds = between(5, 200);
  const std::string server_host = pick({"a", "b"});
  text += fmt::format(
      "  server: {{host: {}, program: [{{repeat: {}, do: [{}, {}, {}, {{reply: {{size: 10B, mode: "
      "nonblocking}}}}, {{compute: exp(0.5ms)}}]}}]}}\n",
      server_host, rounds, from_m0, from_m1, from_m2);
  const std::string other_send = send("m1");
  const std::string other_first = m0_os ? recv("m0") : "{sleep: 2ms}";
  text += fmt::format("  other: {{host: c, count: 2, program: [{{repeat: forever, do: [{}, {}]}}]}}\n", other_first,
                      other_send);
  if (faults) {
    text += "faults:\n";
    for (int i = between(2, 7); i > 0; --i) {
      std::string kind = pick({"host_down", "host_up", "link_down", "link_up", "kill"});
      std::string target = kind == "kill"             ? pick({"client", "server", "other.1"})
                           : kind.starts_with("host") ? pick({"a", "b", "c"})
                                                      : pick({"a-b", "a-c", "b-c"});
      text += fmt::format("  - {{at: {}ms, {}: {}}}\n", between(0, 60), kind, target);
    }
  }
  return text;
}

// Under a sanitizer a run is 25x slower: every third seed.
constexpr unsigned seed_step = ipcsim::sanitized_build ? 3 : 1;

}  // namespace

TEST_CASE("random mixes of every semantic conserve messages and never hang") {
  for (unsigned seed = 1; seed <= 60; seed += seed_step) {
    std::string text = random_scenario(seed, false);
    INFO(text);
    Run run = run_yaml(text);
    check_conservation(run.summary);
    for (const auto& m : run.out.message_records) REQUIRE(m.outcome != Outcome::pending);
    CHECK(run.summary.deadlock.find("SimGrid") == std::string::npos);
  }
}

TEST_CASE("random mixes with hosts, links and processes failing conserve messages and never hang") {
  std::uint64_t killed = 0, host_down = 0, link_down = 0;
  for (unsigned seed = 1; seed <= 80; seed += seed_step) {
    std::string text = random_scenario(seed, true);
    INFO(text);
    Run run = run_yaml(text);
    check_conservation(run.summary);
    CHECK(run.summary.deadlock.find("SimGrid") == std::string::npos);
    killed += run.summary.count(Reason::killed);
    host_down += run.summary.count(Reason::host_down);
    link_down += run.summary.count(Reason::link_down);
  }
  // Every kind of fault cost messages somewhere.
  CHECK(killed > 0);
  CHECK(host_down > 0);
  CHECK(link_down > 0);
}
