// The events CSV writer on its own (no simulation, so the thread sanitizer build runs it):
// rows made on one thread, written by another, every one in order, and a disk that refuses
// them reported at the end.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include "model/model.hpp"
#include "report/events_csv.hpp"
#include "report/table.hpp"
#include "scenario/read_scenario.hpp"
#include "support/shell.hpp"

using namespace ipcsim;
using namespace ipcsim::test;

TEST_CASE("the events writer writes every row in order, from a thread of its own, across many blocks") {
  const scenario::Scenario scenario = scenario::parse_scenario(R"(
channels: {'box, one': {addressing: mailbox}}
processes:
  p: {program: [{send: {to: 'box, one', size: 1B}}]}
  q: {program: [{recv: {from: 'box, one'}}]}
)",
                                                               "events.yaml");
  const model::Model model = model::build_model(scenario);
  TempDir dir;
  const int fd = ::open((dir.path / "events.csv").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  constexpr std::uint64_t rows = 200'000;  // about 8 MB: several blocks
  {
    report::EventsCsv events(fd);
    events.begin(model);
    for (std::uint64_t i = 0; i < rows; ++i)
      events.add({static_cast<double>(i) * 1e-3,
                  i % 2 ? model::EventKind::receive_call : model::EventKind::send_call,
                  static_cast<model::ProcessId>(i % 2),
                  0,
                  i,
                  {},
                  i % 2 ? -1.0 : 1.0});
    events.finish();
  }
  ::close(fd);
  const report::Table table = report::parse_table(read(dir.path / "events.csv"), "events.csv");
  REQUIRE(table.rows.size() == rows);
  CHECK(table.rows[0] == std::vector<std::string>{"0", "p", "send_call", "box, one", "0", "1"});
  CHECK(table.rows[1] == std::vector<std::string>{"0.001", "q", "receive_call", "box, one", "1", ""});
  CHECK(table.rows[rows - 1][4] == std::to_string(rows - 1));
  CHECK(table.rows[rows - 1][0] == "199.999");
}

TEST_CASE("the events writer reports a disk that refuses its rows when it finishes, not during the run") {
  const scenario::Scenario scenario = scenario::parse_scenario("processes: {p: {program: []}}\n", "events.yaml");
  const model::Model model = model::build_model(scenario);
  const int fd = ::open("/dev/full", O_WRONLY);
  if (fd < 0) return;  // no /dev/full here
  report::EventsCsv events(fd);
  events.begin(model);
  for (int i = 0; i < 100'000; ++i) events.add({0, model::EventKind::start, 0, model::none});  // never throws
  CHECK_THROWS_WITH(events.finish(), Catch::Contains("writing the events: No space left on device"));
  ::close(fd);
}
