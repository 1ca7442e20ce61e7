// libFuzzer target: any bytes as a scenario file, and as a SimGrid platform file. The loaders
// must answer with a scenario (a network) or an InputError (file:line: message), never crash,
// hang or throw anything else; a scenario they accept must instantiate (build_model throws
// logic_error when validation missed something, InputError for hosts no route joins).
#include <cstddef>
#include <cstdint>
#include <string>

#include "model/model.hpp"
#include "scenario/input_error.hpp"
#include "scenario/platform_file.hpp"
#include "scenario/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    ipcsim::scenario::parse_platform(text, "fuzz.xml");
  } catch (const ipcsim::InputError&) {
  }
  std::vector<ipcsim::scenario::SweepPoint> points;
  try {
    points = ipcsim::scenario::parse_sweep(text, "fuzz.yaml", {});
  } catch (const ipcsim::InputError&) {
    return 0;
  }
  for (const ipcsim::scenario::SweepPoint& point : points) {
    std::size_t instances = 0;
    for (const auto& process : point.scenario.processes) instances += process.count;
    // Huge but valid scenarios are refused or bounded by the loader; instantiating a
    // million processes here would only measure the fuzzer's memory limit.
    if (instances > 10000) continue;
    try {
      ipcsim::model::build_model(point.scenario);
    } catch (const ipcsim::InputError&) {
    }
  }
  return 0;
}
