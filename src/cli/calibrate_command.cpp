#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "commands.hpp"
#include "measure/calibrate.hpp"
#include "option_checks.hpp"
#include "report/output_files.hpp"
#include "scenario/input_error.hpp"
#include "scenario/timing_model.hpp"

namespace ipcsim::cli {
namespace {

struct CalibrateArgs {
  std::string output;  // empty: models/local-<host name>.yaml
  double rounds = 1;   // scales how many messages each probe sends
};

int calibrate_command(const CalibrateArgs& args) {
  std::string output = args.output;
  if (output.empty()) {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    output = fmt::format("models/local-{}.yaml", host);
  }
  const std::string name = std::filesystem::path(output).stem().string();
  if (std::filesystem::path(output).extension() != ".yaml") {
    fmt::print(stderr, "ipcsim: error: --output {}: expected a .yaml file (models are named by their path)\n", output);
    return exit_bad_input;
  }
  report::OutputFiles files;
  try {
    files.expect("--output", output);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return exit_bad_input;
  }
  try {
    measure::Calibration calibration = measure::calibrate(args.rounds);
    files.stage(output, measure::calibrated_model_yaml(calibration, name));
    files.commit();
    scenario::TimingModel model = scenario::load_timing_model(output);  // what we wrote must load
    const scenario::LocalCosts& local = model.local;
    fmt::print("{}: send {:.3g} us, receive {:.3g} us, copy {:.3g} GB/s, wake-up {:.3g} us\n", output,
               local.send_overhead.count() * 1e6, local.receive_overhead.count() * 1e6,
               local.copy_bandwidth.bytes_per_s / 1e9, local.wakeup.count() * 1e6);
    for (const std::string& line : calibration.details) fmt::print("  {}\n", line);
    return exit_ok;
  } catch (const InputError& e) {
    fmt::print(stderr, "ipcsim: calibrate wrote a model that does not load: {}\n", e.what());
    return exit_failure;
  } catch (const std::exception& e) {
    fmt::print(stderr, "ipcsim: calibrate: {}\n", e.what());
    return exit_failure;
  }
}

}  // namespace

Verb add_calibrate_verb(CLI::App& app) {
  auto args = std::make_shared<CalibrateArgs>();
  CLI::App* calibrate =
      app.add_subcommand("calibrate", "Measure this machine's local IPC costs and write them as a timing model");
  calibrate->add_option("-o,--output", args->output, "Model file to write (default: models/local-<host>.yaml)")
      ->check(file_name);
  calibrate->add_option("--rounds", args->rounds, "Scale the number of messages each probe sends (default 1)")
      ->check(finite_in(0.001, 1000.0));
  return {calibrate, [args] { return calibrate_command(*args); }};
}

}  // namespace ipcsim::cli
