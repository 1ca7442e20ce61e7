#pragma once
// ipcsim calibrate: the local IPC costs of this machine, measured by replaying small
// scenarios through the measured mode (the same code paths a measured run takes), so a
// model built from them predicts what --measure will see.
#include <string>
#include <vector>

#include "scenario/timing_model.hpp"

namespace ipcsim::measure {

struct Calibration {
  scenario::LocalCosts local;
  // Each figure as measured, one line per queue kind and probe, for the model file's notes.
  std::vector<std::string> details;
};

/// Takes a few seconds; `rounds` scales how many messages each probe sends.
Calibration calibrate(double rounds = 1.0);

/// A model file (YAML) holding the costs, the machine it came from and how they were measured.
std::string calibrated_model_yaml(const Calibration& calibration, const std::string& name);

}  // namespace ipcsim::measure
