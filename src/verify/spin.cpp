#include "spin.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace ipcsim::verify {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Finished {
  int status = 0;  // the exit code; -1: killed at the deadline (or interrupted)
  std::string output;
};

// Runs `argv` in `folder`, its standard output and error read together, in a process group
// of its own that is killed at `deadline`.
Finished run(const std::vector<std::string>& argv, const fs::path& folder, Clock::time_point deadline,
             const std::atomic<bool>* interrupted) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("verify: no pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addchdir_np(&actions, folder.c_str());
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  std::vector<std::string> words = argv;
  std::vector<char*> pointers;
  pointers.reserve(words.size() + 1);
  for (std::string& word : words) pointers.push_back(word.data());
  pointers.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, pointers[0], &actions, &attributes, pointers.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(pipe_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    throw std::runtime_error(fmt::format("verify: cannot run {}: {}", argv[0], std::strerror(spawned)));
  }
  Finished finished;
  bool killed = false;
  char buffer[65536];
  for (;;) {
    pollfd readable{pipe_fds[0], POLLIN, 0};
    const int ready = ::poll(&readable, 1, 100);
    if (ready > 0) {
      const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
      if (n == 0) break;
      if (n > 0 && finished.output.size() < (std::size_t{64} << 20)) finished.output.append(buffer, std::size_t(n));
      if (n < 0 && errno != EINTR) break;
    }
    if (!killed && (Clock::now() >= deadline || (interrupted && interrupted->load()))) {
      ::kill(-pid, SIGKILL);
      killed = true;
    }
  }
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::kill(-pid, SIGKILL);  // anything the program left in its group
  finished.status = killed ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return finished;
}

// A folder of the search's own, removed at the end unless the user keeps its files.
struct WorkFolder {
  fs::path path;
  WorkFolder() {
    std::string pattern = (fs::temp_directory_path() / "ipcsim-verify-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("verify: cannot make a temporary folder");
    path = pattern;
  }
  WorkFolder(const WorkFolder&) = delete;
  WorkFolder& operator=(const WorkFolder&) = delete;
  ~WorkFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

std::uint64_t number_before(const std::string& text, const std::string& words) {
  const std::regex pattern("([0-9]+(e\\+[0-9]+)?) " + words);
  std::smatch found;
  if (!std::regex_search(text, found, pattern)) return 0;
  return static_cast<std::uint64_t>(std::stod(found[1].str()));
}

// "  12:	proc  1 (p1:1) model.pml:40 (state 7)	[c0!1,0]" and, after "#processes:", each live
// process's place: "  12:	proc  0 (p0:1) model.pml:33 (state 3)".
void read_trail(const std::string& listing, Verdict& verdict) {
  // Step numbers go negative when the trail is empty (a deadlock in the first state).
  static const std::regex ended(R"(^\s*-?[0-9]+:\s+proc\s+([0-9]+) terminates)");
  static const std::regex place(R"(^\s*-?[0-9]+:\s+proc\s+[0-9]+ \(([a-z]+[0-9]+):[0-9]+\) model\.pml:([0-9]+) )");
  std::istringstream lines(listing);
  bool final_state = false;
  for (std::string text; std::getline(lines, text);) {
    if (text.rfind("#processes:", 0) == 0) final_state = true;
    std::smatch found;
    if (!final_state && std::regex_search(text, found, ended)) {  // "  6: proc 2 terminates": p<pid>
      verdict.steps.push_back(0);
      verdict.step_proctypes.push_back("p" + found[1].str());
      continue;
    }
    if (!std::regex_search(text, found, place)) continue;
    const std::size_t line = std::stoul(found[2].str());
    if (!final_state) {
      verdict.steps.push_back(line);
      verdict.step_proctypes.push_back(found[1].str());
    } else if (text.find("<valid end state>") == std::string::npos) {
      verdict.stuck.push_back({found[1].str(), line});
    }
  }
}

// Runs a step that must succeed: an exit code but 0 (or -1, the deadline) is a failure, with
// the program's own words.
Finished run_checked(const std::vector<std::string>& argv, const fs::path& folder, Clock::time_point deadline,
                     const std::atomic<bool>* interrupted, const char* what) {
  Finished done = run(argv, folder, deadline, interrupted);
  if (done.status != 0 && done.status != -1)
    throw std::runtime_error(fmt::format("verify: {} failed: {}", what, done.output.substr(0, 2000)));
  return done;
}

// pan found no error: the search is complete, or it says what cut it short.
void read_clean_report(const std::string& report, const SearchOptions& options, std::uint64_t megabytes,
                       Verdict& verdict) {
  verdict.outcome = Finding::no_deadlock;
  if (report.find("max search depth too small") != std::string::npos) {
    verdict.outcome = Finding::incomplete;
    verdict.incomplete =
        fmt::format("interleavings longer than {} steps were not searched: raise --depth", options.depth);
  } else if (report.find("-DMEMLIM bound") != std::string::npos || report.find("out of memory") != std::string::npos) {
    verdict.outcome = Finding::incomplete;
    verdict.incomplete =
        verdict.states == 0
            ? fmt::format(
                  "the search ran out of memory ({} MiB) before it began (its stack for --depth {} takes "
                  "most of it): raise --memory, or lower --depth",
                  megabytes, options.depth)
            : fmt::format("the search ran out of memory ({} MiB): raise --memory", megabytes);
  }
}

// pan found an error: which one, and the interleaving that leads there (spin -t replays it).
void read_error(const Promela& promela, const std::string& report, const std::string& listing, Verdict& verdict) {
  // The report's settings list "invalid end states +" whatever was found: the error line says which.
  verdict.outcome = report.find("assertion violated") != std::string::npos ? Finding::assertion : Finding::deadlock;
  read_trail(listing, verdict);
  if (verdict.outcome != Finding::assertion) return;
  std::smatch found;
  if (std::regex_search(listing, found, std::regex(R"(model\.pml:([0-9]+), Error: assertion violated)")))
    verdict.failed_line = std::stoul(found[1].str());
  const std::size_t line = verdict.failed_line;
  if (line >= 1 && line <= promela.lines.size() && promela.lines[line - 1].bound)
    verdict.outcome = Finding::bound_reached;
}

}  // namespace

Verdict search(const Promela& promela, const SearchOptions& options) {
  const Clock::time_point deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                        std::chrono::duration<double>(options.max_wall_seconds));
  WorkFolder work;
  const fs::path folder = options.keep.empty() ? work.path : fs::path(options.keep);
  std::ofstream(folder / "model.pml") << promela.text;
  Verdict verdict;
  auto out_of_time = [&] {
    verdict.outcome = Finding::incomplete;
    verdict.incomplete = fmt::format("the search ran out of time ({} s): raise --max-wall", options.max_wall_seconds);
    return verdict;
  };
  if (run_checked({"spin", "-a", "model.pml"}, folder, deadline, options.interrupted, "spin -a").status == -1)
    return out_of_time();
  const std::uint64_t megabytes = std::max<std::uint64_t>(16, options.memory_bytes >> 20);
  if (run_checked({"cc", "-O2", "-w", "-DSAFETY", "-DVECTORSZ=16384", fmt::format("-DMEMLIM={}", megabytes), "-o",
                   "pan", "pan.c"},
                  folder, deadline, options.interrupted, "compiling the verifier (cc)")
          .status == -1)
    return out_of_time();
  // The hash table takes about a 32nd of the memory (2^w slots), the states the rest.
  const int hash_bits = std::clamp(static_cast<int>(std::log2(static_cast<double>(options.memory_bytes) / 32)), 10, 28);
  const Finished searched = run({"./pan", fmt::format("-m{}", options.depth), fmt::format("-w{}", hash_bits), "-n"},
                                folder, deadline, options.interrupted);
  const std::string& report = searched.output;
  verdict.states = number_before(report, "states, stored");
  std::smatch found;
  if (std::regex_search(report, found, std::regex("depth reached ([0-9]+)")))
    verdict.depth_reached = std::stoull(found[1].str());
  if (searched.status == -1) return out_of_time();
  if (report.find("errors: 0") != std::string::npos) {
    read_clean_report(report, options, megabytes, verdict);
    return verdict;
  }
  read_error(promela, report,
             run_checked({"spin", "-t", "-p", "model.pml"}, folder, deadline, options.interrupted, "spin -t").output,
             verdict);
  return verdict;
}

}  // namespace ipcsim::verify
