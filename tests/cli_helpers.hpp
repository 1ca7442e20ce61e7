#pragma once
// Running the ipcsim binary from tests, with scratch folders and the sweep they share.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace ipcsim::test {

namespace fs = std::filesystem;

struct Result {
  int exit_code;
  std::string output;  // stdout and stderr together
};

/// Runs a shell command line, collecting what it prints.
inline Result run_shell(const std::string& command_line) {
  std::string command = "(" + command_line + ") 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) output.append(buffer.data(), n);
  int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// Sanitizers add shadow memory and keep freed blocks in quarantine, so figures of resident
// memory and address space hold for the plain build only.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool sanitized_build = true;
#else
inline constexpr bool sanitized_build = false;
#endif

inline const std::string ipcsim_binary = IPCSIM_BINARY;
inline const std::string source_dir = IPCSIM_SOURCE_DIR;

inline Result run_ipcsim(const std::string& arguments) { return run_shell(ipcsim_binary + " " + arguments); }

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "ipcsim-test-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

inline std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

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
