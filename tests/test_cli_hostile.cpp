// Hostile input through the binary: nothing a scenario, a CSV or a path says runs a command,
// replaces a special file, overwrites an input, or costs more than a bounded amount.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cstdlib>
#include <sstream>

#include "cli_helpers.hpp"

using namespace ipcsim::test;

namespace {

const std::string tiny_scenario = "name: tiny\nprocesses: {p: {program: [{sleep: 1ms}]}}\n";

// ipcsim with these arguments must refuse with exit 2, saying `says` (and what else it says
// goes to the test's log).
void expect_refused(const std::string& arguments, const std::string& says) {
  INFO(arguments);
  Result r = run_ipcsim(arguments);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains(says));
}

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
  const std::vector<std::string> payloads{"`touch " + marker + "`",  "system(\"touch " + marker + "\")",
                                          "$(touch " + marker + ")", "x\n!touch " + marker,
                                          "x'\n!touch " + marker,    "\\`touch " + marker + "\\`"};
  for (const std::string& payload : payloads) {
    INFO(payload);
    auto quoted = [](const std::string& text) {
      std::string out = "\"";
      for (char ch : text) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
      return out + "\"";
    };
    const std::string csv = "scenario,point,sweep_points,channels.x" + quoted(payload).substr(1, 0) +
                            ",seed,throughput_msgs_per_s,latency_p99_s\n" + quoted(payload) + ",1,2,1,1,10,0.1\n" +
                            quoted(payload) + ",2,2," + quoted(payload) + ",1,20,0.2\n";
    const std::string name = "s`touch MARKER`.csv";  // run from the scratch folder, so MARKER lands there
    std::ofstream(dir.path / name) << csv;
    Result r = run_shell("cd " + d + " && " + ipcsim_binary + " plot '" + name + "' -o p.svg");
    CHECK(r.exit_code == 0);
    CHECK(!fs::exists(marker));
    CHECK_THAT(read(d + "/p.svg"), Catch::StartsWith("<?xml"));
  }
}

TEST_CASE("an output ipcsim names itself (beside the summary) is never written through a link") {
  TempDir dir;
  const std::string d = dir.path.string();
  const std::string scenario = source_dir + "/scenarios/client-server.yaml";
  dir.write("victim.txt", "keep me\n");
  REQUIRE(::symlink((d + "/victim.txt").c_str(), (d + "/out.channels.csv").c_str()) == 0);
  Result r = run_ipcsim("run -q " + scenario + " -o " + d + "/out.csv");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains("out.channels.csv: error: the channels CSV: is a symbolic link"));
  CHECK(read(d + "/victim.txt") == "keep me\n");
  CHECK(!fs::exists(d + "/out.csv"));
  // Named on the command line, the same link is the user's choice: written through.
  CHECK(run_ipcsim("run -q " + scenario + " -o " + d + "/out.csv --channels " + d + "/out.channels.csv").exit_code ==
        0);
  CHECK_THAT(read(d + "/victim.txt"), Catch::StartsWith("scenario,point,"));
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
  Result through = run_shell("cat " + d + "/fifo > " + d + "/got & " + ipcsim_binary + " run -q " + scenario + " -o " +
                             d + "/fifo; wait");
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
  dir.write("s.csv", "x\n");
  const std::vector<std::pair<std::string, std::string>> refused{
      {"run " + scenario + " -o " + scenario, "-o: is also an input of this command"},
      {"run " + scenario + " -o " + d + "/../" + dir.path.filename().string() + "/tiny.yaml", "is also an input"},
      {"run " + with_model + " -o " + model, "is also an input"},
      {"run " + scenario + " -o " + d + "/a.csv --trace " + d + "/./a.csv", "--trace: names the same file as"},
      {"run " + scenario + " -o - --trace -", "--trace: names the same file as -"},
      {"merge " + d + "/s.csv " + d + "/s.csv", "merge output: is also an input"},
  };
  for (const auto& [arguments, says] : refused) expect_refused(arguments, says);
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
  const std::string endless = dir.write("endless.yaml",
                                        "name: endless\nstop: {time: 1e8s}\nprocesses:\n"
                                        "  p: {program: [{repeat: forever, do: [{sleep: 1us}]}]}\n");
  const std::vector<std::pair<std::string, std::string>> refused{
      {d + "/missing/out.csv", "-o: the folder " + d + "/missing does not exist"},
      {d, "-o: is a directory"},
      {d + "/" + std::string(300, 'x') + ".csv", "-o: the file name is 304 bytes: expected at most 255"},
      {"/proc/self/out.csv", "-o: cannot write in /proc/self"},
      {"", "--output: expected a file name, found nothing"},  // not the default
  };
  for (const auto& [output, says] : refused) {
    expect_refused("run " + endless + " -o '" + output + "'", says);
    expect_refused("run " + endless + " -o " + d + "/ok.csv --trace '" + output + "'", "--trace");
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
  fs::resize_file(dir.write("big.csv", "x\n"), std::uintmax_t{1} << 32);
  CHECK_THAT(
      run_ipcsim("compare " + d + "/big.csv " + d + "/big.csv").output,
      Catch::Contains("big.csv: error: 4294967296 bytes is more than the 1024 MiB allowed: expected a result CSV"));
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
  const std::vector<std::pair<std::string, std::string>> refused{
      {"--seed -1", "--seed: expected a whole number from 0 to 18446744073709551615, found '-1'"},
      {"--seed 18446744073709551616", "found '18446744073709551616'"},
      {"--seed 1e3", "found '1e3'"},
      {"--max-wall nan", "--max-wall: expected a number from 0.001 to 1e+09, found 'nan'"},
      {"--max-wall inf", "found 'inf'"},
      {"--memory 9223372036854775808B",
       "--memory 9223372036854775808B: expected a size such as 512MiB or 4GiB, from 1B to 1e15B"},
      {"--memory 8EiB", "from 1B to 1e15B"},
  };
  for (const auto& [arguments, says] : refused) expect_refused("run " + scenario + out + " " + arguments, says);
  const std::string csv = source_dir + "/results/reference/capacity-sweep.csv";
  CHECK_THAT(run_ipcsim("compare " + csv + " " + csv + " --threshold nan").output,
             Catch::Contains("--threshold: expected a number from 0 to 1e+12, found 'nan'"));
  CHECK(run_ipcsim("calibrate --rounds nan -o " + dir.path.string() + "/m.yaml").exit_code == 2);
  CHECK(!fs::exists(dir.path / "out.csv"));

  // The largest seed either way gives the same result: every row can be reproduced from a file.
  const std::string seeded = dir.write("seeded.yaml", "seed: 18446744073709551615\n" + tiny_scenario);
  REQUIRE(run_ipcsim("run -q " + seeded + " -o " + dir.path.string() + "/a.csv").exit_code == 0);
  REQUIRE(
      run_ipcsim("run -q " + scenario + " --seed 18446744073709551615 -o " + dir.path.string() + "/b.csv").exit_code ==
      0);
  CHECK(without_wall_clock(read(dir.path / "a.csv"), {"scenario_file"}) ==
        without_wall_clock(read(dir.path / "b.csv"), {"scenario_file"}));
}

namespace {

const char* const doctype = "<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n";

// A platform file around `zone` (the lines inside <zone>), and a scenario that sends one
// message from host a to host b over it.
struct Platform {
  std::string xml, scenario;
};
Platform platform_with(const TempDir& dir, const std::string& zone, const std::string& routing = "Full") {
  const std::string xml =
      dir.write("p.xml", std::string(doctype) + "<platform version=\"4.1\">\n  <zone id=\"z\" routing=\"" + routing +
                             "\">\n" + zone + "  </zone>\n</platform>\n");
  const std::string scenario = dir.write(
      "uses.yaml",
      "name: uses\nmodel: p.xml\nchannels:\n  box: {addressing: mailbox}\nprocesses:\n"
      "  p: {host: a, program: [{send: {to: box, size: 1B}}]}\n  q: {host: b, program: [{recv: {from: box}}]}\n");
  return {xml, scenario};
}

const std::string two_hosts = "    <host id=\"a\" speed=\"1Gf\"/>\n    <host id=\"b\" speed=\"1Gf\"/>\n";
const std::string wire = "    <link id=\"w\" bandwidth=\"1MBps\" latency=\"1ms\"/>\n";
const std::string route = "    <route src=\"a\" dst=\"b\"><link_ctn id=\"w\"/></route>\n";

}  // namespace

TEST_CASE("platform files are checked before SimGrid sees them: what it would abort on is refused at its line") {
  TempDir dir;
  struct Case {
    std::string name, zone;
    int line;  // in p.xml (the zone's content starts on line 4); negative: in the scenario (p on line 6)
    std::string says, routing = "Full";
  };
  const std::vector<Case> cases{
      {"a cluster",
       "    <cluster id=\"c\" prefix=\"n\" suffix=\"\" radical=\"0-3\" speed=\"1Gf\" bw=\"1GBps\" lat=\"1us\"/>\n", 4,
       "<cluster> is not supported by ipcsim: expected platform, zone, AS, host, router, link, route, link_ctn, prop"},
      {"a zero bandwidth", two_hosts + "    <link id=\"w\" bandwidth=\"0Bps\" latency=\"0s\"/>\n" + route, 6,
       "<link bandwidth=\"0Bps\">: expected a value such as 125MBps"},
      {"an absurd bandwidth", two_hosts + "    <link id=\"w\" bandwidth=\"1e30Bps\" latency=\"0s\"/>\n" + route, 6,
       "from 0.125 to 1e+18 Bps"},
      {"a bandwidth without unit", two_hosts + "    <link id=\"w\" bandwidth=\"1000\" latency=\"0s\"/>\n" + route, 6,
       "bandwidth=\"1000\""},
      {"a latency past the clock's range",
       two_hosts + "    <link id=\"w\" bandwidth=\"1MBps\" latency=\"1e10s\"/>\n" + route, 6,
       "<link latency=\"1e10s\">"},
      {"a speed that overflows",
       "    <host id=\"a\" speed=\"1e300Ef\"/>\n    <host id=\"b\" speed=\"1Gf\"/>\n" + wire + route, 4,
       "<host speed=\"1e300Ef\">: expected a value such as 1Gf"},
      {"a zero speed", "    <host id=\"a\" speed=\"0f\"/>\n    <host id=\"b\" speed=\"1Gf\"/>\n" + wire + route, 4,
       "speed=\"0f\""},
      {"no speed", "    <host id=\"a\"/>\n    <host id=\"b\" speed=\"1Gf\"/>\n" + wire + route, 4,
       "<host>: missing speed"},
      {"no route between hosts in use", two_hosts + wire, -6, "no route from host 'a' to host 'b' in"},
      {"a route the wrong way",
       two_hosts + wire + "    <route src=\"b\" dst=\"a\" symmetrical=\"NO\"><link_ctn id=\"w\"/></route>\n", -6,
       "no route from host 'a' to host 'b'"},
      {"a route given twice",
       two_hosts + wire + route + "    <route src=\"b\" dst=\"a\"><link_ctn id=\"w\"/></route>\n", 8,
       "a route from b to a exists already"},
      {"an unknown link in a route", two_hosts + wire + "    <route src=\"a\" dst=\"b\"><link_ctn id=\"x\"/></route>\n",
       7, "<link_ctn id=\"x\">: unknown link"},
      {"an unknown host in a route", two_hosts + wire + "    <route src=\"a\" dst=\"c\"><link_ctn id=\"w\"/></route>\n",
       7, "unknown host or router 'c'"},
      {"a nested zone", "    <zone id=\"inner\" routing=\"Full\"/>\n", 4, "<zone> inside <zone>"},
      {"a routing SimGrid has but ipcsim does not read", two_hosts, 3,
       "<zone routing=\"Vivaldi\">: expected Full, Floyd, Dijkstra or DijkstraCache", "Vivaldi"},
      {"an attribute naming another file", "    <host id=\"a\" speed=\"1Gf\" availability_file=\"/dev/zero\"/>\n", 4,
       "<host availability_file=...>: expected only id, speed, core"},
      {"SimGrid settings", "    <config><prop id=\"network/model\" value=\"CM02\"/></config>\n", 4,
       "<config> is not supported"},
      {"a split-duplex link",
       two_hosts + "    <link id=\"w\" bandwidth=\"1MBps\" latency=\"0s\" sharing_policy=\"SPLITDUPLEX\"/>\n" + route,
       6, "expected SHARED or FATPIPE"},
      {"a host declared twice", two_hosts + "    <host id=\"a\" speed=\"2Gf\"/>\n", 6,
       "a host or router of that name exists already"},
      {"a host name with a control character", "    <host id=\"a&#x85;\" speed=\"1Gf\"/>\n", 4,
       "without control characters"},
      {"malformed XML", two_hosts + "    <link id=\"w\" bandwidth=\"1MBps\" latency=\"0s\">\n", 7,
       "invalid XML: mismatched tag"},
      {"a link without latency", two_hosts + "    <link id=\"w\" bandwidth=\"1MBps\"/>\n" + route, 6,
       "<link>: missing latency"},
      {"an empty route", two_hosts + wire + "    <route src=\"a\" dst=\"b\">\n    </route>\n", 8,
       "an empty route: expected at least one <link_ctn id=...>"},
      {"a host after a route", two_hosts + wire + route + "    <host id=\"c\" speed=\"1Gf\"/>\n", 8,
       "<host> after a route: expected a zone's <prop>s first, then its hosts, routers and links, then its routes"},
      {"a property after a host", two_hosts + "    <prop id=\"x\" value=\"1\"/>\n" + wire + route, 6,
       "<prop> after a host, router or link"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Platform p = platform_with(dir, c.zone, c.routing);
    Result r = run_ipcsim("run " + p.scenario + " -o " + dir.path.string() + "/out.csv");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output,
               Catch::StartsWith((c.line > 0 ? p.xml : p.scenario) + ":" + std::to_string(std::abs(c.line)) + ":"));
    CHECK_THAT(r.output, Catch::Contains(c.says));
    CHECK(r.output.find('\n') == r.output.size() - 1);  // one line
    CHECK(run_ipcsim("validate " + p.scenario).exit_code == 2);
  }
  // An entity that expands to a billion characters is not even read.
  std::string entities = "<!ENTITY a \"aaaaaaaaaa\">";
  for (char e = 'b'; e <= 'j'; ++e) {
    std::string value;
    for (int i = 0; i < 10; ++i) value += fmt::format("&{};", static_cast<char>(e - 1));
    entities += fmt::format("<!ENTITY {} \"{}\">", e, value);
  }
  std::string laughs = "<!DOCTYPE platform [" + entities;
  laughs +=
      "]>\n<platform version=\"4.1\"><zone id=\"z\" routing=\"Full\"><host id=\"&j;\" "
      "speed=\"1Gf\"/></zone></platform>\n";
  dir.write("p.xml", laughs);
  Result r = run_ipcsim("validate " + dir.path.string() + "/uses.yaml");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains("a DOCTYPE other than SimGrid's"));
  dir.write(
      "p.xml",
      "<platform version=\"4.1\"><zone id=\"z\" routing=\"Full\"><host id=\"a\" speed=\"1Gf\"/></zone></platform>\n");
  CHECK_THAT(run_ipcsim("validate " + dir.path.string() + "/uses.yaml").output,
             Catch::Contains("p.xml:1:1: error: no DOCTYPE: expected <!DOCTYPE platform SYSTEM"));
}

TEST_CASE("every unit a platform file may use means to ipcsim what it means to SimGrid") {
  // One sender, one receiver per bandwidth unit, each over its own link of 1 <unit> with a
  // latency of 1 <time unit>: a 1000-byte message takes latency + 1000 B / bandwidth.
  const std::vector<std::pair<std::string, double>> bandwidths{
      {"Bps", 1},      {"kBps", 1e3},     {"MBps", 1e6},        {"GBps", 1e9},
      {"TBps", 1e12},  {"KiBps", 1024.0}, {"MiBps", 1048576.0}, {"GiBps", 1073741824.0},
      {"bps", 0.125},  {"kbps", 125},     {"Mbps", 125e3},      {"Gbps", 125e6},
      {"Tbps", 125e9}, {"Kibps", 128.0},  {"Mibps", 131072.0},  {"Gibps", 134217728.0}};
  const std::vector<std::pair<std::string, double>> latencies{{"s", 1},     {"ps", 1e-12}, {"ns", 1e-9}, {"us", 1e-6},
                                                              {"ms", 1e-3}, {"m", 60},     {"h", 3600}};
  const std::vector<std::string> speeds{"f", "kf", "Mf", "Gf", "Tf", "Pf", "Ef"};
  std::string zone = "    <host id=\"src\" speed=\"1Gf\"/>\n", routes, channels,
              processes = "  src:\n    host: src\n    program:\n";
  for (std::size_t i = 0; i < bandwidths.size(); ++i) {
    zone +=
        fmt::format("    <host id=\"h{}\" speed=\"1{}\"/>\n    <link id=\"l{}\" bandwidth=\"1{}\" latency=\"1{}\"/>\n",
                    i, speeds[i % speeds.size()], i, bandwidths[i].first, latencies[i % latencies.size()].first);
    routes += fmt::format("    <route src=\"src\" dst=\"h{}\"><link_ctn id=\"l{}\"/></route>\n", i, i);
    channels += fmt::format("  c{}: {{addressing: direct-asymmetric, receiver: r{}}}\n", i, i);
    processes += fmt::format("      - send: {{to: r{}, size: 1000B, mode: nonblocking}}\n", i);
  }
  for (std::size_t i = 0; i < bandwidths.size(); ++i)
    processes += fmt::format("  r{}: {{host: h{}, program: [{{recv: {{from: any}}}}]}}\n", i, i);
  TempDir dir;
  dir.write("units.xml", std::string(doctype) + "<platform version=\"4.1\">\n  <zone id=\"z\" routing=\"Full\">\n" +
                             zone + routes + "  </zone>\n</platform>\n");
  const std::string scenario =
      dir.write("units.yaml", "name: units\nmodel: units.xml\nchannels:\n" + channels + "processes:\n" + processes);
  const std::string trace = dir.path.string() + "/trace.csv";
  Result r = run_ipcsim("run -q " + scenario + " -o " + dir.path.string() + "/out.csv --trace " + trace);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  std::istringstream lines(read(trace));
  std::string line;
  std::getline(lines, line);  // id,sender,receiver,channel,size_bytes,send_call_s,accepted_s,taken_s,received_s,...
  for (std::size_t i = 0; i < bandwidths.size(); ++i) {
    REQUIRE(std::getline(lines, line));
    std::vector<std::string> cells;
    for (std::size_t at = 0; at <= line.size();) {
      const std::size_t comma = std::min(line.find(',', at), line.size());
      cells.push_back(line.substr(at, comma - at));
      at = comma + 1;
    }
    INFO(bandwidths[i].first << " and " << latencies[i % latencies.size()].first);
    const double expected = latencies[i % latencies.size()].second + 1000 / bandwidths[i].second;
    // The CSV keeps 9 digits, and SimGrid rounds times to its 1 ns precision.
    CHECK(std::stod(cells[8]) - std::stod(cells[5]) == Approx(expected).epsilon(1e-8).margin(2e-9));
  }
}

TEST_CASE("SimGrid's Constant network model runs across hosts (it aborted on the links ipcsim made for it)") {
  TempDir dir;
  const std::string scenario =
      dir.write("constant.yaml",
                "name: constant\nmodel: {network: {model: Constant}}\nchannels:\n  box: {addressing: mailbox}\n"
                "processes:\n  p: {host: a, program: [{send: {to: box, size: 1KiB}}]}\n"
                "  q: {host: b, program: [{recv: {from: box}}]}\n");
  Result r = run_ipcsim("run " + scenario + " -o " + dir.path.string() + "/out.csv");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("messages: 1 sent, 1 delivered"));
  // It has no links, so none can fail.
  dir.write("faulty.yaml", read(scenario) + "faults:\n  - {at: 1s, link_down: a-b}\n");
  CHECK_THAT(run_ipcsim("validate " + dir.path.string() + "/faulty.yaml").output,
             Catch::Contains("link_down: the model has no network links"));
}
