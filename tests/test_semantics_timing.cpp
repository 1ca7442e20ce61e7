// Timing rules: network transfers, rendezvous waits, local IPC costs, CPU sharing.
#include "helpers.hpp"

using namespace ipcsim;
using namespace ipcsim::test;

namespace {
// One 1000-byte message from host a to a receiver on host b, under the given model.
Run one_message_across(const std::string& model) {
  return run_yaml(model + R"(
channels:
  inbox: {addressing: direct-asymmetric, receiver: server}
processes:
  client: {host: a, program: [{send: {to: server, size: 1000B}}]}
  server: {host: b, program: [{recv: {from: any}}]}
)");
}
}  // namespace

TEST_CASE("a message of S bytes over one idle link takes latency + S/bandwidth") {
  Run run = one_message_across(one_ms_one_mbps);
  // 1 ms latency + 1000 B / 1 MB/s = 2 ms; the buffer lives with the receiver on b.
  CHECK(run.message(0).accepted == at(0.002));
  CHECK(run.message(0).send_return == at(0.002));
  CHECK(run.message(0).received == at(0.002));
  CHECK(run.summary.latency.mean == at(0.002));
}

TEST_CASE("a blocking send returns when its message reaches the buffer, a nonblocking one at once") {
  Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  inbox: {addressing: direct-asymmetric, receiver: server}
processes:
  client: {host: a, program: [{send: {to: server, size: 1000B, mode: nonblocking}}, {send: {to: server, size: 1000B}}]}
  server: {host: b, program: [{recv: {from: any}}, {recv: {from: any}}]}
)");
  // The nonblocking send returns at 0; both messages go on the link at once (pipelined):
  // 1 ms of latency, then 2000 B share 1 MB/s, each at 0.5 MB/s for 2 ms. Both arrive at
  // 3 ms, and the blocking send returns then. One message in flight at a time would give
  // 2 ms and 4 ms.
  CHECK(run.message(0).send_return == at(0.0));
  CHECK(run.message(0).accepted == at(0.003));
  CHECK(run.message(1).accepted == at(0.003));
  CHECK(run.message(1).send_return == at(0.003));
}

TEST_CASE("a 1000-byte rendezvous round trip over 1 ms / 1 MB/s takes 4 ms") {
  Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  link: {addressing: direct-symmetric, between: [client, server], capacity: 0}
processes:
  client: {host: a, program: [{send: {to: server, size: 1000B}}, {recv: {from: server}}]}
  server: {host: b, program: [{recv: {from: client}}, {send: {to: client, size: 1000B}}]}
)");
  // Each way: 1 ms + 1000 B / 1 MB/s = 2 ms, both sides return together.
  CHECK(run.message(0).received == at(0.002));
  CHECK(run.message(0).send_return == at(0.002));
  CHECK(run.message(1).received == at(0.004));
  CHECK(run.summary.sim_time == at(0.004));
}

TEST_CASE("a rendezvous sender waits for a late receiver, then both pay the transfer") {
  Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  link: {addressing: direct-symmetric, between: [client, server], capacity: 0}
processes:
  client: {host: a, program: [{send: {to: server, size: 1000B}}]}
  server: {host: b, program: [{sleep: 5ms}, {recv: {from: client}}]}
)");
  // The receiver arrives at 5 ms; the transfer then takes 2 ms.
  CHECK(run.message(0).accepted == at(0.007));
  CHECK(run.message(0).send_return == at(0.007));
  CHECK(run.message(0).received == at(0.007));
}

TEST_CASE("local costs: send overhead and copy, wake-up, receive overhead and copy") {
  Run run = run_yaml(R"(
model:
  local: {send_overhead: 2us, receive_overhead: 3us, copy_bandwidth: 1MB/s, wakeup: 35us}
channels:
  box: {addressing: mailbox, capacity: unbounded}
processes:
  producer: {program: [{send: {to: box, size: 1000B}}]}
  consumer: {program: [{recv: {from: box}}]}
)");
  // Sender: 2 us + 1000 B / 1 MB/s = 1.002 ms, then the message is in the buffer.
  // The blocked consumer wakes (35 us), then pays 3 us + 1 ms: 1.002 + 0.035 + 1.003 ms.
  CHECK(run.message(0).accepted == at(0.001002));
  CHECK(run.message(0).send_return == at(0.001002));
  CHECK(run.message(0).received == at(0.002040));
}

TEST_CASE("a mailbox on a third host costs two hops") {
  Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  box: {addressing: mailbox, host: m, capacity: unbounded}
processes:
  producer: {host: a, program: [{send: {to: box, size: 1000B}}]}
  consumer: {host: b, program: [{recv: {from: box}}]}
)");
  // a -> m: 2 ms to reach the buffer; m -> b: 2 ms more to the receiver.
  CHECK(run.message(0).accepted == at(0.002));
  CHECK(run.message(0).received == at(0.004));
}

TEST_CASE("a star topology routes through two links") {
  Run run = one_message_across("model: {network: {topology: star, link: {latency: 1ms, bandwidth: 1MB/s}}}\n");
  // Two links in series: 2 x 1 ms latency + 1000 B / 1 MB/s = 3 ms.
  CHECK(run.message(0).received == at(0.003));
}

TEST_CASE("SimGrid's own LV08 model stays selectable and differs from exact") {
  Run run = one_message_across("model: {network: {model: LV08, link: {latency: 1ms, bandwidth: 1MB/s}}}\n");
  // LV08 multiplies latency by 13.01: at least 13 ms where exact gives 2 ms.
  CHECK(run.message(0).received > 0.013);
}

TEST_CASE("processes sharing one core share its speed when they compute") {
  Run run = run_yaml(R"(
model: {network: {hosts: {solo: {cores: 1}}}}
processes:
  worker: {host: solo, count: 2, program: [{compute: 1ms}]}
)");
  // Two 1 ms computations on one core end together at 2 ms.
  CHECK(run.summary.sim_time == at(0.002));
}

TEST_CASE("by default each process has its own core, so compute takes its stated time") {
  Run run = run_yaml(R"(
processes:
  worker: {host: h, count: 3, program: [{compute: 1ms}, {sleep: 1ms}]}
)");
  CHECK(run.summary.sim_time == at(0.002));
}

TEST_CASE("messages from one sender stay in FIFO order across the network") {
  Run run = run_yaml(one_ms_one_mbps + R"(
channels:
  inbox: {addressing: direct-asymmetric, receiver: server}
processes:
  client:
    host: a
    program:
      - send: {to: server, size: 100KB, mode: nonblocking}
      - send: {to: server, size: 1B, mode: nonblocking}
  server: {host: b, program: [{recv: {from: any}}, {recv: {from: any}}]}
)");
  // Both travel at once: after 1 ms of latency they share 1 MB/s, the small one's byte
  // taking 2 us at half the rate, then the big one's last 99,999 B go at the full rate:
  // the big one arrives at 1 ms + 2 us + 99.999 ms. The small one arrived at 1.002 ms but
  // waits for its predecessor (FIFO per sender): both are received at 101.001 ms.
  CHECK(run.message(0).received == at(0.101001));
  CHECK(run.message(1).received == at(0.101001));
  CHECK(run.message(0).send_return == at(0.0));
}
