#pragma once
// The timing model: how long the network and the local IPC path take. Loaded from
// models/*.yaml, a SimGrid platform XML file, or the built-in `ideal`.
#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "units.hpp"

namespace ipcsim::scenario {

enum class Topology { full_mesh, star };

struct LinkSpec {
  Seconds latency{0};
  Bandwidth bandwidth{1e9};
};

struct HostSpec {
  std::string name;
  Speed speed{1e9};
  std::optional<int> cores;  // default: one core per process placed on the host
};

/// Costs of same-host IPC, paid by the process doing the operation.
struct LocalCosts {
  Seconds send_overhead{0};
  Seconds receive_overhead{0};
  Bandwidth copy_bandwidth{HUGE_VAL};  // a message of S bytes costs S / copy_bandwidth to copy
  Seconds wakeup{0};                   // extra delay before a blocked process runs again

  Seconds copy_time(Bytes size) const { return Seconds{static_cast<double>(size.count) / copy_bandwidth.bytes_per_s}; }
};

struct NetworkSpec {
  // "exact": one idle link takes latency + size/bandwidth; otherwise a SimGrid
  // network/model name (LV08, CM02, SMPI, IB, Constant) with SimGrid's own factors.
  std::string simgrid_model = "exact";
  Topology topology = Topology::full_mesh;
  // Full: a link carries each direction at its full bandwidth (a switched network); half:
  // both directions share it. Platform files say per link (sharing_policy).
  bool full_duplex = true;
  LinkSpec link;
  std::vector<HostSpec> hosts;              // empty: hosts come from the scenario's placements
  std::string platform_file;                // a SimGrid platform XML file, instead of the above
  std::string platform_xml;                 // its text, as checked: what SimGrid is given, not the file again
  std::vector<std::string> platform_links;  // the <link id>s of that file
  // Its routes, one-way (a symmetrical route gives both); in a Floyd or Dijkstra zone they
  // are hops between hosts and routers, in a Full zone whole routes between hosts.
  std::vector<std::pair<std::string, std::string>> platform_routes;
  bool platform_routes_are_hops = false;
  // No network at all: cross-host messages take no time (the `ideal` model).
  bool ideal = false;
};

struct TimingModel {
  std::string name = "ideal";
  std::string source = "built-in";
  NetworkSpec network;
  LocalCosts local;
};

/// The name of the built-in full-mesh link between hosts a and b (a first in host order),
/// and of a host's link to the switch of the built-in star.
std::string mesh_link_name(std::string_view a, std::string_view b);
std::string star_link_name(std::string_view host);

/// The network links a run has, by name (what link faults name): a platform file's links,
/// or those of the built-in topology over `hosts` (in model order); none on the ideal
/// network or with a single host.
std::vector<std::string> link_names(const NetworkSpec& network, const std::vector<std::string>& hosts);

/// Whether a message from host `from` can reach host `to`: always on the built-in networks;
/// on a platform file, when its routes lead there.
bool has_route(const NetworkSpec& network, const std::string& from, const std::string& to);

/// The built-in model `ideal`: every cost zero, pure semantics.
TimingModel ideal_model();

/// Loads a model file (.yaml, or a SimGrid platform .xml); throws InputError.
TimingModel load_timing_model(const std::string& path);

/// The folders where `model: NAME` is looked for, in order: the scenario's folder and its
/// models/ folder, each folder of IPCSIM_MODEL_PATH (colon-separated), then beside the
/// running binary: share/ipcsim/models of its install prefix and, in a build tree, the
/// source's models/.
std::vector<std::filesystem::path> model_search_path(const std::filesystem::path& scenario_dir);

/// Whether `text` names a model (lan, two-hosts) rather than giving a path: letters, digits,
/// '_' and '-' only.
bool is_model_name(std::string_view text);

/// The first NAME.yaml or NAME.xml along the search path of `scenario`'s folder (not the
/// scenario itself), or nullopt.
std::optional<std::filesystem::path> find_model(std::string_view name, const std::filesystem::path& scenario);

}  // namespace ipcsim::scenario
