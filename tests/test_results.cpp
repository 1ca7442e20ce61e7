// Reading result CSVs back, merging shards, comparing two runs and writing plot scripts.
#include <catch2/catch.hpp>

#include "report/compare.hpp"
#include "report/merge.hpp"
#include "report/output_files.hpp"
#include "report/plot.hpp"
#include "report/table.hpp"
#include "scenario/input_error.hpp"
#include "scenario/text.hpp"
#include "support/gnuplot_script_check.hpp"
#include "support/shell.hpp"

using namespace ipcsim;
using report::CompareFormat;
using report::parse_table;

namespace {

// The message of the InputError that `action` throws, or "" if none.
template <class Action>
std::string input_error(Action action) {
  try {
    action();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// The line of `text` starting with `start`, its runs of spaces squeezed to one.
std::string words_of_line(const std::string& text, const std::string& start) {
  std::size_t at = text.find("\n" + start);
  if (at == std::string::npos) return "";
  std::string line = text.substr(at + 1, text.find('\n', at + 1) - at - 1), words;
  for (char ch : line)
    if (ch != ' ' || (!words.empty() && words.back() != ' ')) words += ch;
  return words;
}

// A small summary CSV in the real column order: scenario, point, two swept paths, seed, ...
std::string summary(const std::vector<std::string>& rows) {
  std::string text =
      "scenario,point,sweep_points,channels.jobs.capacity,processes.p.program.0.send.mode,seed,model,"
      "throughput_msgs_per_s,latency_p99_s,messages_lost,wall_time_s\n";
  for (const std::string& row : rows) text += row + "\n";
  return text;
}

}  // namespace

TEST_CASE("the CSV reader handles quotes, embedded commas and line breaks, CRLF and blank lines") {
  report::Table t = parse_table("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n\n2,\"two\nlines\",\n", "t.csv");
  REQUIRE(t.header == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0] == std::vector<std::string>{"1", "x, y", "say \"hi\""});
  CHECK(t.rows[1] == std::vector<std::string>{"2", "two\nlines", ""});
  CHECK(t.lines == std::vector<int>{2, 4});
  // What the writer writes, the reader reads back unchanged.
  CHECK(report::table_csv(t.header, t.rows) == "a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",\n");
}

TEST_CASE("what the CSV reader accepts, the writer writes back to the same table (fuzzer findings)") {
  // A header of one empty name could not be written back: column names must be non-empty.
  CHECK(input_error([] { parse_table("\"\"", "f.csv"); }) ==
        "f.csv:1:1: error: column 1 of the header is empty: expected a column name");
  CHECK(input_error([] { parse_table("a,,c\n", "f.csv"); }) ==
        "f.csv:1:1: error: column 2 of the header is empty: expected a column name");
  // One column, an empty value: written as an empty line it would vanish on reading.
  report::Table one = parse_table("a\n\"\"\nx\n", "f.csv");
  REQUIRE(one.rows.size() == 2);
  CHECK(parse_table(report::table_csv(one.header, one.rows), "again.csv").rows == one.rows);
}

TEST_CASE("the CSV reader names file, line and column of malformed input") {
  CHECK(input_error([] { parse_table("", "e.csv"); }) == "e.csv: error: empty file: expected a CSV header line");
  CHECK(input_error([] { parse_table("a,b\n1,2\n3\n", "e.csv"); }) ==
        "e.csv:3:1: error: expected 2 fields as in the header, found 1");
  CHECK(input_error([] { parse_table("a,b\n1,\"2\n", "e.csv"); }) ==
        "e.csv:2:3: error: unterminated quoted field: expected a closing \"");
  CHECK(input_error([] { parse_table("a,b\n1,\"2\"x\n", "e.csv"); }) ==
        "e.csv:2:6: error: unexpected text after a closing quote: expected , or the end of the line");
  CHECK(input_error([] { parse_table("a,a\n", "e.csv"); }) ==
        "e.csv:1:1: error: column `a` appears twice in the header");
  CHECK(input_error([] { parse_table("a\nx\"y\n", "e.csv"); }) ==
        "e.csv:2:2: error: a quote inside an unquoted field: expected the field quoted as a whole");
  report::Table t = parse_table("a,b\n1,fast\n", "e.csv");
  CHECK(input_error([&] { report::number_at(t, 0, 1); }) ==
        "e.csv:2:1: error: column `b` holds `fast`: expected a number");
  CHECK(input_error([] {
          report::parameter_columns(parse_table("a,b\n", "e.csv"));
        }).find("e.csv:1:1: error: expected a column `point`") == 0);
}

TEST_CASE("parameter names shorten to their shortest unambiguous suffix") {
  CHECK(report::short_names({"channels.jobs.capacity", "processes.p.program.0.send.mode"}) ==
        std::vector<std::string>{"capacity", "mode"});
  CHECK(report::short_names({"channels.a.capacity", "channels.b.capacity", "seed"}) ==
        std::vector<std::string>{"a.capacity", "b.capacity", "seed"});
}

TEST_CASE("merge puts shard rows back in point order and refuses gaps, repeats and other columns") {
  report::Table one =
      parse_table(summary({"s,1,3,0,blocking,1,m,10,0.1,0,1", "s,3,3,1,blocking,1,m,30,0.3,0,1"}), "one.csv");
  report::Table two = parse_table(summary({"s,2,3,0,nonblocking,1,m,20,0.2,0,1"}), "two.csv");
  std::string merged = report::merge_shards({two, one});
  CHECK(merged == summary({"s,1,3,0,blocking,1,m,10,0.1,0,1", "s,2,3,0,nonblocking,1,m,20,0.2,0,1",
                           "s,3,3,1,blocking,1,m,30,0.3,0,1"}));
  CHECK(input_error([&] { report::merge_shards({one}); }) ==
        "one.csv: error: 1 of 3 points missing (2): expected every shard of the sweep");
  CHECK(input_error([&] {
          report::merge_shards({one, two, two});
        }) == "two.csv:2:1: error: point 2 also at two.csv:2: expected each point in one shard only");
  report::Table other = parse_table("scenario,point,sweep_points,seed\ns,2,3,1\n", "other.csv");
  CHECK(input_error([&] {
          report::merge_shards({one, other});
        }) == "other.csv:1:1: error: expected the same columns as one.csv: shards of one sweep");
}

TEST_CASE("compare matches rows on parameters and flags changes beyond the threshold in the bad direction") {
  report::Table base = parse_table(summary({"s,1,3,0,blocking,1,m,100,0.010,0,1", "s,2,3,4,blocking,1,m,200,0.020,0,1",
                                            "s,3,3,8,blocking,1,m,300,0.030,0,1"}),
                                   "base.csv");
  report::CompareOptions options;
  options.metrics = {"throughput_msgs_per_s", "latency_p99", "messages_lost"};
  options.threshold_percent = 5;

  SECTION("identical files, rows in another order: nothing flagged") {
    report::Table same =
        parse_table(summary({"s,3,3,8,blocking,1,m,300,0.030,0,9", "s,1,3,0,blocking,1,m,100,0.010,0,9",
                             "s,2,3,4,blocking,1,m,200,0.020,0,9"}),
                    "new.csv");
    report::Comparison c = report::compare_summaries(base, same, options);
    CHECK(c.values == 9);
    CHECK(c.beyond == 0);
    CHECK_FALSE(c.regressed());
  }
  SECTION("throughput down 6% and latency up 4%: only the throughput counts") {
    report::Table worse =
        parse_table(summary({"s,1,3,0,blocking,1,m,94,0.0104,0,1", "s,2,3,4,blocking,1,m,200,0.020,0,1",
                             "s,3,3,8,blocking,1,m,300,0.030,0,1"}),
                    "new.csv");
    report::Comparison c = report::compare_summaries(base, worse, options);
    CHECK(c.beyond == 1);
    CHECK(c.regressed());
    CHECK(words_of_line(render(c, CompareFormat::text), "capacity=0 mode=blocking  throughput") ==
          "capacity=0 mode=blocking throughput_msgs_per_s 100 msg/s 94 msg/s -6 msg/s 0.9400 !");
    // Seconds in human units on the terminal; the CSV keeps the numbers.
    CHECK(words_of_line(render(c, CompareFormat::text), "capacity=0 mode=blocking  latency") ==
          "capacity=0 mode=blocking latency_p99_s 10 ms 10.4 ms +400 µs 1.0400");
    CHECK_THAT(render(c, CompareFormat::csv), Catch::Contains("latency_p99_s,0.01,0.0104,+0.0004,1.0400"));
  }
  SECTION("better in the good direction is never flagged; a loss where there was none is") {
    report::Table mixed =
        parse_table(summary({"s,1,3,0,blocking,1,m,150,0.001,0,1", "s,2,3,4,blocking,1,m,200,0.020,3,1",
                             "s,3,3,8,blocking,1,m,300,0.030,0,1"}),
                    "new.csv");
    report::Comparison c = report::compare_summaries(base, mixed, options);
    CHECK(c.beyond == 1);
    CHECK(words_of_line(render(c, CompareFormat::text), "capacity=4 mode=blocking  messages_lost") ==
          "capacity=4 mode=blocking messages_lost 0 3 +3 - !");
  }
  SECTION("rows present in one file only are listed and count as a difference") {
    report::Table fewer =
        parse_table(summary({"s,1,3,0,blocking,1,m,100,0.010,0,1", "s,2,3,4,blocking,1,m,200,0.020,0,1",
                             "s,3,3,16,blocking,1,m,300,0.030,0,1"}),
                    "new.csv");
    report::Comparison c = report::compare_summaries(base, fewer, options);
    CHECK(c.only_in_base_points.size() == 1);
    CHECK(c.only_in_new_points.size() == 1);
    CHECK(render(c, CompareFormat::text).find("only in base.csv: capacity=8 mode=blocking\n") != std::string::npos);
    CHECK(render(c, CompareFormat::text).find("only in new.csv: capacity=16 mode=blocking\n") != std::string::npos);
    CHECK(c.regressed());
  }
  SECTION("as CSV, a row per value; as JSON, every text a string with its quotes and controls escaped") {
    report::Table worse =
        parse_table(summary({"s,1,3,0,blocking,1,m,94,0.010,0,1", "s,2,3,4,blocking,1,m,200,0.020,0,1",
                             "s,3,3,8,\"a\"\"b\\\nc\",1,m,300,0.030,0,1"}),
                    "new.csv");
    report::Comparison c = report::compare_summaries(base, worse, options);
    const report::Table csv = parse_table(render(c, CompareFormat::csv), "compare.csv");
    REQUIRE(csv.header ==
            std::vector<std::string>{"point", "metric", "base", "new", "diff", "ratio", "interval", "beyond"});
    CHECK(csv.rows.size() == c.rows.size());
    CHECK(csv.rows[0] == std::vector<std::string>{"capacity=0 mode=blocking", "throughput_msgs_per_s", "100", "94",
                                                  "-6", "0.9400", "", "1"});
    const std::string json = render(c, CompareFormat::json);
    CHECK_THAT(json, Catch::StartsWith(R"({"base_file": "base.csv", "new_file": "new.csv", "threshold_percent": 5, )"));
    CHECK_THAT(json, Catch::Contains(R"("beyond": 1, )"));
    CHECK_THAT(json, Catch::Contains(R"("only_in_new": ["capacity=8 mode=a\"b\\\u000ac"])"));
    CHECK_THAT(json, Catch::Contains(
                         R"({"point": "capacity=0 mode=blocking", "metric": "throughput_msgs_per_s", "base": 100, )"
                         R"("new": 94, "diff": -6, "ratio": 0.9400, "interval": null, "beyond": true})"));
    CHECK(json.find('\n') == json.size() - 1);     // one line: the newline inside the label is escaped
    CHECK(json.find(": +") == std::string::npos);  // JSON numbers have no leading plus
    CHECK_THAT(render(report::compare_summaries(base, base, options), CompareFormat::json),
               Catch::Contains(R"("diff": 0, )"));
  }
  SECTION("bad input: other swept paths, a repeated point, an unknown metric, a non-number") {
    report::Table other = parse_table("scenario,point,sweep_points,seed,throughput_msgs_per_s\ns,1,1,1,5\n", "new.csv");
    CHECK(input_error([&] {
            report::compare_summaries(base, other, options);
          }).find("new.csv:1:1: error: swept parameters none differ from base.csv's") == 0);
    report::Table repeated =
        parse_table(summary({"s,1,3,0,blocking,1,m,1,1,0,1", "s,2,3,0,blocking,1,m,1,1,0,1"}), "new.csv");
    CHECK(input_error([&] { report::compare_summaries(base, repeated, options); }) ==
          "new.csv:3:1: error: this row has the scenario and parameters of line 2: expected one row per point");
    options.metrics = {"speed"};
    CHECK(input_error([&] {
            report::compare_summaries(base, base, options);
          }).find("base.csv:1:1: error: --metrics `speed`") == 0);
    report::Table two_latencies =
        parse_table("scenario,point,sweep_points,seed,latency_p50_s,latency_p99_s\ns,1,1,1,1,2\n", "l.csv");
    CHECK(report::find_metric(two_latencies, "latency", "--metrics") == 4);  // a prefix: the first such column
    CHECK(report::find_metric(two_latencies, "latency_p99", "--metrics") == 5);
  }
}

TEST_CASE("compare with 95% intervals: a change within them is noise, not a regression") {
  // Throughput 100 +- 3 before, a 1% threshold. After: 94 +- 4 differs by 6 > hypot(3, 4) = 5:
  // outside, a regression; 95 +- 4 differs by 5, not more: within, counted apart. Latency has
  // no interval.
  auto replicated = [](const std::string& throughput, const std::string& half, const std::string& file) {
    return parse_table(
        "scenario,point,sweep_points,seed,model,replications,throughput_msgs_per_s,"
        "throughput_msgs_per_s_ci95,latency_mean_s\n"
        "s,1,1,1,m,5," +
            throughput + "," + half + ",1\n",
        file);
  };
  const report::Table base = replicated("100", "3", "base.csv");
  report::CompareOptions options;
  options.metrics = {"throughput_msgs_per_s", "latency_mean_s"};
  options.threshold_percent = 1;
  const report::Comparison outside = report::compare_summaries(base, replicated("94", "4", "new.csv"), options);
  CHECK(outside.beyond == 1);
  CHECK(outside.within_intervals == 0);
  CHECK(outside.rows[0].interval == report::Comparison::Interval::outside);
  CHECK(outside.rows[1].interval == report::Comparison::Interval::none);
  CHECK(words_of_line(render(outside, CompareFormat::text), "s ") ==
        "s throughput_msgs_per_s 100 msg/s 94 msg/s -6 msg/s 0.9400 outside !");
  const report::Comparison within = report::compare_summaries(base, replicated("95", "4", "new.csv"), options);
  CHECK(within.beyond == 0);
  CHECK(within.within_intervals == 1);
  CHECK_FALSE(within.regressed());
  CHECK_THAT(render(within, CompareFormat::text), Catch::Contains("1 more within the 95% intervals (not counted)"));
  CHECK_THAT(render(within, CompareFormat::json), Catch::Contains(R"("interval": "within", "beyond": false})"));
  // A file without intervals on one side: the threshold alone decides.
  const report::Table plain = parse_table(
      "scenario,point,sweep_points,seed,model,throughput_msgs_per_s,latency_mean_s\ns,1,1,1,m,95,1\n", "plain.csv");
  CHECK(report::compare_summaries(base, plain, options).beyond == 1);
}

TEST_CASE("compare --match pairs rows on the named columns, across differently named scenarios") {
  const report::Table base =
      parse_table(summary({"a,1,2,0,blocking,1,m,100,0.010,0,1", "a,2,2,4,blocking,1,m,200,0.020,0,1"}), "base.csv");
  const report::Table renamed =
      parse_table(summary({"b,1,2,4,blocking,1,m,180,0.020,0,1", "b,2,2,0,blocking,1,m,100,0.010,0,1"}), "new.csv");
  report::CompareOptions options;
  options.metrics = {"throughput_msgs_per_s"};
  // By default the scenario's name is part of a row's key: nothing matches.
  CHECK(report::compare_summaries(base, renamed, options).only_in_base_points.size() == 2);
  options.match = {"channels.jobs.capacity"};
  const report::Comparison c = report::compare_summaries(base, renamed, options);
  CHECK(c.only_in_base_points.empty());
  CHECK(c.values == 2);
  CHECK(c.beyond == 1);  // capacity 4: 200 -> 180
  CHECK(words_of_line(render(c, CompareFormat::text), "capacity=4") ==
        "capacity=4 throughput_msgs_per_s 200 msg/s 180 msg/s -20 msg/s 0.9000 !");
  // Matching on `point` pairs rows by position in the sweep instead.
  options.match = {"point"};
  const report::Comparison by_point = report::compare_summaries(base, renamed, options);
  REQUIRE(by_point.rows.size() == 2);
  CHECK(by_point.rows[0].point == "point=1");
  CHECK(by_point.rows[0].next == "180");
  options.match = {"colour"};
  CHECK(input_error([&] { report::compare_summaries(base, renamed, options); }) ==
        "base.csv:1:1: error: expected a column `colour` (named by --match)");
  options.match = {"seed"};
  CHECK(input_error([&] { report::compare_summaries(base, renamed, options); }) ==
        "base.csv:3:1: error: this row has the matched values of line 2: expected one row per point");
}

TEST_CASE("a sweep's plot script draws each metric against the swept parameter, one series per other value") {
  report::Table sweep =
      parse_table(summary({"s,1,4,0,blocking,1,m,100,0.001,0,1", "s,2,4,0,nonblocking,1,m,90,,0,1",
                           "s,3,4,unbounded,blocking,1,m,300,0.1,0,1", "s,4,4,unbounded,nonblocking,1,m,280,0.2,0,1"}),
                  "sweep.csv");
  report::PlotOptions options;
  options.default_output = "sweep.svg";
  std::string script = report::plot_script(sweep, options);
  CHECK(script.find("if (!exists('output')) output = 'sweep.svg'") != std::string::npos);
  // Capacity is not numeric (unbounded): categories in order of appearance, labelled.
  CHECK(script.find("$series1 << EOD\n0 100 0.001\n1 300 0.1\nEOD") != std::string::npos);
  CHECK(script.find("$series2 << EOD\n0 90 ?\n1 280 0.2\nEOD") != std::string::npos);
  CHECK(script.find("set xtics noenhanced ('0' 0, 'unbounded' 1)") != std::string::npos);
  CHECK(script.find("set xlabel 'capacity' noenhanced") != std::string::npos);
  CHECK(script.find("set ylabel 'throughput (messages/s)' noenhanced\nunset logscale y") != std::string::npos);
  CHECK(script.find("set ylabel 'latency p99 (s)' noenhanced\nset logscale y") != std::string::npos);
  CHECK(script.find("using 1:2 with linespoints pointtype 7 title 'mode=blocking'") != std::string::npos);
  CHECK(script.find("title 'mode=nonblocking'") != std::string::npos);
  CHECK(testing::gnuplot_script_violation(script).empty());

  options.x = "mode";
  options.y = {"throughput"};
  script = report::plot_script(sweep, options);
  CHECK(script.find("title 'capacity=unbounded'") != std::string::npos);
  CHECK(script.find("set multiplot layout 1,1") != std::string::npos);

  options.x = "size";
  CHECK(input_error([&] { report::plot_script(sweep, options); }) ==
        "sweep.csv:1:1: error: --x `size`: expected one of the swept parameters: capacity, mode");
  report::Table single = parse_table("scenario,point,sweep_points,seed,throughput_msgs_per_s\ns,1,1,1,5\n", "one.csv");
  CHECK(input_error([&] { report::plot_script(single, {}); }) ==
        "one.csv: error: no swept parameter varies: expected the summary CSV of a sweep (for one run, plot its "
        "series CSV, from run --series DT, or its trace CSV)");
}

TEST_CASE("a sweep's channels CSV plots a series per channel, never one line through them all") {
  // Two points, two channels each: each channel's line joins its own rows only.
  const report::Table channels = parse_table(
      "scenario,point,sweep_points,capacity,seed,model,channel,throughput_msgs_per_s\n"
      "s,1,2,1,1,m,raw,100\ns,1,2,1,1,m,parsed,50\ns,2,2,4,1,m,raw,200\ns,2,2,4,1,m,parsed,150\n",
      "sweep.channels.csv");
  report::PlotOptions options;
  options.y = {"throughput"};
  const std::string script = report::plot_script(channels, options);
  CHECK(script.find("$series1 << EOD\n1 100\n4 200\nEOD") != std::string::npos);
  CHECK(script.find("$series2 << EOD\n1 50\n4 150\nEOD") != std::string::npos);
  CHECK(script.find("title 'raw' noenhanced") != std::string::npos);
  CHECK(script.find("title 'parsed' noenhanced") != std::string::npos);
  CHECK(testing::gnuplot_script_violation(script).empty());
  // A processes CSV likewise, with the other varying parameters beside the process.
  const report::Table processes = parse_table(
      "scenario,point,sweep_points,capacity,mode,seed,model,process,sending_fraction\n"
      "s,1,2,1,a,1,m,p,0.5\ns,1,2,1,a,1,m,q,0.1\ns,2,2,4,b,1,m,p,0.25\ns,2,2,4,b,1,m,q,0.2\n",
      "sweep.processes.csv");
  options.y = {"sending_fraction"};
  options.x = "capacity";
  const std::string by_process = report::plot_script(processes, options);
  CHECK(by_process.find("title 'p mode=a' noenhanced") != std::string::npos);
  CHECK(by_process.find("title 'q mode=b' noenhanced") != std::string::npos);
}

TEST_CASE("a replicated sweep's plot script draws each metric with its 95% interval as error bars") {
  const report::Table sweep = parse_table(
      "scenario,point,sweep_points,capacity,seed,model,replications,throughput_msgs_per_s,"
      "throughput_msgs_per_s_ci95,latency_max_s\n"
      "s,1,2,1,1,m,5,100,4.5,0.3\ns,2,2,2,1,m,5,120,,0.2\n",
      "replicated.csv");
  report::PlotOptions options;
  options.y = {"throughput", "latency_max"};
  const std::string script = report::plot_script(sweep, options);
  // Each data line: x, then the throughput and its half-width, then the maximum (no interval).
  CHECK(script.find("$series1 << EOD\n1 100 4.5 0.3\n2 120 ? 0.2\nEOD") != std::string::npos);
  CHECK(script.find("set ylabel 'throughput (messages/s), 95% interval' noenhanced") != std::string::npos);
  CHECK(script.find("using 1:2:3 with yerrorlines pointtype 7") != std::string::npos);
  CHECK(script.find("using 1:4 with linespoints pointtype 7") != std::string::npos);
  CHECK(testing::gnuplot_script_violation(script).empty());
}

TEST_CASE("a trace's plot script draws the latency CDF of delivered messages per declared channel") {
  report::Table trace = parse_table(
      "id,sender,receiver,channel,size_bytes,send_call_s,accepted_s,received_s,send_return_s,outcome,reason\n"
      "0,a,b,link:a->b,1,0,0.5,1,1,delivered,\n"
      "1,a,,link:a->b,1,1,,,1,failed,would_block\n"
      "2,b,a,link:b->a,1,2,2.5,5,3,delivered,\n"
      "3,c,s,jobs@s.0,1,0,1,3,3,delivered,\n",
      "trace.csv");
  std::string script = report::plot_script(trace, {});
  CHECK(script.find("$series1 << EOD\n1 0.5\n3 1\n3 1\nEOD") != std::string::npos);  // link: 1 s and 3 s
  CHECK(script.find("$series2 << EOD\n3 1\n3 1\nEOD") != std::string::npos);         // jobs: 3 s
  CHECK(script.find("title 'link'") != std::string::npos);
  CHECK(script.find("title 'jobs'") != std::string::npos);
  CHECK(testing::gnuplot_script_violation(script).empty());
}

TEST_CASE("user text reaches a plot script only as a single-quoted literal, whatever it holds") {
  // Backquotes run commands and @ expands macros everywhere in gnuplot but inside single
  // quotes; a line break would end the command; a quote would end the literal.
  const std::vector<std::string> hostile{"`touch x`", "$(touch x)", "a\nsystem(\"touch x\")",  "it's",
                                         "\\",        "@m",         "'; system('touch x'); '", "x\r\x1b[2J",
                                         "\xff\xfe"};
  for (const std::string& text : hostile) {
    INFO(printable(text));
    std::string csv = report::table_csv(
        {"scenario", "point", "sweep_points", "path.to." + text, "seed", text, "throughput_msgs_per_s",
         "latency_p99_s"},
        {{text, "1", "2", text, "1", "1", "5", "1"}, {text, "2", "2", text + "2", "1", "1", "6", "2"}});
    report::PlotOptions options;
    options.default_output = text + ".svg";
    report::Table table = parse_table(csv, text + ".csv");
    const std::string summary = report::plot_script(table, options);
    CHECK(testing::gnuplot_script_violation(summary) == "");
    CHECK(summary.find(single_quoted(text + "2")) != std::string::npos);  // the category, as a tic label

    std::string trace =
        report::table_csv({"id", "sender", "receiver", "channel", "send_call_s", "received_s", "outcome"},
                          {{"0", text, text, text, "0", "1", "delivered"}});
    CHECK(testing::gnuplot_script_violation(report::plot_script(parse_table(trace, text), options)) == "");
  }
  // The checker sees a breach: text outside a literal, a line break inside one, a data block
  // with a string, a double-quoted string.
  CHECK(testing::gnuplot_script_violation("set title `touch x`\n") != "");
  CHECK(testing::gnuplot_script_violation("set title 'a\nsystem(1)'\n") != "");
  CHECK(testing::gnuplot_script_violation("$series1 << EOD\n1 \"a\"\nEOD\n") != "");
  CHECK(testing::gnuplot_script_violation("set title \"x\"\n") != "");
  CHECK(testing::gnuplot_script_violation("plot system\n") != "");
}

TEST_CASE("a command's outputs are put in place all together or not at all, leaving no temporary file") {
  test::TempDir dir;
  const std::string a = dir.write("a.csv", "old a\n"), b = dir.path.string() + "/b.csv";
  {
    report::OutputFiles files({dir.write("in.yaml", "input\n")});
    files.expect("-o", a);
    files.expect("--trace", b);
    files.stage(a, "new a\n");
    files.stage(b, "new b\n");
    CHECK(test::read(a) == "old a\n");  // staged: nothing in place yet
    // Interrupted here: the command returns without commit().
  }
  CHECK(test::read(a) == "old a\n");
  CHECK(!test::fs::exists(b));
  std::size_t files_left = 0;
  for ([[maybe_unused]] const auto& entry : test::fs::directory_iterator(dir.path)) ++files_left;
  CHECK(files_left == 2);  // a.csv and in.yaml: the temporaries are gone
  {
    report::OutputFiles files;
    files.expect("-o", a);
    files.expect("--trace", b);
    files.stage(a, "new a\n");
    files.stage(b, "new b\n");
    files.commit();
  }
  CHECK(test::read(a) == "new a\n");
  CHECK(test::read(b) == "new b\n");
  // A writer that fails abandons its output and leaves the old file.
  {
    report::OutputFiles files;
    files.expect("-o", a);
    CHECK_THROWS(files.stage_with(a, [](int) { throw std::runtime_error("disk full"); }));
  }
  CHECK(test::read(a) == "new a\n");
}

TEST_CASE("compare's table prints any number a CSV holds, a subnormal one too") {
  const std::string header = "scenario,point,sweep_points,seed,model,stop_reason,latency_p99_s\n";
  const report::Table base = report::parse_table(header + "s,1,1,1,m,time,1e-310\n", "base.csv");
  const report::Table next = report::parse_table(header + "s,1,1,1,m,time,2e-310\n", "new.csv");
  report::CompareOptions options;
  options.metrics = {"latency_p99"};
  const report::Comparison c = report::compare_summaries(base, next, options);
  CHECK_THAT(render(c, report::CompareFormat::text), Catch::Contains("1e-301 ns"));
}
