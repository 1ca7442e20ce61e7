#include "platform.hpp"

#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ipcsim::sim {

namespace sg4 = simgrid::s4u;

namespace {

void configure_network(const scenario::NetworkSpec& network) {
  if (network.simgrid_model == "exact") {
    // SimGrid's default LV08 scales latency by 13.01 and bandwidth by 0.97, adds reverse
    // cross-traffic and a TCP window bound; these settings give exactly
    // latency + size / bandwidth on an idle link.
    sg4::Engine::set_config("network/model:LV08");
    sg4::Engine::set_config("network/latency-factor:1");
    sg4::Engine::set_config("network/bandwidth-factor:1");
    sg4::Engine::set_config("network/crosstraffic:0");
    sg4::Engine::set_config("network/TCP-gamma:0");
  } else {
    sg4::Engine::set_config("network/model:" + network.simgrid_model);
  }
}

// SimGrid needs finite numbers; "infinite" bandwidth becomes one no transfer can notice.
double simgrid_bandwidth(Bandwidth bandwidth) { return std::min(bandwidth.bytes_per_s, 1e18); }

}  // namespace

std::vector<sg4::Host*> build_platform(const model::Model& model, sg4::Engine& engine) {
  const scenario::NetworkSpec& network = model.scenario->model.network;
  configure_network(network);
  std::vector<sg4::Host*> hosts;
  if (!network.platform_file.empty()) {
    // The text that was checked, not the file again: it may have changed since, or be a
    // pipe that gives its bytes once.
    const int fd = ::memfd_create("ipcsim-platform.xml", MFD_CLOEXEC);
    if (fd < 0 || ::write(fd, network.platform_xml.data(), network.platform_xml.size()) !=
                      static_cast<ssize_t>(network.platform_xml.size()))
      throw std::runtime_error(
          fmt::format("cannot hand {} to SimGrid: {}", network.platform_file, std::strerror(errno)));
    engine.load_platform(fmt::format("/proc/self/fd/{}", fd));
    ::close(fd);
    for (const model::Host& h : model.hosts) {
      sg4::Host* host = engine.host_by_name_or_null(h.name);
      if (!host) throw std::runtime_error(fmt::format("host '{}' is not in {}", h.name, network.platform_file));
      hosts.push_back(host);
    }
    return hosts;
  }
  auto* zone = sg4::create_full_zone("ipcsim");
  for (const model::Host& h : model.hosts)
    hosts.push_back(zone->create_host(h.name, h.speed.flops)->set_core_count(h.cores)->seal());
  // SimGrid's Constant model takes no links: every transfer costs its fixed latency.
  if (!network.ideal && network.simgrid_model != "Constant" && hosts.size() > 1) {
    const auto link = [&](const std::string& name) {
      return (network.full_duplex ? zone->create_split_duplex_link(name, simgrid_bandwidth(network.link.bandwidth))
                                  : zone->create_link(name, simgrid_bandwidth(network.link.bandwidth)))
          ->set_latency(network.link.latency.count())
          ->seal();
    };
    // Routes are declared one way and made symmetrical: SimGrid turns a split-duplex link's
    // UP into DOWN on the way back, so each direction has its own bandwidth.
    using Direction = sg4::LinkInRoute::Direction;
    if (network.topology == scenario::Topology::star) {
      // Each host has one link to a central switch: a route crosses two links, up the
      // sender's and down the receiver's.
      std::vector<sg4::Link*> uplinks;
      uplinks.reserve(hosts.size());
      for (sg4::Host* h : hosts) uplinks.push_back(link(scenario::star_link_name(h->get_name())));
      for (std::size_t i = 0; i < hosts.size(); ++i)
        for (std::size_t j = i + 1; j < hosts.size(); ++j)
          zone->add_route(hosts[i]->get_netpoint(), hosts[j]->get_netpoint(), nullptr, nullptr,
                          {sg4::LinkInRoute(uplinks[i], Direction::UP), sg4::LinkInRoute(uplinks[j], Direction::DOWN)},
                          true);
    } else {
      for (std::size_t i = 0; i < hosts.size(); ++i)
        for (std::size_t j = i + 1; j < hosts.size(); ++j)
          zone->add_route(hosts[i]->get_netpoint(), hosts[j]->get_netpoint(), nullptr, nullptr,
                          {sg4::LinkInRoute(link(scenario::mesh_link_name(hosts[i]->get_name(), hosts[j]->get_name())),
                                            Direction::UP)},
                          true);
    }
  }
  zone->seal();
  return hosts;
}

}  // namespace ipcsim::sim
