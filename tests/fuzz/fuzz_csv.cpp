// libFuzzer target: any bytes as a result CSV, through everything that reads one: the table
// reader, then merge (replicated shards too), compare, plot scripts and the timeline (as an
// events CSV, in its three formats) on what it accepted. Each must answer with a
// result or an InputError naming file and line, never crash or throw anything else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "report/compare.hpp"
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
  return 0;
}
