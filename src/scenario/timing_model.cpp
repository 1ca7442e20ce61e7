#include "timing_model.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "platform_file.hpp"
#include "read_scenario.hpp"
#include "text.hpp"
#include "yaml_fields.hpp"

namespace ipcsim::scenario {
namespace {

LocalCosts read_local_costs(const YAML::Node& node, const std::string& file) {
  yaml::Fields f(node, file, "local", format::local);
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
    host.name = yaml::name(entry.first, file, "host name");
    yaml::Fields f(entry.second, file, "host '" + host.name + "'", format::host);
    if (f.has("speed")) {
      std::string text = f.string("speed");
      auto speed = parse_speed(text);
      if (!speed) yaml::fail(f.get("speed"), file, fmt::format("expected {}, found '{}'", speed_hint(), text));
      host.speed = *speed;
    }
    if (f.has("cores")) host.cores = static_cast<int>(f.integer("cores", 1));
    hosts.push_back(host);
  }
  return hosts;
}

// `platform: FILE.xml`, relative to the folder of the file that names it: a SimGrid platform
// file gives the hosts, links and routes.
NetworkSpec read_platform(const yaml::Fields& f, const std::string& file) {
  for (const format::Key& key : format::network_keys)
    if (key.conflicts_with == "platform" && f.has(key.name))
      yaml::fail(f.get(key.name), file,
                 fmt::format("network.{}: the platform file gives the hosts, links and routes; remove '{}'", key.name,
                             key.name));
  namespace fs = std::filesystem;
  const fs::path given = yaml::scalar(f.get("platform"), file, "network.platform");
  const fs::path base = file == stdin_name ? fs::path(".") : fs::path(file).parent_path();
  const fs::path path = (given.is_absolute() ? given : base / given).lexically_normal();
  std::error_code error;
  if (given.extension() != ".xml" || !fs::is_regular_file(path, error))
    yaml::fail(f.get("platform"), file,
               fmt::format("network.platform: expected a SimGrid platform file (.xml) relative to {}'s folder, "
                           "found '{}'",
                           printable(file), printable(given.string())));
  return parse_platform(read_input_file(path.string(), "a SimGrid platform file"), path.string());
}

NetworkSpec read_network(const YAML::Node& node, const std::string& file) {
  yaml::Fields f(node, file, "network", format::network);
  const std::string simgrid_model(f.choice("model", "exact"));
  NetworkSpec net = f.has("platform") ? read_platform(f, file) : NetworkSpec{};
  net.simgrid_model = simgrid_model;
  if (f.has("platform")) return net;
  if (f.choice("topology", "full-mesh") == "star") net.topology = Topology::star;
  net.full_duplex = f.choice("duplex", "full") == "full";
  if (f.has("link")) {
    yaml::Fields link(f.get("link"), file, "network.link", format::link);
    net.link.latency = link.duration("latency", net.link.latency);
    net.link.bandwidth = link.bandwidth("bandwidth", net.link.bandwidth);
  }
  if (f.has("hosts")) net.hosts = read_hosts(f.get("hosts"), file);
  return net;
}

}  // namespace

std::string mesh_link_name(std::string_view a, std::string_view b) { return fmt::format("{}-{}", a, b); }

std::string star_link_name(std::string_view host) { return fmt::format("{}-link", host); }

std::vector<std::string> link_names(const NetworkSpec& network, const std::vector<std::string>& hosts) {
  if (!network.platform_file.empty()) return network.platform_links;
  std::vector<std::string> names;
  if (network.ideal || network.simgrid_model == "Constant" || hosts.size() < 2) return names;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    if (network.topology == Topology::star) {
      names.push_back(star_link_name(hosts[i]));
      continue;
    }
    for (std::size_t j = i + 1; j < hosts.size(); ++j) names.push_back(mesh_link_name(hosts[i], hosts[j]));
  }
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
  model.name = printable(std::filesystem::path(path).stem().string());  // printed and written to CSVs
  if (std::filesystem::path(path).extension() == ".xml") {
    model.network = parse_platform(read_input_file(path, "a SimGrid platform file"), path);
    return model;
  }
  TimingModel loaded = yaml::timing_model(yaml::load_file(path), path, model.name);
  loaded.source = path;
  return loaded;
}

std::vector<std::filesystem::path> model_search_path(const std::filesystem::path& scenario_dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> folders{scenario_dir.empty() ? fs::path(".") : scenario_dir,
                                (scenario_dir.empty() ? fs::path(".") : scenario_dir) / "models"};
  if (const char* listed = std::getenv("IPCSIM_MODEL_PATH")) {
    std::string_view rest = listed;
    while (!rest.empty()) {
      const std::size_t colon = std::min(rest.find(':'), rest.size());
      if (colon > 0) folders.emplace_back(rest.substr(0, colon));
      rest.remove_prefix(std::min(colon + 1, rest.size()));
    }
  }
  std::error_code error;
  const fs::path binary = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    folders.push_back(binary.parent_path().parent_path() / "share" / "ipcsim" / "models");
    folders.push_back(binary.parent_path().parent_path() / "models");
  }
  return folders;
}

bool is_model_name(std::string_view text) { return format::model_name.matches(text); }

std::optional<std::filesystem::path> find_model(std::string_view name, const std::filesystem::path& scenario) {
  namespace fs = std::filesystem;
  if (!is_model_name(name)) return std::nullopt;
  for (const fs::path& folder : model_search_path(scenario.parent_path()))
    for (const char* extension : {".yaml", ".xml"}) {
      const fs::path candidate = folder / (std::string(name) + extension);
      std::error_code error;
      if (fs::is_regular_file(candidate, error) && !fs::equivalent(candidate, scenario, error))
        return candidate.lexically_normal();
    }
  return std::nullopt;
}

TimingModel yaml::timing_model(const YAML::Node& node, const std::string& file, const std::string& default_name) {
  TimingModel model;
  model.source = file;
  yaml::Fields f(node, file, "model", format::model);
  model.name = f.has("name") ? yaml::name(f.get("name"), file, "model name") : default_name;
  if (f.has("network")) model.network = read_network(f.get("network"), file);
  if (f.has("local")) model.local = read_local_costs(f.get("local"), file);
  return model;
}

}  // namespace ipcsim::scenario
