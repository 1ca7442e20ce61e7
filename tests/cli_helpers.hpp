#pragma once
// Running the ipcsim binary from tests, with scratch folders and the sweep they share.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "support/shell.hpp"

namespace ipcsim::test {

inline const std::string ipcsim_binary = IPCSIM_BINARY;
inline const std::string source_dir = IPCSIM_SOURCE_DIR;

inline Result run_ipcsim(const std::string& arguments) { return run_shell(ipcsim_binary + " " + arguments); }

/// The CSV without its last three (wall-clock) columns (results/README.md).
inline std::string without_wall_clock(const std::string& csv) {
  std::stringstream in(csv), out;
  for (std::string line; std::getline(in, line);) {
    for (int i = 0; i < 3; ++i) line = line.substr(0, line.rfind(','));
    out << line << '\n';
  }
  return out.str();
}

/// Three capacities by two send modes, 50 ms of simulated time each.
inline const char* small_sweep = R"(
name: small-sweep
stop: {time: 50ms}
channels:
  jobs: {addressing: mailbox, capacity: 2}
processes:
  producer: {program: [{repeat: forever, do: [{send: {to: jobs, size: 1B, mode: blocking}}, {sleep: exp(1ms)}]}]}
  consumer: {program: [{repeat: forever, do: [{recv: {from: jobs}}, {compute: exp(1ms)}]}]}
sweep:
  channels.jobs.capacity: [0, 4, unbounded]
  processes.producer.program.0.do.0.send.mode: [blocking, nonblocking]
)";

}  // namespace ipcsim::test
