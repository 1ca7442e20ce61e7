// Sweeps and --set: each point of a sweep is the scenario's YAML with its swept paths (and
// the command line's --set paths) replaced, read afresh. A path that is a parameter's name
// sets the parameter (params.hpp).
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "params.hpp"
#include "read_scenario.hpp"
#include "scenario.hpp"
#include "yaml_fields.hpp"

namespace ipcsim::scenario {
namespace {

constexpr std::size_t max_sweep_points = 100'000;
// Each point is a scenario read afresh: the YAML nodes read over all points are bounded too.
constexpr std::size_t max_sweep_nodes = 50'000'000;

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> keys;
  for (std::size_t start = 0;;) {
    auto dot = path.find('.', start);
    keys.emplace_back(path.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return keys;
}

// The element of a mapping (by key) or of a list (by position) that `key` names, or an
// undefined node.
YAML::Node child_of(const YAML::Node& node, const std::string& key) {
  if (node.IsSequence()) {
    bool digits = !key.empty() && key.size() < 10 &&
                  std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || std::stoul(key) >= node.size()) return YAML::Node(YAML::NodeType::Undefined);
    return node[std::stoul(key)];
  }
  return node.IsMap() ? node[key] : YAML::Node(YAML::NodeType::Undefined);
}

// Sets `path` (keys, or list positions, joined by dots) in the YAML tree to `value`; all
// but the last must exist. yaml-cpp's assignment writes through a node, so walking uses
// reset() to move the handle instead.
void set_path(const YAML::Node& root, const std::string& path, const YAML::Node& value, const SourceMark& where) {
  std::vector<std::string> keys = split_path(path);
  YAML::Node node = root;
  for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
    YAML::Node child = child_of(node, keys[i]);
    if (!child.IsDefined() || !(child.IsMap() || child.IsSequence()))
      throw InputError(where, fmt::format("'{}': the scenario has no mapping or list at '{}'", path, keys[i]));
    node.reset(child);
  }
  const std::string& last = keys.back();
  if (last.empty()) throw InputError(where, fmt::format("'{}': expected a path such as channels.jobs.capacity", path));
  if (node.IsSequence()) {
    YAML::Node element = child_of(node, last);
    if (!element.IsDefined())
      throw InputError(where, fmt::format("'{}': '{}' is not a position in a list of {}", path, last, node.size()));
    element = value;
  } else {
    node[last] = value;
  }
}

std::string parameter_text(const YAML::Node& value) {
  if (value.IsScalar()) return value.Scalar();
  YAML::Emitter out;
  out << YAML::Flow << value;
  return out.c_str();
}

// The sweep block: path -> list of values; points are its cartesian product, the first path
// varying slowest. InputError past max_sweep_points, or max_sweep_nodes read over them all.
std::vector<std::pair<std::string, YAML::Node>> sweep_axes(const YAML::Node& root, const std::string& path) {
  std::vector<std::pair<std::string, YAML::Node>> axes;
  const YAML::Node sweep = root["sweep"];
  if (!sweep.IsDefined()) return axes;
  if (!sweep.IsMap() || sweep.size() == 0)
    yaml::fail(sweep, path, "sweep: expected a mapping of scenario paths to lists of values");
  const std::size_t nodes_per_point = yaml::node_count(root);
  std::size_t count = 1;
  for (const auto& entry : sweep) {
    std::string axis = yaml::scalar(entry.first, path, "sweep path");
    if (axis == "replications")
      yaml::fail(entry.first, path,
                 "sweep.replications: the replications of every point are one number: set it outside the sweep");
    if (!entry.second.IsSequence() || entry.second.size() == 0)
      yaml::fail(entry.second, path, fmt::format("sweep.{}: expected a non-empty list of values", axis));
    count *= entry.second.size();
    if (count > max_sweep_points)
      yaml::fail(entry.second, path, fmt::format("sweep: more than {} points; split it (--set)", max_sweep_points));
    if (count * nodes_per_point > max_sweep_nodes)
      yaml::fail(entry.second, path,
                 fmt::format("sweep: {} points of a scenario of {} YAML nodes: expected at most {} nodes in all; "
                             "split it (--set)",
                             count, nodes_per_point, max_sweep_nodes));
    axes.emplace_back(axis, entry.second);
  }
  return axes;
}

}  // namespace

std::vector<SweepPoint> load_sweep(const std::string& path, const std::vector<std::string>& overrides) {
  return parse_sweep(read_input_file(path, "a YAML scenario file"), path == "-" ? stdin_name : path, overrides);
}

std::vector<SweepPoint> parse_sweep(const std::string& text, const std::string& path,
                                    const std::vector<std::string>& overrides) {
  // Each point gets a tree of its own, parsed afresh so that every node keeps its
  // position in the file for error messages (YAML::Clone drops them).
  auto fresh_tree = [&] {
    YAML::Node root = yaml::load_text(text, path);
    if (!root.IsMap()) yaml::fail(root, path, "scenario: expected a mapping of keys");
    for (const std::string& assignment : overrides) {
      SourceMark where{"--set " + assignment};
      auto equals = assignment.find('=');
      if (equals == std::string::npos || equals == 0)
        throw InputError(where, "expected path=value, e.g. --set channels.jobs.capacity=8");
      set_path(root, param_path(root, assignment.substr(0, equals)),
               yaml::load_text(assignment.substr(equals + 1), where.file), where);
    }
    return root;
  };

  YAML::Node root = fresh_tree();
  const std::vector<std::pair<std::string, YAML::Node>> axes = sweep_axes(root, path);
  std::size_t count = 1;
  for (const auto& [axis, values] : axes) count *= values.size();

  std::vector<SweepPoint> points;
  std::vector<std::size_t> index(axes.size(), 0);
  for (std::size_t p = 0; p < count; ++p) {
    YAML::Node tree = p == 0 ? root : fresh_tree();
    tree.remove("sweep");
    SweepPoint point;
    for (std::size_t a = 0; a < axes.size(); ++a) {
      const YAML::Node value = axes[a].second[index[a]];
      set_path(tree, param_path(tree, axes[a].first), value, yaml::mark_of(value, path));
      point.parameters.emplace_back(axes[a].first, parameter_text(value));
    }
    point.scenario = read_scenario(tree, path);
    points.push_back(std::move(point));
    // Odometer: the last axis turns fastest.
    for (std::size_t a = axes.size(); a > 0 && ++index[a - 1] == axes[a - 1].second.size(); --a) index[a - 1] = 0;
  }
  return points;
}

}  // namespace ipcsim::scenario
