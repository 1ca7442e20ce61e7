// What SimGrid itself gives, for the conformance test of platform files under SimGrid's
// network models: a plain S4U program, no ipcsim, that loads a platform, picks a network
// model and makes host-to-host transfers, each from an actor of its own that starts it at a
// given time. It prints each transfer's arrival time, one line each, in the order given.
//   s4u_reference PLATFORM.xml MODEL FROM:TO:BYTES:START...
#include <xbt/log.h>
#include <simgrid/s4u.hpp>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;

namespace {

struct Flow {
  std::string from, to;
  std::uint64_t bytes = 0;
  double start = 0;
  double arrival = -1;
};

Flow parse_flow(const std::string& text) {
  Flow flow;
  std::istringstream in(text);
  std::string bytes, start;
  if (!std::getline(in, flow.from, ':') || !std::getline(in, flow.to, ':') || !std::getline(in, bytes, ':') ||
      !std::getline(in, start)) {
    std::fprintf(stderr, "expected FROM:TO:BYTES:START, found '%s'\n", text.c_str());
    std::exit(2);
  }
  flow.bytes = std::stoull(bytes);
  flow.start = std::stod(start);
  return flow;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s PLATFORM.xml MODEL FROM:TO:BYTES:START...\n", argv[0]);
    return 2;
  }
  int engine_argc = 1;
  sg4::Engine engine(&engine_argc, argv);
  xbt_log_control_set("root.thresh:critical");
  sg4::Engine::set_config(std::string("network/model:") + argv[2]);
  engine.load_platform(argv[1]);
  std::vector<Flow> flows;
  for (int i = 3; i < argc; ++i) flows.push_back(parse_flow(argv[i]));
  for (Flow& flow : flows)
    sg4::Actor::create("flow", engine.host_by_name(flow.from), [&flow, &engine] {
      sg4::this_actor::sleep_until(flow.start);
      sg4::Comm::sendto(engine.host_by_name(flow.from), engine.host_by_name(flow.to), flow.bytes);
      flow.arrival = sg4::Engine::get_clock();
    });
  engine.run();
  for (const Flow& flow : flows) std::printf("%.17g\n", flow.arrival);
  return 0;
}
