#include "timing_model.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <cctype>
#include <sstream>

#include "yaml_fields.hpp"

namespace ipcsim {
namespace {

LocalCosts read_local_costs(const YAML::Node& node, const std::string& file) {
  yaml::Fields f(node, file, "local",
                 {"send_overhead", "receive_overhead", "copy_bandwidth", "wakeup"});
  LocalCosts costs;
  costs.send_overhead = f.duration("send_overhead", costs.send_overhead);
  costs.receive_overhead = f.duration("receive_overhead", costs.receive_overhead);
  costs.copy_bandwidth = f.bandwidth("copy_bandwidth", costs.copy_bandwidth);
  costs.wakeup = f.duration("wakeup", costs.wakeup);
  return costs;
}

std::vector<HostSpec> read_hosts(const YAML::Node& node, const std::string& file) {
  if (!node.IsMap()) yaml::fail(node, file, "network.hosts: expected a mapping of host names");
  std::vector<HostSpec> hosts;
  for (const auto& entry : node) {
    HostSpec host;
    host.name = yaml::scalar(entry.first, file, "host name");
    yaml::Fields f(entry.second, file, "host '" + host.name + "'", {"speed", "cores"});
    if (f.has("speed")) {
      std::string text = f.string("speed");
      auto speed = parse_speed(text);
      if (!speed)
        yaml::fail(f.get("speed"), file,
                   fmt::format("expected a speed such as 1Gf (units: f, kf, Mf, Gf, Tf), found '{}'",
                               text));
      host.speed = *speed;
    }
    if (f.has("cores")) host.cores = static_cast<int>(f.integer("cores", 1, 1, 4096));
    hosts.push_back(host);
  }
  return hosts;
}

NetworkSpec read_network(const YAML::Node& node, const std::string& file) {
  yaml::Fields f(node, file, "network", {"model", "topology", "link", "hosts"});
  NetworkSpec net;
  net.simgrid_model = f.string("model", "exact");
  const auto& names = simgrid_network_models();
  if (net.simgrid_model != "exact" &&
      std::find(names.begin(), names.end(), net.simgrid_model) == names.end())
    yaml::fail(f.get("model"), file,
               fmt::format("network.model: expected exact or one of SimGrid's {}, found '{}'",
                           fmt::join(names, ", "), net.simgrid_model));
  std::string topology = f.string("topology", "full-mesh");
  if (topology == "star")
    net.topology = Topology::star;
  else if (topology != "full-mesh")
    yaml::fail(f.get("topology"), file,
               fmt::format("network.topology: expected full-mesh or star, found '{}'", topology));
  if (f.has("link")) {
    yaml::Fields link(f.get("link"), file, "network.link", {"latency", "bandwidth"});
    net.link.latency = link.duration("latency", net.link.latency);
    net.link.bandwidth = link.bandwidth("bandwidth", net.link.bandwidth);
  }
  if (f.has("hosts")) net.hosts = read_hosts(f.get("hosts"), file);
  return net;
}

// Host ids of a SimGrid platform file, read with a pattern so that a wrong host name in a
// scenario is reported before SimGrid starts.
std::vector<HostSpec> hosts_of_platform_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError({path}, "cannot open SimGrid platform file");
  std::stringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  std::vector<HostSpec> hosts;
  for (std::size_t tag = content.find("<host"); tag != std::string::npos; tag = content.find("<host", tag + 1)) {
    std::size_t end = content.find('>', tag);
    std::string_view element = std::string_view(content).substr(tag, end - tag);
    if (element.size() <= 5 || !std::isspace(static_cast<unsigned char>(element[5]))) continue;  // <host_link ...
    std::size_t id = element.find(" id=");
    if (id == std::string_view::npos || id + 5 >= element.size()) continue;
    char quote = element[id + 4];
    std::size_t close = element.find(quote, id + 5);
    if (close == std::string_view::npos) continue;
    hosts.push_back(HostSpec{std::string(element.substr(id + 5, close - id - 5)), Speed{1e9}, std::nullopt});
  }
  if (hosts.empty()) throw InputError({path}, "no <host id=...> found: expected a SimGrid platform");
  return hosts;
}

}  // namespace

const std::vector<std::string>& simgrid_network_models() {
  static const std::vector<std::string> names{"LV08", "CM02", "SMPI", "IB", "Constant"};
  return names;
}

TimingModel ideal_model() {
  TimingModel model;
  model.network.ideal = true;
  model.network.link = LinkSpec{Seconds{0}, Bandwidth{HUGE_VAL}};
  return model;
}

TimingModel load_timing_model(const std::string& path) {
  TimingModel model;
  model.source = path;
  model.name = std::filesystem::path(path).stem().string();
  if (std::filesystem::path(path).extension() == ".xml") {
    model.network.platform_file = path;
    model.network.hosts = hosts_of_platform_file(path);
    return model;
  }
  TimingModel loaded = yaml::timing_model(yaml::load_file(path), path, model.name);
  loaded.source = path;
  return loaded;
}

TimingModel yaml::timing_model(const YAML::Node& node, const std::string& file,
                               const std::string& default_name) {
  TimingModel model;
  model.source = file;
  yaml::Fields f(node, file, "model", {"name", "description", "network", "local"});
  model.name = f.string("name", default_name);
  if (f.has("network")) model.network = read_network(f.get("network"), file);
  if (f.has("local")) model.local = read_local_costs(f.get("local"), file);
  return model;
}

}  // namespace ipcsim
