#pragma once
// Hosts and links of the timing model, built in SimGrid (or loaded from platform XML).
#include <vector>

#include "engine.hpp"

namespace ipcsim::sim {

/// Configures SimGrid's network model and creates the hosts; index = model::HostId.
std::vector<sg4::Host*> build_platform(const model::Model& model, sg4::Engine& engine);

}  // namespace ipcsim::sim
