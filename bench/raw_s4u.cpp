// The floor for a SimGrid-based tool: each benchmark pattern written directly on S4U, with no
// ipcsim layer, in two ways: `mailbox` is idiomatic S4U (put and get: every message is a
// SimGrid communication), `semaphore` is the least S4U work that keeps the semantics (a
// message is a queue entry and a semaphore release; only a cross-host message is a
// communication, Comm::sendto). sim_bench runs both beside bench/scenarios/*.yaml.
//   raw_s4u mailbox|semaphore pingpong-local ROUND_TRIPS | pingpong-link ROUND_TRIPS
//   raw_s4u mailbox|semaphore bounded MESSAGES CAPACITY | fanin SENDERS MESSAGES | pairs PROCESSES MESSAGES
#include <xbt/log.h>
#include <simgrid/s4u.hpp>

#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;

namespace {

constexpr std::uint64_t message_size = 64;  // bytes, as in the scenarios
int payload = 0;                            // what every put carries: the bytes are simulated

// Hosts on one full zone; a route between every two of them (and from each to itself) over
// a link of 10 us and 1 GB/s, like the link in bench/scenarios/pingpong-link.yaml.
std::vector<sg4::Host*> make_platform(int host_count) {
  sg4::Engine::set_config("network/model:LV08");
  sg4::Engine::set_config("network/latency-factor:1");
  sg4::Engine::set_config("network/bandwidth-factor:1");
  sg4::Engine::set_config("network/crosstraffic:0");
  sg4::Engine::set_config("network/TCP-gamma:0");
  auto* zone = sg4::create_full_zone("bench");
  std::vector<sg4::Host*> hosts;
  for (int i = 0; i < host_count; ++i)
    hosts.push_back(zone->create_host("host" + std::to_string(i), 1e9)->set_core_count(1 << 20)->seal());
  for (int i = 0; i < host_count; ++i) {
    // Same-host comms still cross a (free) loopback in SimGrid.
    auto* loopback = zone->create_link("loop" + std::to_string(i), 1e18)->set_latency(0)->seal();
    zone->add_route(hosts[i]->get_netpoint(), hosts[i]->get_netpoint(), nullptr, nullptr, {sg4::LinkInRoute(loopback)},
                    false);
    for (int j = i + 1; j < host_count; ++j) {
      auto* link =
          zone->create_link("link" + std::to_string(i) + "-" + std::to_string(j), 1e9)->set_latency(1e-5)->seal();
      zone->add_route(hosts[i]->get_netpoint(), hosts[j]->get_netpoint(), nullptr, nullptr, {sg4::LinkInRoute(link)},
                      true);
    }
  }
  zone->seal();
  return hosts;
}

// A receiver's queue for the semaphore variant: a message is an entry and a release.
struct Inbox {
  std::deque<sg4::SemaphorePtr> senders;  // rendezvous: whom to release when taken
  sg4::SemaphorePtr available = sg4::Semaphore::create(0);
  void put(sg4::Host* from, sg4::Host* to) {
    if (from != to) sg4::Comm::sendto(from, to, message_size);
    available->release();
  }
  void get() { available->acquire(); }
};

void ping_pong_semaphores(sg4::Host* ping_host, sg4::Host* pong_host, long round_trips) {
  auto to_ping = std::make_shared<Inbox>(), to_pong = std::make_shared<Inbox>();
  sg4::Actor::create("ping", ping_host, [=] {
    for (long i = 0; i < round_trips; ++i) {
      to_pong->put(ping_host, pong_host);
      to_ping->get();
    }
  });
  sg4::Actor::create("pong", pong_host, [=] {
    for (long i = 0; i < round_trips; ++i) {
      to_pong->get();
      to_ping->put(pong_host, ping_host);
    }
  });
}

void bounded_semaphores(sg4::Host* host, long messages, int capacity) {
  sg4::SemaphorePtr slots = sg4::Semaphore::create(static_cast<unsigned>(capacity));
  auto jobs = std::make_shared<Inbox>();
  sg4::Actor::create("producer", host, [=] {
    for (long i = 0; i < messages; ++i) {
      slots->acquire();
      jobs->put(host, host);
    }
  });
  sg4::Actor::create("consumer", host, [=] {
    for (long i = 0; i < messages; ++i) {
      jobs->get();
      slots->release();
    }
  });
}

// Rendezvous: a sender queues its own semaphore and waits until the receiver takes it.
void fan_in_semaphores(sg4::Host* host, int senders, long messages) {
  auto sink = std::make_shared<Inbox>();
  for (int s = 0; s < senders; ++s)
    sg4::Actor::create("sender", host, [=] {
      sg4::SemaphorePtr taken = sg4::Semaphore::create(0);
      for (long i = 0; i < messages / senders; ++i) {
        sink->senders.push_back(taken);
        sink->put(host, host);
        taken->acquire();
      }
    });
  sg4::Actor::create("receiver", host, [=] {
    for (long i = 0; i < messages / senders * senders; ++i) {
      sink->get();
      sink->senders.front()->release();
      sink->senders.pop_front();
    }
  });
}

void ping_pong(sg4::Host* ping_host, sg4::Host* pong_host, const std::string& ping_box, const std::string& pong_box,
               long round_trips) {
  sg4::Actor::create("ping", ping_host, [=] {
    sg4::Mailbox* out = sg4::Mailbox::by_name(pong_box);
    sg4::Mailbox* in = sg4::Mailbox::by_name(ping_box);
    for (long i = 0; i < round_trips; ++i) {
      out->put(&payload, message_size);
      in->get<int>();
    }
  });
  sg4::Actor::create("pong", pong_host, [=] {
    sg4::Mailbox* out = sg4::Mailbox::by_name(ping_box);
    sg4::Mailbox* in = sg4::Mailbox::by_name(pong_box);
    for (long i = 0; i < round_trips; ++i) {
      in->get<int>();
      out->put(&payload, message_size);
    }
  });
}

// A bounded buffer of `capacity`: the producer takes a slot before each (detached) put, the
// consumer frees one after each get.
void bounded(sg4::Host* host, long messages, int capacity) {
  sg4::SemaphorePtr slots = sg4::Semaphore::create(static_cast<unsigned>(capacity));
  sg4::Actor::create("producer", host, [=] {
    sg4::Mailbox* box = sg4::Mailbox::by_name("jobs");
    for (long i = 0; i < messages; ++i) {
      slots->acquire();
      box->put_init(&payload, message_size)->detach();
    }
  });
  sg4::Actor::create("consumer", host, [=] {
    sg4::Mailbox* box = sg4::Mailbox::by_name("jobs");
    for (long i = 0; i < messages; ++i) {
      box->get<int>();
      slots->release();
    }
  });
}

void fan_in(sg4::Host* host, int senders, long messages) {
  for (int s = 0; s < senders; ++s)
    sg4::Actor::create("sender", host, [=] {
      sg4::Mailbox* box = sg4::Mailbox::by_name("sink");
      for (long i = 0; i < messages / senders; ++i) box->put(&payload, message_size);
    });
  sg4::Actor::create("receiver", host, [=] {
    sg4::Mailbox* box = sg4::Mailbox::by_name("sink");
    for (long i = 0; i < messages / senders * senders; ++i) box->get<int>();
  });
}

int usage() {
  std::fprintf(stderr,
               "usage: raw_s4u mailbox|semaphore PATTERN ...: pingpong-local|pingpong-link ROUND_TRIPS |\n"
               "       bounded MESSAGES CAPACITY | fanin SENDERS MESSAGES | pairs PROCESSES MESSAGES\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return usage();
  const std::string variant = argv[1], pattern = argv[2];
  const long a = std::atol(argv[3]);
  const long b = argc > 4 ? std::atol(argv[4]) : 0;
  // The context settings ipcsim uses (src/sim/simulation.cpp): raw contexts, and for many
  // actors small stacks without guard pages, kept in mmapped memory.
  const bool many = (pattern == "fanin" || pattern == "pairs") && a > 10000;
  std::string factory = "--cfg=contexts/factory:raw";
  std::string guard = std::string("--cfg=contexts/guard-size:") + (many ? "0" : "1");
  std::string stack = std::string("--cfg=contexts/stack-size:") + (many ? "256" : "8192");
  if (many) {
    ::mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    ::mallopt(M_MMAP_MAX, 1 << 30);
  }
  std::vector<char*> engine_argv = {argv[0], factory.data(), guard.data(), stack.data()};
  int engine_argc = 4;
  xbt_log_control_set("root.thresh:critical");
  sg4::Engine engine(&engine_argc, engine_argv.data());
  const bool semaphores = variant == "semaphore";
  if (!semaphores && variant != "mailbox") return usage();
  auto pair = [&](sg4::Host* x, sg4::Host* y, long round_trips, const std::string& suffix) {
    if (semaphores)
      ping_pong_semaphores(x, y, round_trips);
    else
      ping_pong(x, y, "ping" + suffix, "pong" + suffix, round_trips);
  };
  if (pattern == "pingpong-local") {
    sg4::Host* host = make_platform(1)[0];
    pair(host, host, a, "");
  } else if (pattern == "pingpong-link") {
    auto hosts = make_platform(2);
    pair(hosts[0], hosts[1], a, "");
  } else if (pattern == "bounded" && b > 0) {
    sg4::Host* host = make_platform(1)[0];
    semaphores ? bounded_semaphores(host, a, static_cast<int>(b)) : bounded(host, a, static_cast<int>(b));
  } else if (pattern == "fanin" && b > 0) {
    sg4::Host* host = make_platform(1)[0];
    semaphores ? fan_in_semaphores(host, static_cast<int>(a), b) : fan_in(host, static_cast<int>(a), b);
  } else if (pattern == "pairs" && b > 0) {
    sg4::Host* host = make_platform(1)[0];
    const long pairs = a / 2;
    for (long p = 0; p < pairs; ++p) pair(host, host, b / pairs / 2, "." + std::to_string(p));
  } else {
    return usage();
  }
  engine.run();
  std::printf("simulated time %.9g s\n", sg4::Engine::get_clock());
  return 0;
}
