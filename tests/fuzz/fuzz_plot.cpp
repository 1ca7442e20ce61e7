// libFuzzer target: any bytes as a result CSV, turned into gnuplot scripts with options taken
// from the CSV itself (each column as --x and --y, a cell as the image name). Every script
// must keep user text in single-quoted literals (tests/support/gnuplot_script_check.hpp);
// a violation is a crash, with the script on stderr.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "report/plot.hpp"
#include "report/table.hpp"
#include "scenario/input_error.hpp"
#include "support/gnuplot_script_check.hpp"

namespace {
void check(const ipcsim::report::Table& table, const ipcsim::report::PlotOptions& options) {
  std::string script;
  try {
    script = ipcsim::report::plot_script(table, options);
  } catch (const ipcsim::InputError&) {
    return;
  }
  const std::string violation = ipcsim::testing::gnuplot_script_violation(script);
  if (violation.empty()) return;
  std::fprintf(stderr, "%s\n--- script:\n%s\n", violation.c_str(), script.c_str());
  __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ipcsim::report;
  Table table;
  try {
    table = parse_table(std::string(reinterpret_cast<const char*>(data), size), "fuzz`touch x`'\n.csv");
  } catch (const ipcsim::InputError&) {
    return 0;
  }
  PlotOptions options;
  if (!table.rows.empty() && !table.rows[0].empty()) options.default_output = table.rows[0][0];
  check(table, options);
  for (std::size_t c = 0; c < table.header.size() && c < 8; ++c) {
    options.x = table.header[c];
    check(table, options);
    options.y = {table.header[c], table.header[table.header.size() - 1 - c]};
    check(table, options);
  }
  return 0;
}
