// Streams over the network: a sender's messages travel at once and share the route's
// bandwidth (pipelining), each direction of a link has its own bandwidth (full duplex) unless
// the model says `duplex: half`. Times are worked out by hand on the exact model: 1 ms of
// latency per link, 1 MB/s, so 1000 B alone take 2 ms.
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "support/paths.hpp"
#include "support/shell.hpp"

using namespace ipcsim;
using namespace ipcsim::test;

namespace {

// `count` nonblocking 1000-byte messages from a client on host a, one every `gap`, to a
// server on host b that takes them from its own buffer.
Run stream(int count, const std::string& gap) {
  return run_yaml(one_ms_one_mbps + fmt::format(R"(
channels:
  inbox: {{addressing: direct-asymmetric, receiver: server}}
processes:
  client:
    host: a
    program: [{{repeat: {0}, do: [{{send: {{to: server, size: 1000B, mode: nonblocking}}}}, {{sleep: {1}}}]}}]
  server: {{host: b, program: [{{repeat: {0}, do: [{{recv: {{from: any}}}}]}}]}}
)",
                                                count, gap));
}

// Two 1 MB messages sent at 0, from `first` to `second` and from `third` to `fourth`.
Run two_flows(const std::string& model, const std::string& first, const std::string& second, const std::string& third,
              const std::string& fourth) {
  return run_yaml(model + fmt::format(R"(
channels:
  one: {{addressing: direct-asymmetric, receiver: r1}}
  two: {{addressing: direct-asymmetric, receiver: r2}}
processes:
  s1: {{host: {0}, program: [{{send: {{to: r1, size: 1MB}}}}]}}
  r1: {{host: {1}, program: [{{recv: {{from: any}}}}]}}
  s2: {{host: {2}, program: [{{send: {{to: r2, size: 1MB}}}}]}}
  r2: {{host: {3}, program: [{{recv: {{from: any}}}}]}}
)",
                                      first, second, third, fourth));
}

const std::string half_duplex =
    "model: {network: {model: exact, duplex: half, link: {latency: 1ms, bandwidth: 1MB/s}}}\n";
const std::string star = "model: {network: {model: exact, topology: star, link: {latency: 1ms, bandwidth: 1MB/s}}}\n";
const std::string star_half_duplex =
    "model: {network: {model: exact, topology: star, duplex: half, link: {latency: 1ms, bandwidth: 1MB/s}}}\n";

}  // namespace

TEST_CASE("a stream at 80% of a link's capacity: every message takes latency + size/bandwidth") {
  // 800 messages/s of 1000 B on a 1 MB/s link: message k is on the link from 1.25k + 1 ms
  // to 1.25k + 2 ms, so no two share it. One message in flight per sender would deliver 500/s
  // and the last message would wait 751 ms.
  Run run = stream(1000, "1.25ms");
  check_conservation(run.summary);
  REQUIRE(run.summary.delivered == 1000);
  for (std::size_t k = 0; k < 1000; ++k) {
    INFO("message " << k);
    CHECK(run.message(k).send_call == at(0.00125 * static_cast<double>(k)));
    CHECK(run.message(k).received - run.message(k).send_call == at(0.002));
  }
  // The last is sent at 999 x 1.25 ms = 1.24875 s and arrives 2 ms later.
  CHECK(run.summary.sim_time == at(1.25075));
}

TEST_CASE("a saturating stream: the link never idles, so throughput is bandwidth/size") {
  // 2000 messages/s offered, 1000/s carried: from 1 ms on the link always has bytes to
  // carry, so the 1000 messages (1 s of bytes) are all there at 1 ms + 1 s. The last one,
  // sent at 499.5 ms, waited 501.5 ms: latency grows as in a queue. (Messages on the link
  // together share it equally, so one in the middle, sharing with the most, waits longest.)
  Run run = stream(1000, "0.5ms");
  check_conservation(run.summary);
  REQUIRE(run.summary.delivered == 1000);
  CHECK(run.summary.sim_time == at(1.001));
  CHECK(run.message(999).received - run.message(999).send_call == at(0.5015));
  CHECK(run.summary.latency.max > 0.5015);
  for (std::size_t k = 1; k < 1000; ++k) CHECK(run.message(k).received >= run.message(k - 1).received);
}

TEST_CASE("two flows share a link in the same direction, and in opposite ones only when it is half duplex") {
  struct Case {
    std::string what;
    const std::string& model;
    std::array<std::string, 4> hosts;  // first flow from, to; second flow from, to
    double arrival;                    // of both messages
  };
  // Alone, 1 MB takes 1 ms + 1 s over one link (2 ms + 1 s over a star's two); two flows
  // on one link, each at half the bandwidth, 2 s. A star's route goes up the sender's link
  // and down the receiver's: a->b and b->a meet only if a direction is shared.
  const std::vector<Case> cases = {
      {"same direction", one_ms_one_mbps, {"a", "b", "a", "b"}, 2.001},
      {"opposite directions, full duplex", one_ms_one_mbps, {"a", "b", "b", "a"}, 1.001},
      {"opposite directions, half duplex", half_duplex, {"a", "b", "b", "a"}, 2.001},
      {"star, opposite directions, full duplex", star, {"a", "b", "b", "a"}, 1.002},
      {"star, opposite directions, half duplex", star_half_duplex, {"a", "b", "b", "a"}, 2.002},
      {"star, a->b and c->b meet on b's down link", star, {"a", "b", "c", "b"}, 2.002},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    Run run = two_flows(c.model, c.hosts[0], c.hosts[1], c.hosts[2], c.hosts[3]);
    CHECK(run.message(0).received == at(c.arrival));
    CHECK(run.message(1).received == at(c.arrival));
  }
}

TEST_CASE("a link going down loses every message of a stream on it, each counted once") {
  // Three 1000-byte messages sent at 0 share the link from 1 ms and would all arrive at 4 ms;
  // the link goes down at 2.5 ms.
  Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  inbox: {addressing: direct-asymmetric, receiver: server}
faults:
  - {at: 2.5ms, link_down: a-b}
processes:
  client: {host: a, program: [{repeat: 3, do: [{send: {to: server, size: 1000B, mode: nonblocking}}]}]}
  server: {host: b, program: [{recv: {from: any, mode: timeout, timeout: 10ms}}]}
)");
  check_conservation(run.summary);
  CHECK(run.summary.lost == 3);
  for (std::size_t k = 0; k < 3; ++k) {
    CHECK(run.message(k).reason == Reason::link_down);
    CHECK(run.message(k).ended == at(0.0025));
  }
}

TEST_CASE("a message handed to a waiting receiver as it arrives frees its slot for a blocked sender") {
  Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  box: {addressing: mailbox, capacity: 1, host: b}
processes:
  s1: {host: a, program: [{send: {to: box, size: 1000B}}]}
  s2: {host: c, program: [{sleep: 0.5ms}, {send: {to: box, size: 1000B}}]}
  r: {host: b, program: [{repeat: 2, do: [{recv: {from: box}}]}]}
)");
  check_conservation(run.summary);
  // s1's message holds the one slot on its way (0-2 ms); s2 blocks for room at 0.5 ms. At
  // 2 ms the waiting r takes s1's message as it arrives, never queued: the slot goes to s2,
  // whose message travels c -> b in 2 ms. (Were the slot kept, s2 would wait for ever.)
  CHECK(run.message(0).received == at(0.002));
  CHECK(run.message(1).send_blocked);
  CHECK(run.message(1).accepted == at(0.004));
  CHECK(run.message(1).send_return == at(0.004));
  CHECK(run.message(1).received == at(0.004));
  CHECK(run.summary.delivered == 2);
}

TEST_CASE("a blocking send into a sender buffer returns at once, and the delivery time is unchanged") {
  const std::string programs = R"(
processes:
  client: {host: a, program: [{send: {to: server, size: 1000B}}]}
  server: {host: b, program: [{recv: {from: any}}]}
)";
  Run local = run_yaml(one_ms_one_mbps + R"(
channels:
  inbox: {addressing: direct-asymmetric, receiver: server, capacity: 4, sender_buffer: true}
)" + programs);
  CHECK(local.message(0).send_return == at(0.0));
  CHECK(local.message(0).accepted == at(0.002));
  CHECK(local.message(0).received == at(0.002));
  CHECK_FALSE(local.message(0).send_blocked);
  // Without it the send returns when the message reaches the buffer on b.
  Run remote = run_yaml(one_ms_one_mbps + R"(
channels:
  inbox: {addressing: direct-asymmetric, receiver: server, capacity: 4}
)" + programs);
  CHECK(remote.message(0).send_return == at(0.002));
  CHECK(remote.message(0).received == at(0.002));
}

TEST_CASE("a sender buffer of N is a window: N messages per round trip, slots back after the acknowledgement") {
  Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  inbox: {addressing: direct-asymmetric, receiver: server, capacity: 2, sender_buffer: true}
processes:
  client: {host: a, program: [{repeat: 6, do: [{send: {to: server, size: 1000B}}]}]}
  server: {host: b, program: [{repeat: 6, do: [{recv: {from: any}}]}]}
)");
  check_conservation(run.summary);
  // 0 and 1 fill the window at 0 ms and travel together: 1 ms, then 2000 B at 1 MB/s, both
  // there at 3 ms, where the server takes them. Their slots come back with the
  // acknowledgement 1 ms later: 2 and 3 go at 4 ms and arrive at 7 ms; 4 and 5 go at 8 ms
  // and arrive at 11 ms. A round of 4 ms per window of 2: 500 messages/s, where the link
  // carries 1000/s. (Were slots free at once, 2 and 3 would go at 3 ms.)
  const double sent[] = {0, 0, 0.004, 0.004, 0.008, 0.008};
  const double received[] = {0.003, 0.003, 0.007, 0.007, 0.011, 0.011};
  for (std::size_t k = 0; k < 6; ++k) {
    INFO("message " << k);
    CHECK(run.message(k).send_return == at(sent[k]));
    CHECK(run.message(k).received == at(received[k]));
    CHECK(run.message(k).send_blocked == (k == 2 || k == 4));  // 3 and 5 find the second slot back
  }
  CHECK(run.summary.sim_time == at(0.011));
}

TEST_CASE("a sender buffer on the receiver's own host gets its slots back at once") {
  Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  inbox: {addressing: direct-asymmetric, receiver: server, capacity: 1, sender_buffer: true}
processes:
  client: {host: a, program: [{repeat: 3, do: [{send: {to: server, size: 1000B}}]}]}
  server: {host: a, program: [{repeat: 3, do: [{sleep: 1ms}, {recv: {from: any}}]}]}
)");
  // No network: the server takes one message a millisecond, and each slot is free at once.
  CHECK(run.message(1).send_return == at(0.001));
  CHECK(run.message(2).send_return == at(0.002));
  CHECK(run.summary.sim_time == at(0.003));
}

TEST_CASE(
    "the shipped stream-window scenario: a window of one message per round trip, the link filled by a large one") {
  const auto points = scenario::load_sweep(source_dir + "/scenarios/stream-window.yaml", {});
  REQUIRE(points.size() == 16);  // the capacity varies slowest: points 0 and 1 are capacity 1
  // A window of 1: each 10 KB message takes latency + 80 us to arrive, then the slot takes
  // the latency to come back. At 50 us the first arrives at 130 us and one more every
  // 180 us: floor((1 s - 130 us) / 180 us) + 1 = 5555 in 1 s. At 5 ms: floor((1 s -
  // 5.08 ms) / 10.08 ms) + 1 = 99.
  Run lan = run_scenario(points[0].scenario);
  CHECK(lan.summary.delivered == 5555);
  Run far = run_scenario(points[1].scenario);
  CHECK(far.summary.delivered == 99);
  // A window of 1024 keeps the LAN link busy: near its 12,500 messages/s.
  Run filled = run_scenario(points[14].scenario);
  CHECK(filled.summary.delivered > 12000);
  CHECK(filled.summary.delivered <= 12500);
}

TEST_CASE("on a platform file under SimGrid's LV08 and CM02, ipcsim's times equal a plain S4U program's") {
  // Routes of one link, of two links, and over a FATPIPE link; a latency-bound and a
  // bandwidth-bound size; concurrent flows sharing a SHARED link (both directions of a-b)
  // or not (the FATPIPE b-c).
  TempDir dir;
  const std::string platform = dir.write("platform.xml", R"(<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <zone id="world" routing="Full">
    <host id="a" speed="1Gf"/>
    <host id="b" speed="1Gf"/>
    <host id="c" speed="1Gf"/>
    <link id="ab" bandwidth="1MBps" latency="1ms"/>
    <link id="ac1" bandwidth="10MBps" latency="2ms"/>
    <link id="ac2" bandwidth="2MBps" latency="300us"/>
    <link id="bc" bandwidth="5MBps" latency="500us" sharing_policy="FATPIPE"/>
    <route src="a" dst="b"><link_ctn id="ab"/></route>
    <route src="a" dst="c"><link_ctn id="ac1"/><link_ctn id="ac2"/></route>
    <route src="b" dst="c"><link_ctn id="bc"/></route>
  </zone>
</platform>
)");
  struct Flow {
    std::string from, to;
    std::uint64_t bytes;
    double start;
  };
  const std::vector<Flow> flows = {
      {"a", "b", 1, 0},         {"a", "c", 1, 0},         {"a", "c", 10'000'000, 0.5}, {"a", "b", 1'000'000, 1},
      {"b", "a", 1'000'000, 1}, {"b", "c", 2'000'000, 2}, {"b", "c", 2'000'000, 2},    {"c", "a", 3'000'000, 4},
  };
  std::string scenario = "channels:\n", processes = "processes:\n", reference_flows;
  for (std::size_t i = 0; i < flows.size(); ++i) {
    const Flow& f = flows[i];
    scenario += fmt::format("  c{0}: {{addressing: direct-asymmetric, receiver: r{0}}}\n", i);
    processes += fmt::format("  s{0}: {{host: {1}, program: [{{sleep: {3}s}}, {{send: {{to: r{0}, size: {2}B}}}}]}}\n",
                             i, f.from, f.bytes, f.start);
    processes += fmt::format("  r{0}: {{host: {1}, program: [{{recv: {{from: any}}}}]}}\n", i, f.to);
    reference_flows += fmt::format(" {}:{}:{}:{}", f.from, f.to, f.bytes, f.start);
  }
  for (const std::string model : {"LV08", "CM02"}) {
    INFO(model);
    dir.write("model.yaml", fmt::format("network: {{platform: platform.xml, model: {}}}\n", model));
    Run run = run_scenario(scenario::load_scenario(dir.write("s.yaml", "model: model.yaml\n" + scenario + processes)));
    // Its standard output only: a sanitizer build warns on standard error about SimGrid's stacks.
    Result reference = run_shell(fmt::format("{} {} {}{} 2>{}", s4u_reference, platform, model, reference_flows,
                                             (dir.path / "reference.err").string()));
    REQUIRE(reference.exit_code == 0);
    std::istringstream arrivals(reference.output);
    std::vector<double> expected(flows.size());
    for (double& t : expected) REQUIRE(arrivals >> t);
    REQUIRE(run.out.message_records.size() == flows.size());
    for (std::size_t k = 0; k < flows.size(); ++k) {
      const std::size_t flow = std::stoul(run.sender_of(k).substr(1));
      INFO("flow " << flow);
      CHECK(run.message(k).received == at(expected[flow]));
    }
  }
  // Without a model the platform runs under ipcsim's exact one, as a bare .xml does: flow 0
  // (1 B over ab) takes 1 ms + 1 us, flow 1 (1 B over ac1 and ac2) the latencies' sum 2.3 ms
  // and the byte at the narrower link's 2 MB/s, 0.5 us (a flow, not store and forward).
  dir.write("model.yaml", "network: {platform: platform.xml}\n");
  Run exact = run_scenario(scenario::load_scenario(dir.write("s.yaml", "model: model.yaml\n" + scenario + processes)));
  for (std::size_t k = 0; k < flows.size(); ++k) {
    if (exact.sender_of(k) == "s0") CHECK(exact.message(k).received == at(0.001001));
    if (exact.sender_of(k) == "s1") CHECK(exact.message(k).received == at(0.0023005));
  }
}

TEST_CASE("SimGrid's comm-pingpong example gives the times its .tesh publishes, run as an ipcsim scenario") {
  // examples/cpp/comm-pingpong in SimGrid 3.32, on small_platform.xml under its default LV08:
  // Tremblay to Jupiter is the one link "9" (7.20975 MBps, 1.461517 ms). The .tesh prints a
  // 1-byte ping of 0.019014 s (13.01 x the latency), a 1e9-byte pong of 150.159 s, and the end
  // at 150.178356 s. Numbers from outside ipcsim and outside its S4U reference program.
  TempDir dir;
  dir.write("tremblay-jupiter.xml", R"(<?xml version='1.0'?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">
<platform version="4.1">
  <zone id="zone0" routing="Full">
    <host id="Tremblay" speed="98.095Mf"/>
    <host id="Jupiter" speed="76.296Mf"/>
    <link id="9" bandwidth="7.20975MBps" latency="1.461517ms"/>
    <route src="Tremblay" dst="Jupiter"><link_ctn id="9"/></route>
  </zone>
</platform>
)");
  Run run = run_scenario(scenario::load_scenario(dir.write("pingpong.yaml", R"(
name: comm-pingpong
model: {network: {platform: tremblay-jupiter.xml, model: LV08}}
channels:
  pair: {addressing: direct-symmetric, between: [pinger, ponger], capacity: 0}
processes:
  pinger: {host: Tremblay, program: [{send: {to: ponger, size: 1B}}, {recv: {from: ponger}}]}
  ponger: {host: Jupiter, program: [{recv: {from: pinger}}, {send: {to: pinger, size: 1000000000B}}]}
)")));
  check_conservation(run.summary);
  REQUIRE(run.summary.delivered == 2);
  CHECK(std::round(run.message(0).received * 1e6) == 19014);  // printed as 0.019014
  CHECK(std::round((run.message(1).received - run.message(1).send_call) * 1e3) == 150159);
  CHECK(std::round(run.message(1).received * 1e6) == 150178356);
  CHECK(std::round(run.summary.sim_time * 1e6) == 150178356);
}
