#pragma once
// Hosts and links of the timing model, built in SimGrid (or loaded from platform XML).
#include <simgrid/s4u.hpp>

#include <vector>

#include "model/model.hpp"

namespace ipcsim::sim {

/// Configures SimGrid's network model and creates the hosts; index = model::HostId.
std::vector<simgrid::s4u::Host*> build_platform(const model::Model& model, simgrid::s4u::Engine& engine);

}  // namespace ipcsim::sim
