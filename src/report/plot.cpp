#include "plot.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "human_units.hpp"
#include "scenario/input_error.hpp"
#include "scenario/text.hpp"

extern char** environ;

namespace ipcsim::report {
namespace {

// A file in memory that gnuplot reads its script from or writes its image to, closed at the end.
struct MemoryFile {
  int fd;
  explicit MemoryFile(const char* name) : fd(::memfd_create(name, MFD_CLOEXEC)) {
    if (fd < 0) throw std::runtime_error(fmt::format("cannot run gnuplot: {}", std::strerror(errno)));
  }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  ~MemoryFile() { ::close(fd); }
};

// "latency_p99_s" -> "latency p99 (s)": units come from the column name's suffix.
std::string axis_label(const std::string& column) {
  const ColumnUnit of = unit_of(column);
  const char* unit = nullptr;
  switch (of.unit) {
    case Unit::messages_per_second:
      unit = "messages/s";
      break;
    case Unit::bytes_per_second:
      unit = "bytes/s";
      break;
    case Unit::per_wall_second:
      unit = "per wall-clock s";
      break;
    case Unit::per_second:
      unit = "per s";
      break;
    case Unit::seconds:
      unit = "s";
      break;
    case Unit::bytes:  // the name says it: "peak memory bytes"
    case Unit::fraction:
    case Unit::none:
      break;
  }
  std::string name(unit ? of.quantity : std::string_view(column));
  std::replace(name.begin(), name.end(), '_', ' ');
  return unit ? fmt::format("{} ({})", name, unit) : name;
}

// Positive values spread over two orders of magnitude or more read best on a log scale.
bool wants_log_scale(const std::vector<double>& values) {
  if (values.empty()) return false;
  auto [low, high] = std::minmax_element(values.begin(), values.end());
  return *low > 0 && *high / *low >= 100;
}

// The script's opening: where the image goes and in which format, both overridable with
// gnuplot -e "output='x.png'" (the format follows the extension unless `format` is given).
// Every piece of user text in the script is a single_quoted() literal: gnuplot runs `commands`
// and expands @macros everywhere else on a line, double-quoted strings included.
std::string preamble(const std::string& title, const std::string& default_output, int panels) {
  return fmt::format(
      "# Drawn by ipcsim plot; restyle freely and redraw with: gnuplot THIS_FILE\n"
      "# or elsewhere: gnuplot -e \"output='other.png'\" THIS_FILE\n"
      "source = {}\n"
      "if (!exists('output')) output = {}\n"
      "if (!exists('format')) format = (strlen(output) > 4 && output[strlen(output)-3:] eq 'png') ? 'png' : 'svg'\n"
      "if (format eq 'png') {{ set terminal pngcairo size 900,{} enhanced font 'sans,10' }} "
      "else {{ set terminal svg size 900,{} dynamic enhanced font 'sans,10' background 'white' }}\n"
      "set output output\n"
      "set datafile missing '?'\n"
      "set grid\n"
      "set format y '%g'\n"
      "set lmargin 12\n"
      "set key outside right top\n",
      single_quoted(title), single_quoted(default_output), 40 + 320 * panels, 40 + 320 * panels);
}

// Distinct values of a column, in order of first appearance.
std::vector<std::string> values_of(const Table& table, std::size_t column) {
  std::vector<std::string> values;
  for (const auto& row : table.rows)
    if (std::find(values.begin(), values.end(), row[column]) == values.end()) values.push_back(row[column]);
  return values;
}

bool all_numeric(const std::vector<std::string>& values) {
  return std::all_of(values.begin(), values.end(), [](const std::string& v) { return as_number(v).has_value(); });
}

// The swept parameters of a summary CSV and which one goes on the x axis.
struct SweepAxes {
  std::vector<std::size_t> parameters;  // their columns
  std::vector<std::string> names;       // short names, for labels
  std::vector<std::size_t> varying;     // indexes into `parameters` of those taking several values
  std::size_t x = 0;                    // index into `parameters`
  std::vector<std::string> x_values;
  bool x_numeric = false;
};

// --x names the parameter; by default the first varying one that is numeric, or the first varying.
SweepAxes sweep_axes(const Table& table, const std::string& wanted_x) {
  SweepAxes axes;
  axes.parameters = parameter_columns(table);
  const std::vector<std::string> paths = parameter_names(table);
  axes.names = short_names(paths);
  for (std::size_t i = 0; i < axes.parameters.size(); ++i)
    if (values_of(table, axes.parameters[i]).size() > 1) axes.varying.push_back(i);
  if (!wanted_x.empty()) {
    axes.x = axes.parameters.size();
    for (std::size_t i = 0; i < axes.parameters.size(); ++i)
      if (paths[i] == wanted_x || axes.names[i] == wanted_x) axes.x = i;
    if (axes.x == axes.parameters.size())
      throw InputError(
          {table.file, 1, 1},
          fmt::format("--x `{}`: expected one of the swept parameters: {}", wanted_x,
                      axes.names.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(axes.names, ", "))));
  } else if (axes.varying.empty()) {
    throw InputError({table.file},
                     "no swept parameter varies: expected the summary CSV of a sweep (for one run, "
                     "plot its series CSV, from run --series DT, or its trace CSV)");
  } else {
    auto numeric = std::find_if(axes.varying.begin(), axes.varying.end(),
                                [&](std::size_t i) { return all_numeric(values_of(table, axes.parameters[i])); });
    axes.x = numeric != axes.varying.end() ? *numeric : axes.varying.front();
  }
  axes.x_values = values_of(table, axes.parameters[axes.x]);
  axes.x_numeric = all_numeric(axes.x_values);
  return axes;
}

// A table's rows grouped by the label `label_of(row)` gives them: each label and its rows,
// in order of first appearance.
using RowGroups = std::vector<std::pair<std::string, std::vector<std::size_t>>>;
template <class LabelOf>
RowGroups group_rows(const Table& table, LabelOf label_of) {
  RowGroups groups;
  std::map<std::string, std::size_t> index;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    std::string label = label_of(r);
    auto [at, added] = index.try_emplace(label, groups.size());
    if (added) groups.emplace_back(std::move(label), std::vector<std::size_t>{});
    groups[at->second].second.push_back(r);
  }
  return groups;
}

// One series per combination of the other varying parameters, and per channel or process
// where each point has a row for each (a channels or processes CSV): a line through all of
// them would join unrelated figures.
RowGroups series_of(const Table& table, const SweepAxes& axes) {
  std::optional<std::size_t> entity = table.column("channel");
  if (!entity) entity = table.column("process");
  return group_rows(table, [&](std::size_t r) {
    std::string label = entity ? table.rows[r][*entity] : std::string();
    for (std::size_t i : axes.varying)
      if (i != axes.x)
        label += fmt::format("{}{}={}", label.empty() ? "" : " ", axes.names[i], table.rows[r][axes.parameters[i]]);
    return label;
  });
}

// A metric to plot: its column and, for a replicated run, its 95% interval's (`<name>_ci95`).
struct Metric {
  std::size_t column;
  std::optional<std::size_t> interval;
};

// $seriesN data blocks: numbers only (a category's position on x), a metric's value followed
// by its interval's when it has one. Returns the x values used.
std::vector<double> data_blocks(const Table& table, const SweepAxes& axes, const RowGroups& series,
                                const std::vector<Metric>& metrics, std::string& script) {
  std::vector<double> x_numbers;
  const std::size_t x_column = axes.parameters[axes.x];
  for (std::size_t s = 0; s < series.size(); ++s) {
    script += fmt::format("$series{} << EOD\n", s + 1);
    for (std::size_t r : series[s].second) {
      const std::string& value = table.rows[r][x_column];
      const double position = axes.x_numeric
                                  ? *as_number(value)
                                  : static_cast<double>(std::find(axes.x_values.begin(), axes.x_values.end(), value) -
                                                        axes.x_values.begin());
      if (axes.x_numeric) x_numbers.push_back(position);
      script += fmt::format("{}", position);
      for (const Metric& metric : metrics)
        for (std::optional<std::size_t> column : {std::optional(metric.column), metric.interval}) {
          if (!column) continue;
          std::optional<double> y = number_at(table, r, *column);
          script += y ? fmt::format(" {:.9g}", *y) : std::string(" ?");
        }
      script += '\n';
    }
    script += "EOD\n";
  }
  return x_numbers;
}

// One panel per metric, a line per series; error bars where the metric has an interval.
void panels(const Table& table, const RowGroups& series, const std::vector<Metric>& metrics, std::string& script) {
  std::size_t data_column = 2;  // the metric's in the data blocks, after x
  for (const Metric& metric : metrics) {
    std::vector<double> ys;
    for (std::size_t r = 0; r < table.rows.size(); ++r)
      if (auto y = number_at(table, r, metric.column)) ys.push_back(*y);
    const std::string label = axis_label(table.header[metric.column]) + (metric.interval ? ", 95% interval" : "");
    script += fmt::format("set ylabel {} noenhanced\n{}", single_quoted(label),
                          wants_log_scale(ys) ? "set logscale y\n" : "unset logscale y\n");
    const std::string using_columns = metric.interval
                                          ? fmt::format("1:{}:{} with yerrorlines", data_column, data_column + 1)
                                          : fmt::format("1:{} with linespoints", data_column);
    script += "plot ";
    for (std::size_t s = 0; s < series.size(); ++s)
      script +=
          fmt::format("{}$series{} using {} pointtype 7 {}", s ? ", \\\n     " : "", s + 1, using_columns,
                      series[s].first.empty() ? "notitle" : "title " + single_quoted(series[s].first) + " noenhanced");
    script += '\n';
    data_column += metric.interval ? 2 : 1;
  }
}

std::string summary_script(const Table& table, const PlotOptions& options) {
  const SweepAxes axes = sweep_axes(table, options.x);
  std::vector<Metric> metrics;
  metrics.reserve(options.y.size());
  for (const std::string& name : options.y) {
    const std::size_t column = find_metric(table, name, "--y");
    metrics.push_back({column, table.column(table.header[column] + "_ci95")});
  }
  const auto series = series_of(table, axes);
  const std::string& x_name = axes.names[axes.x];

  std::string script =
      preamble(fmt::format("{}: {} against {}", table.file, fmt::format("{}", fmt::join(options.y, ", ")), x_name),
               options.default_output, static_cast<int>(metrics.size()));
  const std::vector<double> x_numbers = data_blocks(table, axes, series, metrics, script);
  script += fmt::format(
      "set multiplot layout {},1 title {} noenhanced\n", metrics.size(),
      single_quoted(fmt::format("{} ({})", table.rows.empty() ? table.file : table.rows[0][0], table.file)));
  script += fmt::format("set xlabel {} noenhanced\n", single_quoted(x_name));
  // Room at the ends, so that points (and error bars) on the first and last x stay whole.
  if (axes.x_numeric) script += "set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05\n";
  if (!axes.x_numeric) {
    // Category names as tic labels, so the data blocks hold numbers only.
    std::vector<std::string> tics;
    for (std::size_t i = 0; i < axes.x_values.size(); ++i)
      tics.push_back(fmt::format("{} {}", single_quoted(axes.x_values[i]), i));
    script += fmt::format("set xrange [-0.5:{}]\nset xtics noenhanced ({})\n",
                          static_cast<double>(axes.x_values.size()) - 0.5, fmt::join(tics, ", "));
  } else if (wants_log_scale(x_numbers)) {
    script += "set logscale x\n";
  }
  panels(table, series, metrics, script);
  return script + "unset multiplot\n";
}

// The declared channel of an instance name: jobs@server.2 and link:a->b belong to jobs and link.
std::string declared_channel(const std::string& instance) { return instance.substr(0, instance.find_first_of("@:")); }

std::string trace_script(const Table& table, const PlotOptions& options) {
  const std::size_t channel = table.require_column("channel", "(a trace CSV)");
  const std::size_t sent = table.require_column("send_call_s", "(a trace CSV)");
  const std::size_t received = table.require_column("received_s", "(a trace CSV)");
  const std::size_t outcome = table.require_column("outcome", "(a trace CSV)");
  std::map<std::string, std::vector<double>> latencies;
  std::vector<std::string> order;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    if (table.rows[r][outcome] != "delivered") continue;
    std::optional<double> from = number_at(table, r, sent), to = number_at(table, r, received);
    if (!from || !to)
      throw InputError({table.file, table.lines[r], 1}, "a delivered message needs send_call_s and received_s");
    const std::string name = declared_channel(table.rows[r][channel]);
    if (!latencies.count(name)) order.push_back(name);
    latencies[name].push_back(*to - *from);
  }
  if (order.empty()) throw InputError({table.file}, "no delivered message: expected a trace with deliveries to plot");

  std::string script = preamble(fmt::format("{}: latency distribution", table.file), options.default_output, 1);
  std::vector<double> all;
  constexpr std::size_t max_points = 1000;  // per series: enough for a smooth curve, small scripts
  for (std::size_t s = 0; s < order.size(); ++s) {
    std::vector<double>& values = latencies[order[s]];
    std::sort(values.begin(), values.end());
    all.insert(all.end(), values.begin(), values.end());
    script += fmt::format("$series{} << EOD\n", s + 1);
    const std::size_t n = values.size();
    const std::size_t step = (n + max_points - 1) / max_points;
    for (std::size_t i = 0; i < n; i += step)
      script += fmt::format("{:.9g} {:.9g}\n", values[i], double(i + 1) / double(n));
    script += fmt::format("{:.9g} 1\nEOD\n", values.back());
  }
  script += fmt::format(
      "set title {} noenhanced\nset xlabel 'latency, send call to receive return (s)'\n"
      "set ylabel 'fraction of delivered messages'\nset yrange [0:1]\n{}",
      single_quoted(fmt::format("latency CDF ({})", table.file)), wants_log_scale(all) ? "set logscale x\n" : "");
  script += "plot ";
  for (std::size_t s = 0; s < order.size(); ++s)
    script += fmt::format("{}$series{} using 1:2 with steps linewidth 2 title {} noenhanced", s ? ", \\\n     " : "",
                          s + 1, single_quoted(order[s]));
  return script + '\n';
}

// A series CSV's lines: one per point (its swept values) and channel.
RowGroups series_lines(const Table& table, std::size_t channel) {
  const std::vector<std::size_t> parameters = parameter_columns(table);
  const std::vector<std::string> names = short_names(parameter_names(table));
  std::vector<std::string> values(parameters.size());
  return group_rows(table, [&](std::size_t r) {
    for (std::size_t k = 0; k < parameters.size(); ++k) values[k] = table.rows[r][parameters[k]];
    const std::string point = point_label(names, values);
    return point.empty() ? table.rows[r][channel] : point + " " + table.rows[r][channel];
  });
}

// A run's channels over time: occupancy and throughput, a panel each, a step line per channel.
std::string series_script(const Table& table, const PlotOptions& options) {
  const char* why = "(a series CSV)";
  const std::size_t channel = table.require_column("channel", why), start = table.require_column("start_s", why),
                    end = table.require_column("end_s", why);
  const std::array<std::size_t, 2> metrics{table.require_column("occupancy_mean", why),
                                           table.require_column("throughput_msgs_per_s", why)};
  if (table.rows.empty()) throw InputError({table.file}, "no bins: expected a series CSV with rows to plot");
  const auto lines = series_lines(table, channel);
  std::string script = preamble(fmt::format("{}: channels over time", table.file), options.default_output, 2);
  for (std::size_t l = 0; l < lines.size(); ++l) {
    // Each bin's start and values; the last bin's end closes the steps.
    script += fmt::format("$series{} << EOD\n", l + 1);
    auto values = [&](std::size_t r) {
      std::string text;
      for (std::size_t column : metrics) {
        std::optional<double> y = number_at(table, r, column);
        text += y ? fmt::format(" {:.9g}", *y) : std::string(" ?");
      }
      return text;
    };
    for (std::size_t r : lines[l].second) {
      std::optional<double> from = number_at(table, r, start);
      if (!from) throw InputError({table.file, table.lines[r], 1}, "a bin needs its start_s");
      script += fmt::format("{:.9g}{}\n", *from, values(r));
    }
    const std::size_t last = lines[l].second.back();
    std::optional<double> to = number_at(table, last, end);
    if (!to) throw InputError({table.file, table.lines[last], 1}, "a bin needs its end_s");
    script += fmt::format("{:.9g}{}\nEOD\n", *to, values(last));
  }
  script += fmt::format("set multiplot layout 2,1 title {} noenhanced\nset xlabel 'simulated time (s)'\n",
                        single_quoted(fmt::format("{} ({})", table.rows[0][0], table.file)));
  const std::array<const char*, 2> labels{"occupancy, mean over the bin (messages)", "throughput (messages/s)"};
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    script += fmt::format("set ylabel {} noenhanced\nplot ", single_quoted(labels[m]));
    for (std::size_t l = 0; l < lines.size(); ++l)
      script += fmt::format("{}$series{} using 1:{} with steps linewidth 2 title {} noenhanced", l ? ", \\\n     " : "",
                            l + 1, m + 2, single_quoted(lines[l].first));
    script += '\n';
  }
  return script + "unset multiplot\n";
}

}  // namespace

std::string plot_script(const Table& table, const PlotOptions& options) {
  if (table.column("send_call_s") && table.column("received_s") && table.column("outcome"))
    return trace_script(table, options);
  if (table.column("bin") && table.column("start_s") && table.column("occupancy_mean"))
    return series_script(table, options);
  return summary_script(table, options);
}

void render_plot(const std::string& script, int image_fd, ImageFormat format) {
  // The script comes on gnuplot's standard input and the image leaves on its standard output,
  // so no path of the user's goes into its command line.
  const MemoryFile script_file("ipcsim-plot");
  const int script_fd = script_file.fd;
  for (std::size_t at = 0; at < script.size();) {
    const ssize_t n = ::write(script_fd, script.data() + at, script.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error(fmt::format("cannot run gnuplot: {}", std::strerror(errno)));
    at += static_cast<std::size_t>(n);
  }
  ::lseek(script_fd, 0, SEEK_SET);
  std::string settings = fmt::format("output='/dev/stdout'; format='{}'", format == ImageFormat::png ? "png" : "svg");
  int messages[2];
  if (::pipe2(messages, O_CLOEXEC) != 0) throw std::runtime_error("cannot run gnuplot: no pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, script_fd, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, image_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, messages[1], STDERR_FILENO);
  std::string program = "gnuplot", option = "-e", from_stdin = "-";
  char* argv[] = {program.data(), option.data(), settings.data(), from_stdin.data(), nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, "gnuplot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(messages[1]);
  std::string output;
  char buffer[4096];
  for (ssize_t n; spawned == 0 && ((n = ::read(messages[0], buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR));)
    if (n > 0) output.append(buffer, static_cast<std::size_t>(n));
  ::close(messages[0]);
  if (spawned == ENOENT)
    throw std::runtime_error("gnuplot not found on PATH: install it (apt-get install gnuplot-nox) to plot");
  if (spawned != 0) throw std::runtime_error(fmt::format("cannot run gnuplot: {}", std::strerror(spawned)));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(fmt::format("gnuplot failed: {}", printable(output)));
}

std::string render_svg(const std::string& script) {
  const MemoryFile image("ipcsim-plot-image");
  const int image_fd = image.fd;
  render_plot(script, image_fd, ImageFormat::svg);
  std::string svg;
  ::lseek(image_fd, 0, SEEK_SET);
  char buffer[65536];
  for (ssize_t n; (n = ::read(image_fd, buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(fmt::format("cannot read gnuplot's image: {}", std::strerror(errno)));
    svg.append(buffer, static_cast<std::size_t>(n));
  }
  return svg;
}

}  // namespace ipcsim::report
