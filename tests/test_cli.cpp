// End to end through the ipcsim binary: exit codes, messages, files written or not.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <sstream>

#include "bad_scenarios.hpp"
#include "cli_helpers.hpp"
#include "report/table.hpp"
#include "report/version.hpp"

using namespace ipcsim::test;
namespace report = ipcsim::report;

TEST_CASE("ipcsim run on a shipped scenario writes the summary CSV with its header and one row") {
  TempDir dir;
  fs::path out = dir.path / "out.csv", trace = dir.path / "trace.csv";
  Result r = run_ipcsim("run " + source_dir + "/scenarios/bounded-buffer.yaml -o " + out.string() + " --trace " +
                        trace.string());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("messages:"));
  std::string csv = read(out);
  CHECK_THAT(csv, Catch::StartsWith("scenario,point,sweep_points,seed,model,stop_reason,messages_sent"));
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 2);
  CHECK_THAT(csv, Catch::Contains("\nbounded-buffer,1,1,42,lan,messages,"));
  CHECK_THAT(read(trace), Catch::StartsWith("id,sender,receiver,channel,size_bytes"));
}

TEST_CASE("ipcsim run writes the channels CSV beside the summary, and says how to make each row again") {
  TempDir dir;
  const std::string scenario = source_dir + "/scenarios/request-reply.yaml";
  Result r = run_ipcsim("run " + scenario + " -o " + (dir.path / "rr.csv").string() +
                        " --set \"description=it's a 'test'\" --set seed=3");
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("sends blocked"));  // the channel table: two channels
  const report::Table summary = report::parse_table(read(dir.path / "rr.csv"), "rr.csv");
  const report::Table channels = report::parse_table(read(dir.path / "rr.channels.csv"), "rr.channels.csv");
  REQUIRE(channels.rows.size() == 2);
  const std::size_t channel = channels.require_column("channel", "test");
  CHECK(channels.rows[0][channel] == "service");
  CHECK(channels.rows[1][channel] == "answers");
  // The channels' messages are the run's: request-reply has no reply without a channel back.
  const std::size_t sent = channels.require_column("messages_sent", "test");
  CHECK(std::stoull(channels.rows[0][sent]) + std::stoull(channels.rows[1][sent]) ==
        std::stoull(summary.rows[0][summary.require_column("messages_sent", "test")]));
  // Provenance, in both files: the command's scenario path, its overrides quoted for a shell.
  for (const report::Table* table : {&summary, &channels}) {
    const std::vector<std::string>& row = table->rows[0];
    CHECK(row[table->require_column("scenario_file", "test")] == scenario);
    CHECK(row[table->require_column("overrides", "test")] ==
          R"(--set 'description=it'\''s a '\''test'\''' --set 'seed=3')");
    CHECK(row[table->require_column("ipcsim_version", "test")] == ipcsim::report::ipcsim_version());
    CHECK(row[table->require_column("seed", "test")] == "3");
  }
  // Standard output and devices get no channels CSV beside them, unless --channels names one.
  REQUIRE(run_ipcsim("run -q " + scenario + " -o /dev/null").exit_code == 0);
  CHECK(!fs::exists("/dev/null.channels.csv"));
  Result chosen = run_ipcsim("run -q " + scenario + " -o - --channels " + (dir.path / "ch.csv").string());
  REQUIRE(chosen.exit_code == 0);
  CHECK(report::parse_table(read(dir.path / "ch.csv"), "ch.csv").rows.size() == 2);
}

TEST_CASE("ipcsim run on a fault scenario prints and writes the fault reasons, the same twice") {
  TempDir dir;
  std::string scenario = source_dir + "/scenarios/fault-server-crash.yaml";
  Result r = run_ipcsim("run " + scenario + " -o " + (dir.path / "a.csv").string());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("host_down"));
  CHECK_THAT(r.output, Catch::Contains("mailbox_destroyed"));
  std::string csv = read(dir.path / "a.csv");
  CHECK_THAT(csv, Catch::Contains(",lost_owner_ended,lost_killed,lost_host_down,lost_link_down,"));
  REQUIRE(run_ipcsim("run -q " + scenario + " -o " + (dir.path / "b.csv").string()).exit_code == 0);
  CHECK(without_wall_clock(csv) == without_wall_clock(read(dir.path / "b.csv")));
  Result valid = run_ipcsim("validate " + scenario);
  CHECK(valid.exit_code == 0);
  CHECK_THAT(valid.output, Catch::Contains("5 processes, 5 channel instances, 2 hosts, 2 fault events"));
}

TEST_CASE("ipcsim run twice with the same seed writes the same CSV apart from wall-clock columns") {
  TempDir dir;
  std::string scenario = source_dir + "/scenarios/bounded-buffer.yaml";
  REQUIRE(run_ipcsim("run -q " + scenario + " -o " + (dir.path / "a.csv").string()).exit_code == 0);
  REQUIRE(run_ipcsim("run -q " + scenario + " -o " + (dir.path / "b.csv").string()).exit_code == 0);
  CHECK(without_wall_clock(read(dir.path / "a.csv")) == without_wall_clock(read(dir.path / "b.csv")));
}

TEST_CASE("every malformed scenario exits 2 with file:line and writes no result file") {
  TempDir dir;
  fs::path out = dir.path / "out.csv";
  for (const auto& bad : ipcsim::test::bad_scenarios()) {
    INFO(bad.name);
    std::string file = dir.write("bad.yaml", bad.text);
    Result r = run_ipcsim("run " + file + " -o " + out.string());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::StartsWith(file + ":" + std::to_string(bad.line) + ":"));
    CHECK_THAT(r.output, Catch::Contains(bad.says));
    CHECK(!fs::exists(out));
    CHECK(run_ipcsim("validate " + file).exit_code == 2);
  }
}

TEST_CASE("bad input leaves an earlier result file untouched") {
  TempDir dir;
  std::string out = dir.write("out.csv", "earlier result\n");
  std::string file = dir.write("bad.yaml", "processes: {p: {program: [{sleep: 10}]}}\n");
  CHECK(run_ipcsim("run " + file + " -o " + out).exit_code == 2);
  CHECK(read(out) == "earlier result\n");
  CHECK(fs::directory_iterator(dir.path) != fs::directory_iterator());
  int files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path)) ++files;
  CHECK(files == 2);  // no temporary file left behind
}

TEST_CASE("a missing scenario file and bad flags exit 2 with a one-line error") {
  Result missing = run_ipcsim("run /nonexistent/scenario.yaml");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.output, Catch::Contains("/nonexistent/scenario.yaml"));
  Result flag = run_ipcsim("run --frobnicate x.yaml");
  CHECK(flag.exit_code == 2);
  Result seed = run_ipcsim("run --seed minus-one " + source_dir + "/scenarios/bounded-buffer.yaml");
  CHECK(seed.exit_code == 2);
  CHECK(run_ipcsim("").exit_code == 2);
}

TEST_CASE("a deadlocked scenario exits 3 and its CSV row names who waits on what") {
  TempDir dir;
  std::string file = dir.write("dead.yaml", R"(
channels:
  link: {addressing: direct-symmetric, between: [a, b], capacity: 0}
processes:
  a: {program: [{recv: {from: b}}]}
  b: {program: [{recv: {from: a}}]}
)");
  fs::path out = dir.path / "dead.csv";
  Result r = run_ipcsim("run " + file + " -o " + out.string());
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.output, Catch::Contains("deadlock at t=0s"));
  CHECK_THAT(read(out), Catch::Contains(",deadlock,"));
  CHECK_THAT(read(out), Catch::Contains("a waits to receive from link:b->a"));
}

TEST_CASE("a sweep gives one row per point, parameters as columns, first path slowest") {
  TempDir dir;
  std::string file = dir.write("sweep.yaml", small_sweep);
  fs::path out = dir.path / "sweep.csv";
  Result r = run_ipcsim("run -q " + file + " -o " + out.string());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  std::stringstream csv(read(out));
  std::vector<std::string> lines;
  for (std::string line; std::getline(csv, line);) lines.push_back(line);
  REQUIRE(lines.size() == 7);  // header + 3 x 2 points
  CHECK_THAT(
      lines[0],
      Catch::StartsWith(
          "scenario,point,sweep_points,channels.jobs.capacity,processes.producer.program.0.do.0.send.mode,seed"));
  const char* expected[] = {"0,blocking",    "0,nonblocking",      "4,blocking",
                            "4,nonblocking", "unbounded,blocking", "unbounded,nonblocking"};
  for (int i = 0; i < 6; ++i)
    CHECK_THAT(lines[i + 1], Catch::StartsWith(fmt::format("small-sweep,{},6,{},", i + 1, expected[i])));
}

TEST_CASE("a sweep's CSV is the same whatever the number of jobs") {
  TempDir dir;
  std::string file = dir.write("sweep.yaml", small_sweep);
  REQUIRE(run_ipcsim("run -q -j 1 " + file + " -o " + (dir.path / "one.csv").string()).exit_code == 0);
  REQUIRE(run_ipcsim("run -q -j 2 " + file + " -o " + (dir.path / "two.csv").string()).exit_code == 0);
  CHECK(without_wall_clock(read(dir.path / "one.csv")) == without_wall_clock(read(dir.path / "two.csv")));
}

TEST_CASE("set overrides a scenario value (--set), and a bad one exits 2 naming it") {
  TempDir dir;
  std::string file = dir.write("one.yaml", R"(
channels:
  jobs: {addressing: mailbox, capacity: 1}
processes:
  producer: {program: [{repeat: 3, do: [{send: {to: jobs, size: 1B, mode: nonblocking}}]}]}
  consumer: {program: [{sleep: 1ms}, {repeat: 3, do: [{recv: {from: jobs, mode: nonblocking}}]}]}
)");
  fs::path out = dir.path / "out.csv";
  REQUIRE(run_ipcsim("run -q " + file + " -o " + out.string()).exit_code == 0);
  CHECK_THAT(read(out), Catch::Contains(",3,1,2,0,"));  // sent, delivered, failed (would_block), lost
  REQUIRE(run_ipcsim("run -q " + file + " --set channels.jobs.capacity=4 -o " + out.string()).exit_code == 0);
  CHECK_THAT(read(out), Catch::Contains(",3,3,0,0,"));
  fs::remove(out);
  Result bad = run_ipcsim("run " + file + " --set channels.nope.capacity=4 -o " + out.string());
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Catch::Contains("--set channels.nope.capacity=4"));
  Result bad_value = run_ipcsim("run " + file + " --set channels.jobs.capacity=-3 -o " + out.string());
  CHECK(bad_value.exit_code == 2);
  CHECK_THAT(bad_value.output, Catch::Contains("capacity"));
  CHECK(!fs::exists(out));
}

TEST_CASE("a sweep of several points refuses --trace with exit 2") {
  TempDir dir;
  std::string file = dir.write("sweep.yaml", small_sweep);
  Result r =
      run_ipcsim("run " + file + " --trace " + (dir.path / "t.csv").string() + " -o " + (dir.path / "o.csv").string());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains("6 points"));
}

TEST_CASE("the command line behaves as terminal users expect: --version, a misspelt verb, options before the file") {
  Result version = run_ipcsim("--version");
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.output, Catch::Matches("ipcsim \\S+ \\(SimGrid 3\\.\\d+\\.\\d+\\)\n"));
  Result misspelt = run_ipcsim("runn scenario.yaml");
  CHECK(misspelt.exit_code == 2);
  CHECK(misspelt.output ==
        "ipcsim: error: unknown verb 'runn' (did you mean run?): expected one of run, validate, merge, compare, plot, "
        "timeline, report, verify, calibrate, schema\n");
  Result nothing = run_ipcsim("");
  CHECK(nothing.exit_code == 2);
  CHECK_THAT(nothing.output, Catch::Contains("expected a verb: run, validate"));
  Result hostile = run_ipcsim("\"$(printf '\\033[2J')\"");
  CHECK(hostile.exit_code == 2);
  CHECK_THAT(hostile.output, Catch::Contains("unknown verb '\\x1b[2J'"));

  // Options that take several values take one each time, and leave the scenario alone.
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string scenario = source_dir + "/scenarios/bounded-buffer.yaml";
  Result set_first =
      run_ipcsim("run -q --set stop.messages=50 --set channels.jobs.capacity=2 " + scenario + " -o " + d + "/s.csv");
  INFO(set_first.output);
  REQUIRE(set_first.exit_code == 0);
  CHECK_THAT(read(d + "/s.csv"), Catch::Contains("--set 'stop.messages=50' --set 'channels.jobs.capacity=2'"));
  Result validate = run_ipcsim("validate --set channels.jobs.capacity=2 " + scenario);
  CHECK(validate.exit_code == 0);
  CHECK_THAT(validate.output, Catch::Contains("bounded-buffer.yaml: ok"));
  Result bad_set = run_ipcsim("validate --set channels.jobs.capacity=-1 " + scenario);
  CHECK(bad_set.exit_code == 2);
  CHECK_THAT(bad_set.output, Catch::Contains("capacity: expected 0, a positive number or 'unbounded', found '-1'"));
  Result sweep = run_ipcsim("validate " + source_dir + "/scenarios/capacity-sweep.yaml");
  CHECK_THAT(sweep.output, Catch::Contains("capacity-sweep.yaml: ok (12 sweep points)"));
  const std::string reference = source_dir + "/results/reference/capacity-sweep.csv";
  Result metrics_first =
      run_ipcsim("compare --metrics throughput --match point " + reference + " " + reference + " -o " + d + "/c.txt");
  INFO(metrics_first.output);
  CHECK(metrics_first.exit_code == 0);
  CHECK_THAT(read(d + "/c.txt"), Catch::Contains("12 values compared"));
  Result y_first = run_ipcsim("plot --y throughput " + reference + " -o " + d + "/p.svg");
  CHECK(y_first.exit_code == 0);
}

TEST_CASE("ipcsim schema writes the committed schemas, to a file as to standard output, and refuses a bad path") {
  TempDir dir;
  const std::string file = (dir.path / "scenario.schema.json").string();
  Result written = run_ipcsim("schema -o " + file);
  REQUIRE(written.exit_code == 0);
  CHECK(read(file) == read(fs::path(source_dir) / "schema/scenario.schema.json"));
  CHECK(run_ipcsim("schema --model").output == read(fs::path(source_dir) / "schema/model.schema.json"));
  Result folder = run_ipcsim("schema -o " + dir.path.string());
  CHECK(folder.exit_code == 2);
  CHECK_THAT(folder.output, Catch::Contains("error: --output: is a directory"));
  CHECK(std::count(folder.output.begin(), folder.output.end(), '\n') == 1);
  Result missing = run_ipcsim("schema -o " + (dir.path / "no/such/folder.json").string());
  CHECK(missing.exit_code == 2);
  CHECK(fs::is_regular_file(file));
}

TEST_CASE("models by name from any folder: next to the scenario, along IPCSIM_MODEL_PATH, then installed") {
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string scenario = R"(
name: anywhere
model: lan
channels:
  box: {addressing: mailbox, host: beta}
processes:
  a: {host: alpha, program: [{send: {to: box, size: 1000B}}]}
  b: {host: beta, program: [{recv: {from: box}}]}
)";
  fs::create_directories(dir.path / "work");
  const std::string file = dir.write("work/anywhere.yaml", scenario);
  // Installed into a prefix: the binary finds share/ipcsim/models beside it.
  const std::string build = fs::path(ipcsim_binary).parent_path().string();
  Result install = run_shell("cmake --install " + build + " --prefix " + d + "/prefix");
  INFO(install.output);
  REQUIRE(install.exit_code == 0);
  const std::string installed = d + "/prefix/bin/ipcsim";
  REQUIRE(fs::exists(d + "/prefix/share/ipcsim/models/lan.yaml"));
  // The man page (made from --help by help2man) and the bash completion go with it.
  REQUIRE(fs::exists(d + "/prefix/share/bash-completion/completions/ipcsim"));
  // The schemas, where the installed scenarios' first lines say ($schema=../schema/...).
  CHECK(read(d + "/prefix/share/ipcsim/schema/scenario.schema.json") == run_ipcsim("schema").output);
  CHECK_THAT(read(d + "/prefix/share/ipcsim/scenarios/bounded-buffer.yaml"),
             Catch::StartsWith("# yaml-language-server: $schema=../schema/scenario.schema.json\n"));
  Result man = run_shell("MANWIDTH=100 man -l " + d + "/prefix/share/man/man1/ipcsim.1");
  REQUIRE(man.exit_code == 0);
  for (const char* part : {"SYNOPSIS", "ipcsim [OPTIONS] SUBCOMMAND", "VERBS", "Usage: ipcsim run [OPTIONS] scenario",
                           "Usage: ipcsim calibrate", "EXAMPLES", "EXIT STATUS", "IPCSIM_MODEL_PATH"})
    CHECK_THAT(man.output, Catch::Contains(part));
  Result run = run_shell("cd " + d + "/work && " + installed + " run -q anywhere.yaml -o out.csv");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(read(d + "/work/out.csv"), Catch::Contains(",lan,"));
  // An installed example scenario runs as it is, from anywhere.
  CHECK(run_shell("cd " + d + " && " + installed + " run -q " + d +
                  "/prefix/share/ipcsim/scenarios/bounded-buffer.yaml -o bb.csv")
            .exit_code == 0);
  // A model of one's own, named along IPCSIM_MODEL_PATH; and one next to the scenario first.
  fs::create_directories(dir.path / "mine");
  dir.write("mine/slow.yaml",
            "name: slow\nnetwork: {model: exact, topology: full-mesh, link: {latency: 1s, bandwidth: 1Gbps}}\n");
  dir.write("work/slow-run.yaml", std::string(scenario).replace(scenario.find("model: lan"), 10, "model: slow"));
  Result mine = run_shell("cd " + d + "/work && IPCSIM_MODEL_PATH=/nonexistent:" + d + "/mine " + installed +
                          " run -q slow-run.yaml -o slow.csv");
  INFO(mine.output);
  REQUIRE(mine.exit_code == 0);
  CHECK_THAT(read(d + "/work/slow.csv"), Catch::Contains(",slow,"));
  Result missing = run_shell("cd " + d + "/work && " + installed + " run -q slow-run.yaml -o slow2.csv");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.output, Catch::Contains("model: no model 'slow'"));
  dir.write("work/slow.yaml",
            "name: near\nnetwork: {model: exact, topology: full-mesh, link: {latency: 1ms, bandwidth: 1Gbps}}\n");
  Result near = run_shell("cd " + d + "/work && IPCSIM_MODEL_PATH=" + d + "/mine " + installed +
                          " run -q slow-run.yaml -o near.csv");
  REQUIRE(near.exit_code == 0);
  CHECK_THAT(read(d + "/work/near.csv"), Catch::Contains(",near,"));
}

namespace {

// Plays bash completing the words of a line (the last one being completed) in `dir`'s folder,
// with IPCSIM_MODEL_PATH=`model_path`: what the completion function offers, sorted as bash
// shows them, each followed by `separator`.
std::string completion_offers(const TempDir& dir, const std::string& model_path, const std::string& words,
                              char separator) {
  const std::string driver = dir.write("driver.sh", R"(source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
_ipcsim
((${#COMPREPLY[@]} == 0)) || printf '%s\0' "${COMPREPLY[@]}")");
  std::string out =
      run_shell("cd " + dir.path.string() + " && IPCSIM_MODEL_PATH=" + model_path + " bash " + driver + " " +
                source_dir + "/completion/ipcsim.bash " + ipcsim_binary + " " + words + " | LC_ALL=C sort -z")
          .output;
  std::replace(out.begin(), out.end(), '\0', separator);
  return out;
}

}  // namespace

TEST_CASE("bash completion offers verbs, a verb's options, its kind of files, and model names") {
  TempDir dir;
  dir.write("a.yaml", "");
  dir.write("b.csv", "");
  fs::create_directories(dir.path / "sub");
  auto offers = [&](const std::string& words) { return completion_offers(dir, source_dir + "/models", words, '\n'); };
  CHECK(offers("ru") == "run\n");
  CHECK(offers("c") == "calibrate\ncompare\n");
  CHECK(offers("run --rep") == "--replications\n");
  CHECK(offers("plot --") == "--help\n--output\n--x\n--y\n");
  CHECK(offers("run ''") == "a.yaml\nsub\n");
  CHECK(offers("compare ''") == "b.csv\nsub\n");
  CHECK(offers("run -o ''") == "a.yaml\nb.csv\ndriver.sh\nsub\n");
  CHECK(offers("run --set model=l") == "model=lan\nmodel=local\n");
}

TEST_CASE("bash completion offers file and model names as data: nothing in a name runs") {
  TempDir dir;
  // A shared folder's names as an attacker would choose them: command substitutions, a
  // variable, a glob and a newline, as models and as scenarios.
  fs::create_directories(dir.path / "models");
  for (const char* name : {"$(touch ran-dollar)", "`touch ran-backquote`", "${IPCSIM_PWN:=x}", "*", "two\nlines"}) {
    dir.write(std::string("models/") + name + ".yaml", "");
    dir.write(std::string(name) + ".yaml", "");
  }
  dir.write("models/lan.yaml", "");
  auto offers = [&](const std::string& words) { return completion_offers(dir, "", words, '|'); };  // NUL as |
  // Each name whole, once (lan is also among the checkout's models, beside the binary's folder).
  const std::string models = offers("run --set model=");
  CHECK_THAT(models, Catch::StartsWith("model=$(touch ran-dollar)|model=${IPCSIM_PWN:=x}|model=*|model=`touch "
                                       "ran-backquote`|model=ideal|model=lan|model=local|model=two\nlines|"));
  CHECK(models.find("model=lan|") == models.rfind("model=lan|"));
  CHECK(offers("run --set 'model=[l]'") == "");  // the typed text is a prefix, not a pattern
  CHECK(offers("run --set 'model=*'") == "model=*|");
  CHECK(offers("validate ''") ==
        "$(touch ran-dollar).yaml|${IPCSIM_PWN:=x}.yaml|*.yaml|`touch ran-backquote`.yaml|models|two\nlines.yaml|");
  CHECK(offers("run '$('") == "$(touch ran-dollar).yaml|");
  CHECK(offers("run -o '`'") == "`touch ran-backquote`.yaml|");
  CHECK(offers("run --x'$(touch ran-option)' ''") ==
        "$(touch ran-dollar).yaml|${IPCSIM_PWN:=x}.yaml|*.yaml|`touch ran-backquote`.yaml|models|two\nlines.yaml|");
  for (const char* witness : {"ran-dollar", "ran-backquote", "ran-option"}) {
    INFO(witness);
    CHECK(!fs::exists(dir.path / witness));
    CHECK(!fs::exists(dir.path / "models" / witness));
  }
}
