// ipcsim verify: the textbook scenarios' verdicts and counterexamples, agreement with the
// simulation over 200 seeds, the bound on unbounded channels, what is refused, what cannot be
// found, and hostile names (they never reach the Promela program).
#include <fmt/format.h>

#include <map>

#include "base/sanitizers.hpp"
#include "cli_helpers.hpp"
#include "helpers.hpp"
#include "report/output_files.hpp"

using namespace ipcsim;
using namespace ipcsim::test;

namespace {

std::string scenario_path(const std::string& name) { return source_dir + "/scenarios/verify/" + name + ".yaml"; }

Result verify(const std::string& arguments) { return run_ipcsim("verify " + arguments); }

}  // namespace

TEST_CASE("verify: sending first over rendezvous deadlocks, and the counterexample says who waits on what") {
  Result r = verify(scenario_path("send-first-rendezvous"));
  INFO(r.output);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.output, Catch::StartsWith("send-first-rendezvous: deadlock ("));
  // Nothing completes: both sit in their first step, line 8 and line 9 of the scenario.
  CHECK_THAT(r.output, Catch::Contains("  (from the start: no step completes)\n  then nothing can move:\n"));
  CHECK_THAT(r.output, Catch::Contains("left waits to send on pair:left->right (no receiver)  "
                                       "(" +
                                       scenario_path("send-first-rendezvous") + ":8)"));
  CHECK_THAT(r.output, Catch::Contains("right waits to send on pair:right->left (no receiver)  "
                                       "(" +
                                       scenario_path("send-first-rendezvous") + ":9)"));
  // The simulation deadlocks too, whatever the timing.
  TempDir dir;
  Result run = run_ipcsim("run -q " + scenario_path("send-first-rendezvous") + " -o " + (dir.path / "s.csv").string());
  CHECK(run.exit_code == 3);
}

TEST_CASE("verify: the dining philosophers deadlock in a cycle of waits, and taking forks in order fixes it") {
  Result r = verify(scenario_path("dining-philosophers"));
  INFO(r.output);
  CHECK(r.exit_code == 3);
  // The end of the counterexample: each holds one fork and waits for the next one's.
  const std::string file = scenario_path("dining-philosophers");
  for (const auto& [philosopher, fork, line] :
       {std::tuple{"phil0", "fork1", 19}, std::tuple{"phil1", "fork2", 30}, std::tuple{"phil2", "fork0", 41}})
    CHECK_THAT(r.output, Catch::Contains(fmt::format("{} waits to receive from {} (empty)  ({}:{})", philosopher, fork,
                                                     file, line)));
  // Every step it lists is one of the scenario's, with its line.
  CHECK_THAT(r.output, Catch::Contains(fmt::format("phil0 sends to fork0  ({}:15)", file)));
  Result ordered = verify(scenario_path("dining-philosophers-ordered"));
  INFO(ordered.output);
  CHECK(ordered.exit_code == 0);
  CHECK_THAT(ordered.output, Catch::StartsWith("dining-philosophers-ordered: no deadlock in any interleaving ("));
}

TEST_CASE("verify: what it proves free of deadlock never deadlocks in 200 seeds of simulation") {
  TempDir dir;
  for (const char* name :
       {"send-first-buffered", "dining-philosophers-ordered", "client-server", "nonblocking-poller", "timed-receive"}) {
    INFO(name);
    Result proved = verify(scenario_path(name));
    INFO(proved.output);
    CHECK(proved.exit_code == 0);
    CHECK_THAT(proved.output, Catch::Contains(": no deadlock in any interleaving ("));
    // Their sleeps and computes are random: each seed is another timing. Under a sanitizer
    // (runs 25x slower) 50 of them.
    const std::size_t seeds = ipcsim::sanitized_build ? 50 : 200;
    const std::string summary = (dir.path / (std::string(name) + ".csv")).string();
    REQUIRE(
        run_ipcsim(fmt::format("run -q --replications {} {} -o {}", seeds, scenario_path(name), summary)).exit_code ==
        0);
    const report::Table each = report::read_table(report::beside_summary(summary, "replications"));
    REQUIRE(each.rows.size() == seeds);
    for (std::size_t row = 0; row < each.rows.size(); ++row) CHECK(cell(each, row, "stop_reason") == "completed");
  }
}

TEST_CASE("verify: an unbounded channel gets --bound messages, and filling them is said, never taken for a deadlock") {
  TempDir dir;
  const std::string scenario = dir.write("burst.yaml", R"(
name: burst
channels:
  log: {addressing: mailbox, owner: os}
processes:
  writer: {program: [{repeat: 5, do: [{send: {to: log, size: 1B}}]}]}
  reader: {program: [{repeat: 5, do: [{recv: {from: log}}]}]}
)");
  Result filled = verify(scenario);
  INFO(filled.output);
  CHECK(filled.exit_code == 4);
  CHECK_THAT(filled.output,
             Catch::Contains("burst: search incomplete: log is unbounded, and an interleaving fills the 3 "
                             "messages verify gives it (" +
                             scenario + ":6): raise --bound"));
  Result roomy = verify(scenario + " --bound 5");
  INFO(roomy.output);
  CHECK(roomy.exit_code == 0);
}

TEST_CASE("verify: a search that cannot finish says what ran out and which option to raise") {
  const std::string dining = scenario_path("dining-philosophers-ordered");
  Result shallow = verify(dining + " --depth 10");
  INFO(shallow.output);
  CHECK(shallow.exit_code == 4);
  CHECK_THAT(shallow.output, Catch::Contains("interleavings longer than 10 steps were not searched: raise --depth"));
  // owned-mailbox has 3.4 million states: 64 MiB holds far fewer; 16 MiB not even the stack.
  Result cramped = verify(source_dir + "/scenarios/owned-mailbox.yaml --memory 64MiB --depth 100000");
  INFO(cramped.output);
  CHECK(cramped.exit_code == 4);
  CHECK_THAT(cramped.output, Catch::Contains("the search ran out of memory (64 MiB): raise --memory"));
  Result no_room = verify(source_dir + "/scenarios/owned-mailbox.yaml --memory 16MiB");
  CHECK(no_room.exit_code == 4);
  CHECK_THAT(no_room.output, Catch::Contains("before it began (its stack for --depth 1000000 takes most of it)"));
  Result hurried = verify(dining + " --max-wall 0.001");
  INFO(hurried.output);
  CHECK(hurried.exit_code == 4);
  CHECK_THAT(hurried.output, Catch::Contains("ran out of time (0.001 s): raise --max-wall"));
}

TEST_CASE("verify: what it cannot check is refused with one line and exit 2") {
  TempDir dir;
  struct Case {
    std::string name, arguments, says;
  };
  const std::vector<Case> cases{
      {"link faults", source_dir + "/scenarios/fault-link-flap.yaml",
       "cannot verify: link faults lose messages on their way, which verify does not follow"},
      {"a sweep", source_dir + "/scenarios/capacity-sweep.yaml", "verify checks one scenario, and the sweep has 12"},
      {"a long repeat", source_dir + "/scenarios/local-ping-pong.yaml",
       "local-ping-pong.yaml:14:1: error: cannot verify: repeat 5000: verify explores every iteration, at most 1000"},
      {"a bad --memory", scenario_path("timed-receive") + " --memory lots", "--memory lots: expected a size"},
      {"an existing --keep folder", scenario_path("timed-receive") + " --keep " + dir.path.string(),
       "expected a folder that does not exist yet"},
      {"a missing scenario", (dir.path / "none.yaml").string(), "none.yaml"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Result r = verify(c.arguments);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains(c.says));
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
  }
  Result no_spin = run_shell("PATH=/nonexistent " + ipcsim_binary + " verify " + scenario_path("timed-receive"));
  CHECK(no_spin.exit_code == 1);
  CHECK_THAT(no_spin.output, Catch::Contains("verify needs spin on PATH: install it (apt-get install spin)"));
}

TEST_CASE("verify: hostile names never reach the Promela program, which --keep leaves with its trail") {
  TempDir dir;
  const std::string evil = R"(x\"); c_code { system(\"touch pwned\") }; /*)";
  const std::string scenario = dir.write("evil.yaml", fmt::format(R"(
name: evil
channels:
  "{0}box": {{addressing: direct-symmetric, between: ["{0}a", "{0}b"], capacity: 0}}
processes:
  "{0}a": {{program: [{{send: {{to: "{0}b", size: 1B}}}}, {{recv: {{from: "{0}b"}}}}]}}
  "{0}b": {{program: [{{send: {{to: "{0}a", size: 1B}}}}, {{recv: {{from: "{0}a"}}}}]}}
)",
                                                                  evil));
  const fs::path kept = dir.path / "kept";
  Result r = run_shell("cd " + dir.path.string() + " && " + ipcsim_binary + " verify " + scenario + " --keep " +
                       kept.string());
  INFO(r.output);
  CHECK(r.exit_code == 3);
  CHECK(!fs::exists(dir.path / "pwned"));
  CHECK(!fs::exists(kept / "pwned"));
  const std::string program = read(kept / "model.pml");
  CHECK(program.find("system") == std::string::npos);
  CHECK(program.find("c_code") == std::string::npos);
  CHECK(fs::exists(kept / "model.pml.trail"));
}

TEST_CASE("verify --events: the deadlock's interleaving as an events file that ipcsim timeline draws") {
  TempDir dir;
  const std::string events = (dir.path / "deadlock.csv").string();
  Result r = verify(scenario_path("dining-philosophers") + " --events " + events);
  INFO(r.output);
  REQUIRE(r.exit_code == 3);
  const report::Table table = report::read_table(events);
  // Each philosopher lays its fork (a send into the fork's mailbox) and the forks move as the
  // counterexample says: every message taken was sent before; at the end the three block,
  // each in a receive from the fork its neighbour holds.
  std::map<std::string, double> sent;
  std::vector<std::string> blocked;
  for (const auto& row : table.rows) {
    const double time = std::stod(row[0]);
    if (row[2] == "send_call") sent[row[4]] = time;
    if (row[2] == "receive_return" && row[5] == "message") {
      REQUIRE(sent.count(row[4]));
      CHECK(sent[row[4]] <= time);
    }
    if (row[2] == "blocked") blocked.push_back(row[1] + " " + row[3] + " " + row[5]);
  }
  std::sort(blocked.begin(), blocked.end());
  CHECK(blocked == std::vector<std::string>{"phil0 fork1 message", "phil1 fork2 message", "phil2 fork0 message"});
  Result drawn = run_ipcsim("timeline " + events + " -o " + (dir.path / "deadlock.svg").string());
  CHECK(drawn.exit_code == 0);
  // A search without a deadlock has no interleaving to write.
  const std::string none = (dir.path / "none.csv").string();
  Result free = verify(scenario_path("dining-philosophers-ordered") + " --events " + none);
  CHECK(free.exit_code == 0);
  CHECK_THAT(free.output, Catch::Contains("no counterexample: " + none + " not written"));
  CHECK(!fs::exists(none));
}

TEST_CASE("verify: a killed process may die at any of its steps, and a host that comes back up restarts its own") {
  // killed-worker: the kill before the last job is taken leaves the dispatcher sending for ever;
  // the simulation, with the kill at 1.5 ms, deadlocks the same way.
  Result killed = verify(scenario_path("killed-worker"));
  INFO(killed.output);
  CHECK(killed.exit_code == 3);
  CHECK_THAT(killed.output, Catch::Contains("worker is killed"));
  CHECK_THAT(killed.output, Catch::Contains("dispatcher waits to send on jobs (no receiver)  (" +
                                            scenario_path("killed-worker") + ":12)"));
  TempDir dir;
  CHECK(run_ipcsim("run -q " + scenario_path("killed-worker") + " -o " + (dir.path / "k.csv").string()).exit_code == 3);
  // A server whose host goes down and comes back up: it dies, starts afresh, and a client that
  // gave up on an answer leaves the next one with no room on the channel back.
  const std::string crash = dir.write("crash.yaml", R"(
name: crash
channels:
  requests: {addressing: mailbox, owner: server, capacity: 2}
  answers: {addressing: direct-asymmetric, receiver: client, capacity: 1}
faults:
  - {at: 1s, host_down: beta}
  - {at: 1.5s, host_up: beta}
processes:
  client:
    host: alpha
    program: [{repeat: 2, do: [{send: {to: requests, size: 64B}}, {recv: {from: answers, mode: timeout, timeout: 100ms}}]}]
  server: {host: beta, program: [{repeat: 2, do: [{recv: {from: requests}}, {reply: {size: 64B}}]}]}
)");
  const std::string events = (dir.path / "crash.events.csv").string();
  Result restarted = verify(crash + " --events " + events);
  INFO(restarted.output);
  CHECK(restarted.exit_code == 3);
  for (const char* said : {"(fault) host beta goes down", "(fault) host beta comes up", "server is killed",
                           "server starts again", "server waits to send on answers (full)"})
    CHECK_THAT(restarted.output, Catch::Contains(said));
  std::vector<std::string> kinds;
  for (const auto& row : report::read_table(events).rows)
    if (row[2] == "host_down" || row[2] == "host_up" || row[2] == "killed" || row[2] == "restarted" ||
        row[2] == "mailbox_created" || row[2] == "mailbox_destroyed")
      kinds.push_back(row[2] + " " + row[1] + " " + row[3] + " " + row[5]);
  CHECK(kinds == std::vector<std::string>{"host_down   beta", "host_up   beta", "killed server  host_down",
                                          "mailbox_destroyed  requests owner_ended", "restarted server  ",
                                          "mailbox_created server requests "});
}
