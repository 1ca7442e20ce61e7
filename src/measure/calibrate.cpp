#include "calibrate.hpp"

#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "model/model.hpp"
#include "replay.hpp"
#include "scenario/scenario.hpp"
#include "scenario/text.hpp"

namespace ipcsim::measure {
namespace {

model::MeasuredRun replay_text(const std::string& yaml) {
  scenario::Scenario scenario = scenario::parse_scenario(yaml, "calibration.yaml");
  model::Model model = model::build_model(scenario);
  Options options;
  options.max_wall_seconds = 60;
  return replay(model, options);
}

// One thread fills a channel and then empties it: nobody ever waits, so the mean send and
// receive calls are the per-message overheads (plus the copies, for sized messages).
struct Overheads {
  double send = 0, receive = 0;
};
Overheads overheads(const std::string& capacity, std::uint64_t size, std::uint64_t messages) {
  model::MeasuredRun out = replay_text(fmt::format(R"(
name: calibrate-overheads
channels:
  q: {{addressing: mailbox, capacity: {0}}}
processes:
  p: {{program: [{{repeat: {1}, do: [{{repeat: {2}, do: [{{send: {{to: q, size: {3}B}}}}]}},
                                      {{repeat: {2}, do: [{{recv: {{from: q}}}}]}}]}}]}}
)",
                                                   capacity, messages / 256, 256, size));
  return {out.result.messages.send_block.mean(), out.result.receives.wait_mean()};
}

// Median latency of messages that find their receiver asleep on an empty channel: less
// the send and receive overheads, what waking a blocked process costs. It depends on the
// pattern, so two are probed:
//  - a stream: a sender sleeps 1 ms between messages to a receiver that only receives;
//  - request/reply: a client sleeps 200 us between rounds, so the server sleeps between
//    requests and the client while the server answers.
// (Without think time both sides often catch each other while still spinning, and the
// figure jumps between ~0.1 and ~20 us from run to run: no use for a model.)
double stream_latency(std::uint64_t messages) {
  model::MeasuredRun out = replay_text(fmt::format(R"(
name: calibrate-wakeup-stream
channels:
  q: {{addressing: mailbox, capacity: 16}}
processes:
  p: {{program: [{{repeat: {0}, do: [{{send: {{to: q, size: 0B}}}}, {{sleep: 1ms}}]}}]}}
  c: {{program: [{{repeat: {0}, do: [{{recv: {{from: q}}}}]}}]}}
)",
                                                   messages));
  return out.result.messages.latency.quantile(0.5);
}

double request_reply_latency(std::uint64_t round_trips) {
  model::MeasuredRun out = replay_text(fmt::format(R"(
name: calibrate-wakeup-request-reply
channels:
  link: {{addressing: direct-symmetric, between: [client, server], capacity: 1}}
processes:
  client: {{program: [{{repeat: {0}, do: [{{send: {{to: server, size: 0B}}}}, {{recv: {{from: server}}}},
                                         {{sleep: 200us}}]}}]}}
  server: {{program: [{{repeat: {0}, do: [{{recv: {{from: client}}}}, {{reply: {{size: 0B}}}}]}}]}}
)",
                                                   round_trips));
  return out.result.messages.latency.quantile(0.5);
}

std::string ns(double seconds) { return fmt::format("{:.1f}ns", seconds * 1e9); }

}  // namespace

Calibration calibrate(double rounds) {
  auto scaled = [&](double n) { return std::max<std::uint64_t>(256, static_cast<std::uint64_t>(n * rounds)); };
  Calibration c;
  constexpr std::uint64_t large = std::uint64_t{64} << 10;
  // The mailbox ring is what most scenarios use; the others are kept as notes.
  Overheads ring = overheads("1024", 0, scaled(200'000));
  Overheads ring_large = overheads("1024", large, scaled(20'000));
  Overheads list = overheads("unbounded", 0, scaled(200'000));
  const double stream = stream_latency(scaled(500));
  const double request_reply = request_reply_latency(scaled(2000));
  const double wakeup = (stream + request_reply) / 2;  // the model has one figure for both
  // Per byte: the extra time of a 64 KiB message over an empty one, both sides averaged.
  const double per_byte =
      std::max(1e-13, ((ring_large.send - ring.send) + (ring_large.receive - ring.receive)) / 2 / large);
  c.local.send_overhead = Seconds{ring.send};
  c.local.receive_overhead = Seconds{ring.receive};
  c.local.copy_bandwidth = Bandwidth{1 / per_byte};
  c.local.wakeup = Seconds{std::max(0.0, wakeup - ring.send - ring.receive)};
  c.details = {
      fmt::format("bounded mailbox (MPMC ring), 0 B: send {}, receive {}", ns(ring.send), ns(ring.receive)),
      fmt::format("bounded mailbox (MPMC ring), 64 KiB: send {}, receive {}", ns(ring_large.send),
                  ns(ring_large.receive)),
      fmt::format("unbounded mailbox (MPSC list), 0 B: send {}, receive {}", ns(list.send), ns(list.receive)),
      fmt::format("woken in a stream (a message every 1 ms): median latency {}", ns(stream)),
      fmt::format("woken in request/reply (200 us think time): median one-way latency {}", ns(request_reply)),
      "wake-up: the mean of those two, less the send and receive overheads",
  };
  return c;
}

std::string calibrated_model_yaml(const Calibration& c, const std::string& name) {
  std::string cpu;
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);)
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  utsname system{};
  ::uname(&system);
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  std::string notes;
  for (const std::string& d : c.details) notes += "    " + d + "\n";
  return fmt::format(R"(# Written by `ipcsim calibrate`: the local IPC costs of the machine below, measured by
# replaying small scenarios on real threads (the measured mode's own code paths).
name: {0}
description: >
  Local IPC costs measured on {1} ({2}, {3} hardware threads, {4} {5}).
  Measured:
{6}  Cross-host messages use the exact network model over a 1 Gbps, 50 us link.
network:
  model: exact
  link: {{latency: 50us, bandwidth: 1Gbps}}
local:
  send_overhead: {7}
  receive_overhead: {8}
  copy_bandwidth: {9:.3f}GB/s
  wakeup: {10}
)",
                     single_quoted(name), printable(host), printable(cpu.empty() ? "unknown CPU" : cpu),
                     std::thread::hardware_concurrency(), printable(system.sysname), printable(system.release), notes,
                     ns(c.local.send_overhead.count()), ns(c.local.receive_overhead.count()),
                     c.local.copy_bandwidth.bytes_per_s / 1e9, ns(c.local.wakeup.count()));
}

}  // namespace ipcsim::measure
