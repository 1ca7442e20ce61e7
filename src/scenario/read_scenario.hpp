#pragma once
// Private to scenario/: a scenario from its YAML tree, for the loader and the sweep expansion.
#include <yaml-cpp/yaml.h>

#include <string>

#include "scenario.hpp"

namespace ipcsim::scenario {

/// What errors call a scenario read from standard input.
inline constexpr const char* stdin_name = "<stdin>";

/// Reads and checks the scenario of `root` (InputError naming `file` otherwise).
Scenario read_scenario(const YAML::Node& root, const std::string& file);

}  // namespace ipcsim::scenario
