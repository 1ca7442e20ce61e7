// run --events: every event of a run, in simulated-time order, worked out by hand for two small
// scenarios; the options' errors. (Every simulated run of the suite also checks its events
// against its records: support/event_checks.hpp.)
#include <map>

#include "cli_helpers.hpp"
#include "helpers.hpp"
#include "report/table.hpp"

using namespace ipcsim;
using namespace ipcsim::test;

namespace {

// Each process's events in order, as "time,kind,channel,message,detail" (the process column
// taken out); the events of no process (faults) under "".
std::map<std::string, std::vector<std::string>> events_by_process(const std::string& csv) {
  const report::Table table = report::parse_table(csv, "events.csv");
  std::map<std::string, std::vector<std::string>> by_process;
  for (const auto& row : table.rows)
    by_process[row[1]].push_back(row[0] + "," + row[2] + "," + row[3] + "," + row[4] + "," + row[5]);
  return by_process;
}

}  // namespace

TEST_CASE("run --events: a bounded buffer that blocks, a timed receive, a failed and a lost message, by hand") {
  TempDir dir;
  const std::string scenario = (fs::path(source_dir) / "tests/timeline/hand.yaml").string();
  const std::string events = (dir.path / "events.csv").string();
  Result r = run_ipcsim("run -q " + scenario + " -o " + (dir.path / "hand.csv").string() + " --events " + events);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto by_process = events_by_process(read(events));
  // p: message 0 goes into the empty box at once; message 1 finds it full and waits for room
  // until q takes message 0 at 5 ms; then 1 ms of compute; at 6 ms the box is empty again
  // (q took message 1 at 5 ms), so message 2 goes in, and message 3 finds it full: would_block.
  // Message 2 is never received: lost, queued, when the run ends with q at 7 ms.
  CHECK(by_process.at("p") == std::vector<std::string>{
                                  "0,start,,,",
                                  "0,send_call,box,0,1000",
                                  "0,accepted,box,0,buffer",
                                  "0,send_return,box,0,ok",
                                  "0,send_call,box,1,2000",
                                  "0,blocked,box,1,room",
                                  "0.005,woken,box,,",
                                  "0.005,accepted,box,1,buffer",
                                  "0.005,send_return,box,1,ok",
                                  "0.005,compute_start,,,0.001",
                                  "0.006,compute_end,,,",
                                  "0.006,send_call,box,2,3000",
                                  "0.006,accepted,box,2,buffer",
                                  "0.006,send_return,box,2,ok",
                                  "0.006,send_call,box,3,4000",
                                  "0.006,failed,box,3,would_block",
                                  "0.006,send_return,box,3,would_block",
                                  "0.006,end,,,",
                                  "0.007,lost,box,2,queued_at_end",
                              });
  // q: sleeps 5 ms, takes messages 0 and 1 at once, then waits 2 ms on an empty mailbox.
  CHECK(by_process.at("q") == std::vector<std::string>{
                                  "0,start,,,",
                                  "0,sleep_start,,,0.005",
                                  "0.005,sleep_end,,,",
                                  "0.005,receive_call,box,,",
                                  "0.005,receive_return,box,0,message",
                                  "0.005,receive_call,box,,",
                                  "0.005,receive_return,box,1,message",
                                  "0.005,receive_call,other,,",
                                  "0.005,blocked,other,,message",
                                  "0.007,receive_return,other,,timed_out",
                                  "0.007,end,,,",
                              });
  CHECK(by_process.size() == 2);
}

TEST_CASE("run --events: a host down and up kills and restarts its process, a link down and up, by hand") {
  TempDir dir;
  // 1 ms / 1 MB/s: 1000 bytes arrive 2 ms after they leave.
  const std::string scenario = dir.write("fault.yaml", R"(name: fault
model: {network: {link: {latency: 1ms, bandwidth: 1MB/s}}}
channels:
  inbox: {addressing: mailbox, owner: server}
processes:
  server: {host: beta, program: [{recv: {from: inbox}}]}
  client:
    host: alpha
    program:
      - sleep: 3ms
      - send: {to: inbox, size: 1000B, mode: nonblocking}
      - sleep: 5ms
      - send: {to: inbox, size: 1000B, mode: nonblocking}
faults:
  - {at: 2ms, host_down: beta}
  - {at: 4ms, link_down: beta-alpha}
  - {at: 6ms, host_up: beta}
  - {at: 7ms, link_up: beta-alpha}
)");
  const std::string events = (dir.path / "events.csv").string();
  Result r = run_ipcsim("run -q " + scenario + " -o " + (dir.path / "fault.csv").string() + " --events " + events);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto by_process = events_by_process(read(events));
  CHECK(by_process.at("") == std::vector<std::string>{
                                 "0.002,host_down,,,beta",
                                 "0.002,mailbox_destroyed,inbox,,host_down",
                                 "0.004,link_down,,,beta-alpha",
                                 "0.006,host_up,,,beta",
                                 "0.007,link_up,,,beta-alpha",
                                 "0.01,mailbox_destroyed,inbox,,owner_ended",
                             });
  // The server's receive is cut by its host going down; it starts again, with its mailbox,
  // when the host is up, and gets the second message (sent at 8 ms, the link up again) at 10 ms.
  CHECK(by_process.at("server") == std::vector<std::string>{
                                       "0,start,,,",
                                       "0,receive_call,inbox,,",
                                       "0,blocked,inbox,,message",
                                       "0.002,receive_return,inbox,,unfinished",
                                       "0.002,killed,,,host_down",
                                       "0.006,mailbox_created,inbox,,",
                                       "0.006,restarted,,,",
                                       "0.006,receive_call,inbox,,",
                                       "0.006,blocked,inbox,,message",
                                       "0.01,woken,inbox,,",
                                       "0.01,receive_return,inbox,1,message",
                                       "0.01,end,,,",
                                   });
  // The first message finds the mailbox gone (its owner's host is down): failed.
  CHECK(by_process.at("client") == std::vector<std::string>{
                                       "0,start,,,",
                                       "0,sleep_start,,,0.003",
                                       "0.003,sleep_end,,,",
                                       "0.003,send_call,inbox,0,1000",
                                       "0.003,failed,inbox,0,mailbox_destroyed",
                                       "0.003,send_return,inbox,0,mailbox_destroyed",
                                       "0.003,sleep_start,,,0.005",
                                       "0.008,sleep_end,,,",
                                       "0.008,send_call,inbox,1,1000",
                                       "0.008,send_return,inbox,1,ok",
                                       "0.008,end,,,",
                                       "0.01,accepted,inbox,1,buffer",
                                   });
}

TEST_CASE("run --events: one run only, and a path that cannot be written exit 2, writing nothing") {
  TempDir dir;
  const std::string sweep = dir.write("sweep.yaml", R"(name: sweep
sweep: {seed: [1, 2]}
channels: {box: {addressing: mailbox}}
processes:
  p: {program: [{send: {to: box, size: 1B}}]}
  q: {program: [{recv: {from: box}}]}
)");
  const std::string single = dir.write("single.yaml", read(sweep).replace(read(sweep).find("sweep:"), 22, ""));
  const std::string out = (dir.path / "out.csv").string(), events = (dir.path / "events.csv").string();
  Result points = run_ipcsim("run -q " + sweep + " -o " + out + " --events " + events);
  CHECK(points.exit_code == 2);
  CHECK_THAT(points.output, Catch::Contains("--events records one run, and the sweep has 2 points"));
  Result replications = run_ipcsim("run -q " + single + " --replications 3 -o " + out + " --events " + events);
  CHECK(replications.exit_code == 2);
  CHECK_THAT(replications.output, Catch::Contains("--events records one run, and each point has 3 replications"));
  Result folder = run_ipcsim("run -q " + single + " -o " + out + " --events " + dir.path.string());
  CHECK(folder.exit_code == 2);
  CHECK_THAT(folder.output, Catch::Contains("--events"));
  Result same = run_ipcsim("run -q " + single + " -o " + out + " --events " + out);
  CHECK(same.exit_code == 2);
  CHECK(!fs::exists(out));
  CHECK(!fs::exists(events));
}

TEST_CASE("run --events: names with commas, quotes and non-ASCII text come back as they were") {
  TempDir dir;
  const std::string scenario = dir.write("names.yaml", R"(name: names
model: {network: {link: {latency: 1ms, bandwidth: 1MB/s}}}
channels:
  'box, "the" one': {addressing: mailbox}
processes:
  'p, "1"': {host: 'h,1', program: [{send: {to: 'box, "the" one', size: 10B}}, {sleep: 5ms}]}
  'q ü': {host: 'h"2', program: [{recv: {from: 'box, "the" one'}}]}
faults:
  - {at: 2ms, host_down: 'h,1'}
)");
  const std::string events = (dir.path / "events.csv").string();
  Result r = run_ipcsim("run -q " + scenario + " -o " + (dir.path / "names.csv").string() + " --events " + events);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const auto by_process = events_by_process(read(events));
  // Read back by a CSV reader: each field whole (1 ms + 10 B at 1 MB/s = 1.01 ms).
  CHECK(by_process.at("p, \"1\"").at(1) == "0,send_call,box, \"the\" one,0,10");
  CHECK(by_process.at("q ü").back() == "0.00101,end,,,");
  CHECK(by_process.at("") == std::vector<std::string>{"0.002,host_down,,,h,1"});
  CHECK(by_process.at("p, \"1\"").back() == "0.002,killed,,,host_down");
}
