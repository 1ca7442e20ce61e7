// libFuzzer target: any bytes as a result CSV, through everything that reads one: the table
// reader, then merge (replicated shards too), compare, plot scripts, the timeline (as an
// events CSV, in its three formats) and the report's page (as each of its files) on what it
// accepted; the page must hold no markup from the CSV. Each must answer with a
// result or an InputError naming file and line, never crash or throw anything else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "report/compare.hpp"
#include "report/html_report.hpp"
#include "report/merge.hpp"
#include "report/plot.hpp"
#include "report/table.hpp"
#include "report/timeline.hpp"
#include "scenario/input_error.hpp"

namespace {
template <class Action>
void expect_result_or_input_error(Action action) {
  try {
    action();
  } catch (const ipcsim::InputError&) {
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ipcsim::report;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Table table;
  try {
    table = parse_table(text, "fuzz.csv");
  } catch (const ipcsim::InputError&) {
    return 0;
  }
  // What the reader accepted, the writer must write back to the same table.
  if (parse_table(table_csv(table.header, table.rows), "again.csv").rows != table.rows) __builtin_trap();
  expect_result_or_input_error([&] { merge_shards({table, table}); });
  expect_result_or_input_error([&] { merge_shards({table}); });
  expect_result_or_input_error([&] { merge_replicated_shards({table}, {table}); });
  expect_result_or_input_error([&] {
    CompareOptions by_point;
    by_point.match = {"point"};
    (void)compare_summaries(table, table, by_point);
  });
  expect_result_or_input_error([&] {
    const Comparison comparison = compare_summaries(table, table, CompareOptions{});
    for (CompareFormat format : {CompareFormat::text, CompareFormat::csv, CompareFormat::json})
      (void)render(comparison, format);
  });
  expect_result_or_input_error([&] { plot_script(table, PlotOptions{}); });
  expect_result_or_input_error([&] {
    TimelineOptions small;
    small.max_messages = 20;
    const Timeline timeline = build_timeline(table, small);
    (void)timeline_svg(timeline);
    (void)timeline_chrome_json(timeline);
    (void)timeline_paje(timeline);
  });
  expect_result_or_input_error([&] {
    // The plots' scripts stand for their drawings: gnuplot is not started here.
    ReportInputs as_everything{table, table, table, table, table, std::nullopt};
    TimelineOptions small;
    small.max_messages = 20;
    try {
      as_everything.timeline = build_timeline(table, small);
    } catch (const ipcsim::InputError&) {
    }
    const std::string page = html_report(as_everything, [](const std::string& script) { return script; });
    if (page.find("<script") != std::string::npos) __builtin_trap();
  });
  return 0;
}
