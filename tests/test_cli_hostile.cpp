// Hostile input through the binary: nothing a scenario, a CSV or a path says runs a command,
// replaces a special file, overwrites an input, or costs more than a bounded amount.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "cli_helpers.hpp"

using namespace ipcsim::test;

namespace {

const std::string tiny_scenario = "name: tiny\nprocesses: {p: {program: [{sleep: 1ms}]}}\n";

std::size_t files_in(const fs::path& dir) {
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++files;
  return files;
}

}  // namespace

TEST_CASE("text in a CSV or its file name never runs as a gnuplot command") {
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string marker = d + "/MARKER";
  // Each reaches the script: the scenario cell (title), a swept value (tic label and series
  // title), a parameter name (axis label), the CSV's own name (title).
  const std::vector<std::string> payloads{"`touch " + marker + "`", "system(\"touch " + marker + "\")",
                                          "$(touch " + marker + ")", "x\n!touch " + marker, "x'\n!touch " + marker,
                                          "\\`touch " + marker + "\\`"};
  for (const std::string& payload : payloads) {
    INFO(payload);
    auto quoted = [](const std::string& text) {
      std::string out = "\"";
      for (char ch : text) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      return out + "\"";
    };
    const std::string csv =
        "scenario,point,sweep_points,channels.x" + quoted(payload).substr(1, 0) + ",seed,throughput_msgs_per_s,latency_p99_s\n" +
        quoted(payload) + ",1,2,1,1,10,0.1\n" + quoted(payload) + ",2,2," + quoted(payload) + ",1,20,0.2\n";
    const std::string name = "s`touch MARKER`.csv";  // run from the scratch folder, so MARKER lands there
    std::ofstream(dir.path / name) << csv;
    Result r = run_shell("cd " + d + " && " + ipcsim_binary + " plot '" + name + "' -o p.svg");
    CHECK(r.exit_code == 0);
    CHECK(!fs::exists(marker));
    CHECK_THAT(read(d + "/p.svg"), Catch::StartsWith("<?xml"));
  }
}

TEST_CASE("a device, a FIFO or a link to one as an output is written through, never replaced") {
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string scenario = dir.write("tiny.yaml", tiny_scenario);
  REQUIRE(::symlink("/dev/null", (d + "/null.csv").c_str()) == 0);
  CHECK(run_ipcsim("run -q " + scenario + " -o " + d + "/null.csv --trace /dev/null").exit_code == 0);
  struct stat info {};
  REQUIRE(::stat("/dev/null", &info) == 0);
  CHECK(S_ISCHR(info.st_mode));  // as root, a rename would have made it a regular file
  CHECK(fs::is_symlink(d + "/null.csv"));

  REQUIRE(::mkfifo((d + "/fifo").c_str(), 0600) == 0);
  Result through = run_shell("cat " + d + "/fifo > " + d + "/got & " + ipcsim_binary + " run -q " + scenario + " -o " + d +
                             "/fifo; wait");
  CHECK(through.exit_code == 0);
  CHECK(fs::is_fifo(d + "/fifo"));
  CHECK_THAT(read(d + "/got"), Catch::StartsWith("scenario,point,"));
  // Nobody reading: an error, not a hang.
  Result unread = run_ipcsim("run -q " + scenario + " -o " + d + "/fifo");
  CHECK(unread.exit_code == 1);
  CHECK_THAT(unread.output, Catch::Contains("fifo: cannot write: No such device or address"));

  // A link to a regular file: the file is replaced, the link stays.
  dir.write("real.csv", "earlier\n");
  REQUIRE(::symlink((d + "/real.csv").c_str(), (d + "/link.csv").c_str()) == 0);
  CHECK(run_ipcsim("run -q " + scenario + " -o " + d + "/link.csv").exit_code == 0);
  CHECK(fs::is_symlink(d + "/link.csv"));
  CHECK_THAT(read(d + "/real.csv"), Catch::StartsWith("scenario,point,"));

  if (::mknod((d + "/disk").c_str(), S_IFBLK | 0600, makedev(7, 250)) == 0) {  // as root
    Result block = run_ipcsim("run -q " + scenario + " -o " + d + "/disk");
    CHECK(block.exit_code == 2);
    CHECK_THAT(block.output, Catch::Contains("disk: error: -o: is a block device: expected a file name"));
  }
}

TEST_CASE("standard output takes results for -o -, and run - reads the scenario from standard input") {
  TempDir dir;
  const std::string scenario = dir.write("tiny.yaml", tiny_scenario);
  Result out = run_shell(ipcsim_binary + " run " + scenario + " -o - 2>/dev/null");
  CHECK(out.exit_code == 0);
  CHECK_THAT(out.output, Catch::StartsWith("scenario,point,sweep_points,"));
  CHECK(out.output.find("wrote") == std::string::npos);  // the account of the run went to stderr
  Result in = run_shell(ipcsim_binary + " run -q - -o - < " + scenario);
  CHECK(in.exit_code == 0);
  CHECK_THAT(in.output, Catch::Contains("\ntiny,1,1,"));
  Result unnamed = run_shell("echo 'processes: {p: {program: []}}' | " + ipcsim_binary + " run -q - -o -");
  CHECK_THAT(unnamed.output, Catch::Contains("\nstdin,1,1,"));
  Result bad = run_shell("echo 'processes: {p: {program: [{sleep: 1}]}}' | " + ipcsim_binary + " validate -");
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Catch::StartsWith("<stdin>:1:"));
}

TEST_CASE("an output that names an input or another output is refused before anything runs") {
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string scenario = dir.write("tiny.yaml", tiny_scenario);
  const std::string model = dir.write("m.yaml", "network: {link: {latency: 1ms}}\n");
  const std::string with_model = dir.write("uses.yaml", "name: uses\nmodel: m.yaml\n" + tiny_scenario.substr(11));
  struct Case {
    std::string arguments, says;
  };
  const std::vector<Case> cases{
      {"run " + scenario + " -o " + scenario, "-o: is also an input of this command"},
      {"run " + scenario + " -o " + d + "/../" + dir.path.filename().string() + "/tiny.yaml", "is also an input"},
      {"run " + with_model + " -o " + model, "is also an input"},
      {"run " + scenario + " -o " + d + "/a.csv --trace " + d + "/./a.csv", "--trace: names the same file as"},
      {"run " + scenario + " -o - --trace -", "--trace: names the same file as -"},
      {"merge " + d + "/s.csv " + d + "/s.csv", "merge output: is also an input"},
  };
  dir.write("s.csv", "x\n");
  for (const Case& c : cases) {
    INFO(c.arguments);
    Result r = run_ipcsim(c.arguments);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains(c.says));
  }
  CHECK(read(scenario) == tiny_scenario);
  CHECK(read(model) == "network: {link: {latency: 1ms}}\n");
  CHECK(read(d + "/s.csv") == "x\n");
  // plot's gnuplot script goes beside the image: a CSV named like it is refused too.
  fs::copy_file(source_dir + "/results/reference/capacity-sweep.csv", d + "/sweep.gp");
  Result plot = run_ipcsim("plot " + d + "/sweep.gp");
  CHECK(plot.exit_code == 2);
  CHECK_THAT(plot.output, Catch::Contains("the gnuplot script beside the image: is also an input"));
}

TEST_CASE("every output path problem is found before the simulation starts: exit 2, nothing written") {
  TempDir dir;
  const std::string d = dir.path.string();
  // A run of a day of wall time if it started: the errors must come first.
  const std::string endless = dir.write("endless.yaml", "name: endless\nstop: {time: 1e8s}\nprocesses:\n"
                                                        "  p: {program: [{repeat: forever, do: [{sleep: 1us}]}]}\n");
  struct Case {
    std::string output, says;
  };
  const std::vector<Case> cases{
      {d + "/missing/out.csv", "-o: the folder " + d + "/missing does not exist"},
      {d, "-o: is a directory"},
      {d + "/" + std::string(300, 'x') + ".csv", "-o: the file name is 304 bytes: expected at most 255"},
      {"/proc/self/out.csv", "-o: cannot write in /proc/self"},
      {"", "--output: expected a file name, found nothing"},  // not the default
  };
  for (const Case& c : cases) {
    INFO(c.output);
    Result r = run_ipcsim("run " + endless + " -o '" + c.output + "'");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains(c.says));
    Result trace = run_ipcsim("run " + endless + " -o " + d + "/ok.csv --trace '" + c.output + "'");
    CHECK(trace.exit_code == 2);
  }
  CHECK(files_in(dir.path) == 1);
}

TEST_CASE("inputs that never end, or are too large, are refused with a clear error") {
  TempDir dir;
  const std::string d = dir.path.string();
  for (const char* command : {"validate /dev/zero", "run /dev/zero", "compare /dev/zero /dev/zero", "plot /dev/zero"}) {
    INFO(command);
    Result r = run_ipcsim(command);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains("/dev/zero: error: not a regular file (a device or special file)"));
  }
  Result folder = run_ipcsim("validate " + d);
  CHECK_THAT(folder.output, Catch::Contains("not a regular file (a directory)"));
  const std::string big = d + "/big.yaml";
  fs::resize_file(dir.write("big.yaml", "# "), std::uintmax_t{1} << 32);  // sparse: 4 GiB that take no disk
  Result large = run_ipcsim("validate " + big);
  CHECK(large.exit_code == 2);
  CHECK_THAT(large.output, Catch::Contains("big.yaml: error: 4294967296 bytes is more than the 16 MiB allowed"));
  // A stream without end through a pipe stops at the limit.
  Result endless = run_shell("yes | " + ipcsim_binary + " validate -");
  CHECK(endless.exit_code == 2);
  CHECK_THAT(endless.output, Catch::Contains("<stdin>: error: more than the 16 MiB allowed"));
  // A FIFO nobody writes to is an empty file, not a hang.
  REQUIRE(::mkfifo((d + "/fifo.yaml").c_str(), 0600) == 0);
  CHECK(run_ipcsim("validate " + d + "/fifo.yaml").exit_code == 2);
}

TEST_CASE("numbers on the command line outside their range are refused with the range") {
  TempDir dir;
  const std::string scenario = dir.write("tiny.yaml", tiny_scenario);
  const std::string out = " -o " + dir.path.string() + "/out.csv";
  struct Case {
    std::string arguments, says;
  };
  const std::vector<Case> cases{
      {"--seed -1", "--seed: expected a whole number from 0 to 18446744073709551615, found '-1'"},
      {"--seed 18446744073709551616", "found '18446744073709551616'"},
      {"--seed 1e3", "found '1e3'"},
      {"--max-wall nan", "--max-wall: expected a number from 0.001 to 1e+09, found 'nan'"},
      {"--max-wall inf", "found 'inf'"},
      {"--memory 9223372036854775808B", "--memory 9223372036854775808B: expected a size such as 512MiB or 4GiB, from 1B to 1e15B"},
      {"--memory 8EiB", "from 1B to 1e15B"},
  };
  for (const Case& c : cases) {
    INFO(c.arguments);
    Result r = run_ipcsim("run " + scenario + out + " " + c.arguments);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains(c.says));
  }
  const std::string csv = source_dir + "/results/reference/capacity-sweep.csv";
  CHECK_THAT(run_ipcsim("compare " + csv + " " + csv + " --threshold nan").output,
             Catch::Contains("--threshold: expected a number from 0 to 1e+12, found 'nan'"));
  CHECK(run_ipcsim("calibrate --rounds nan -o " + dir.path.string() + "/m.yaml").exit_code == 2);
  CHECK(!fs::exists(dir.path / "out.csv"));

  // The largest seed either way gives the same result: every row can be reproduced from a file.
  const std::string seeded = dir.write("seeded.yaml", "seed: 18446744073709551615\n" + tiny_scenario);
  REQUIRE(run_ipcsim("run -q " + seeded + " -o " + dir.path.string() + "/a.csv").exit_code == 0);
  REQUIRE(run_ipcsim("run -q " + scenario + " --seed 18446744073709551615 -o " + dir.path.string() + "/b.csv").exit_code == 0);
  CHECK(without_wall_clock(read(dir.path / "a.csv")) == without_wall_clock(read(dir.path / "b.csv")));
}
