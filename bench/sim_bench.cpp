// The simulator against raw SimGrid: runs every pattern of bench/scenarios/ through ipcsim and
// through raw_s4u (both variants), interleaved, and prints wall time, simulated messages per
// wall second and peak memory for each, with ipcsim's time as a ratio to the faster raw one.
//   sim_bench [--reps N] [--scale X] [--only PATTERN] [--scaling]
// --scale multiplies messages and processes; --scaling runs ipcsim alone at 1x, 10x, 100x of
// a base of --scale (default 0.01) to show how time and memory grow.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Measure {
  double seconds = 0;
  long peak_rss_kib = 0;
};

// Runs a command (no shell) and measures its wall time and the peak resident memory of it
// and every process it waited for (ipcsim simulates in a forked child).
Measure run(const std::vector<std::string>& command) {
  std::vector<char*> argv;
  for (const std::string& word : command) argv.push_back(const_cast<char*>(word.c_str()));
  argv.push_back(nullptr);
  std::fflush(stdout);  // or the child would write our buffered lines again
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    ::execv(argv[0], argv.data());
    std::perror(argv[0]);
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};
  ::wait4(pid, &status, 0, &usage);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string line;
    for (const std::string& word : command) line += word + " ";
    std::fprintf(stderr, "sim_bench: failed (status %d): %s\n", status, line.c_str());
    std::exit(1);
  }
  return {seconds, usage.ru_maxrss};
}

struct Pattern {
  std::string name;
  std::string what;
  long messages;
  std::vector<std::string> ipcsim;  // arguments after `ipcsim run`
  std::vector<std::string> raw;     // arguments after `raw_s4u VARIANT`
};

std::vector<Pattern> patterns(const std::string& source, double scale) {
  auto count = [&](double base) { return std::max(1L, std::lround(base * scale)); };
  auto scenario = [&](const std::string& name) { return source + "/bench/scenarios/" + name + ".yaml"; };
  auto set = [](const std::string& path, long value) { return "--set=" + path + "=" + std::to_string(value); };
  std::vector<Pattern> list;
  for (std::string where : {"local", "link"}) {
    const long trips = count(1e6);
    list.push_back({"pingpong-" + where,
                    "ping-pong, 64 B, " + std::string(where == "local" ? "same host" : "across one link"),
                    2 * trips,
                    {scenario("pingpong-" + where), set("processes.ping.program.0.repeat", trips),
                     set("processes.pong.program.0.repeat", trips)},
                    {"pingpong-" + where, std::to_string(trips)}});
  }
  const long messages = count(1e6);
  list.push_back({"bounded",
                  "producer/consumer, capacity 16",
                  messages,
                  {scenario("bounded"), set("processes.producer.program.0.repeat", messages),
                   set("processes.consumer.program.0.repeat", messages)},
                  {"bounded", std::to_string(messages), "16"}});
  const long senders = count(1000), fan_in_messages = senders * 1000;
  list.push_back({"fanin",
                  std::to_string(senders) + " senders, one mailbox",
                  fan_in_messages,
                  {scenario("fanin"), set("processes.sender.count", senders),
                   set("processes.receiver.program.0.repeat", fan_in_messages)},
                  {"fanin", std::to_string(senders), std::to_string(fan_in_messages)}});
  const long pairs = count(5000), trips_per_pair = 100;
  list.push_back({"pairs",
                  std::to_string(2 * pairs) + " processes in pairs",
                  2 * pairs * trips_per_pair,
                  {scenario("pairs"), set("processes.ping.count", pairs), set("processes.pong.count", pairs)},
                  {"pairs", std::to_string(2 * pairs), std::to_string(2 * pairs * trips_per_pair)}});
  return list;
}

struct Stats {
  double median = 0, low = 0, high = 0;
  long rss_kib = 0;
};

Stats stats_of(std::vector<Measure> runs) {
  std::sort(runs.begin(), runs.end(), [](const Measure& a, const Measure& b) { return a.seconds < b.seconds; });
  Stats s{runs[runs.size() / 2].seconds, runs.front().seconds, runs.back().seconds, 0};
  for (const Measure& m : runs) s.rss_kib = std::max(s.rss_kib, m.peak_rss_kib);
  return s;
}

std::string rate(double messages, double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g M/s", messages / seconds / 1e6);
  return text;
}

std::string timing(const Stats& s) {
  char text[64];
  std::snprintf(text, sizeof text, "%.2f s [%.2f-%.2f]", s.median, s.low, s.high);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 5;
  double scale = -1;
  bool scaling = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--reps" && i + 1 < argc)
      reps = std::atoi(argv[++i]);
    else if (arg == "--scale" && i + 1 < argc)
      scale = std::atof(argv[++i]);
    else if (arg == "--only" && i + 1 < argc)
      only = argv[++i];
    else if (arg == "--scaling")
      scaling = true;
    else {
      std::fprintf(stderr, "usage: sim_bench [--reps N] [--scale X] [--only PATTERN] [--scaling]\n");
      return 2;
    }
  }
  const std::string bin = IPCSIM_BINARY_DIR, source = IPCSIM_SOURCE_DIR;
  auto ipcsim_command = [&](const Pattern& p) {
    std::vector<std::string> command = {bin + "/ipcsim", "run", "-q", "-o", "/dev/null"};
    command.insert(command.end(), p.ipcsim.begin(), p.ipcsim.end());
    return command;
  };
  auto raw_command = [&](const Pattern& p, const std::string& variant) {
    std::vector<std::string> command = {bin + "/bench/raw_s4u", variant};
    command.insert(command.end(), p.raw.begin(), p.raw.end());
    return command;
  };

  if (scaling) {
    const double base = scale > 0 ? scale : 0.01;
    std::printf(
        "| pattern | scale | messages | ipcsim wall | messages/s | peak RSS | wall / messages vs 1x |\n"
        "|---|---|---|---|---|---|---|\n");
    for (std::string name : {"pingpong-local", "pingpong-link", "bounded", "fanin", "pairs"}) {
      if (!only.empty() && only != name) continue;
      double first_cost = 0;
      for (double factor : {1.0, 10.0, 100.0}) {
        for (const Pattern& p : patterns(source, base * factor)) {
          if (p.name != name) continue;
          std::vector<Measure> runs;
          for (int r = 0; r < reps; ++r) runs.push_back(run(ipcsim_command(p)));
          Stats s = stats_of(runs);
          const double cost = s.median / static_cast<double>(p.messages);
          if (factor == 1.0) first_cost = cost;
          std::printf("| %s (%s) | %gx | %ld | %s | %s | %.1f MiB | %.2f |\n", p.name.c_str(), p.what.c_str(), factor,
                      p.messages, timing(s).c_str(), rate(static_cast<double>(p.messages), s.median).c_str(),
                      static_cast<double>(s.rss_kib) / 1024, cost / first_cost);
          std::fflush(stdout);
        }
      }
    }
    return 0;
  }

  std::printf(
      "| pattern | messages | ipcsim | raw S4U, mailbox | raw S4U, semaphore | ipcsim / best raw |\n"
      "|---|---|---|---|---|---|\n");
  for (const Pattern& p : patterns(source, scale > 0 ? scale : 1.0)) {
    if (!only.empty() && only != p.name) continue;
    std::vector<Measure> ours, mailbox, semaphore;
    for (int r = 0; r < reps; ++r) {  // interleaved, so drifts in machine load hit all three alike
      ours.push_back(run(ipcsim_command(p)));
      mailbox.push_back(run(raw_command(p, "mailbox")));
      semaphore.push_back(run(raw_command(p, "semaphore")));
    }
    const Stats a = stats_of(ours), b = stats_of(mailbox), c = stats_of(semaphore);
    const double m = static_cast<double>(p.messages);
    auto cell = [&](const Stats& s) {
      char text[128];
      std::snprintf(text, sizeof text, "%s, %s, %.0f MiB", timing(s).c_str(), rate(m, s.median).c_str(),
                    static_cast<double>(s.rss_kib) / 1024);
      return std::string(text);
    };
    std::printf("| %s (%s) | %ld | %s | %s | %s | %.2fx |\n", p.name.c_str(), p.what.c_str(), p.messages,
                cell(a).c_str(), cell(b).c_str(), cell(c).c_str(), a.median / std::min(b.median, c.median));
    std::fflush(stdout);
  }
  return 0;
}
