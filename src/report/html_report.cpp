#include "html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <string_view>
#include <vector>

#include "human_units.hpp"
#include "plot.hpp"
#include "scenario/input_error.hpp"
#include "scenario/text.hpp"

namespace ipcsim::report {
namespace {

// Print-friendly and plain: tables, figures and the chart scale to the page.
constexpr std::string_view page_style = R"(
body { font: 14px/1.45 system-ui, sans-serif; color: #222; max-width: 1240px; margin: 0 auto; padding: 0 16px 32px; }
h1 { font-size: 26px; margin: 20px 0 4px; } h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; }
.made { color: #555; margin: 0 0 8px; } code { background: #f3f3f3; padding: 1px 4px; border-radius: 3px; }
nav a { margin-right: 14px; } nav { margin: 8px 0 4px; }
.figures { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; }
.figure { border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; min-width: 130px; }
.figure .value { font-size: 19px; font-weight: 600; } .figure .name { color: #555; font-size: 12px; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 3px 9px; text-align: left; vertical-align: top; }
th { background: #f6f6f6; font-weight: 600; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.warning { color: #b71c1c; font-weight: 600; } .note { color: #555; }
.shares { display: flex; width: 260px; height: 14px; border: 1px solid #999; }
.shares span { display: block; height: 100%; } .key { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: -1px; border: 1px solid #999; }
figure { margin: 10px 0; } figure img, figure svg { max-width: 100%; height: auto; } figcaption { color: #555; }
@media print {
  nav, details { display: none; } body { max-width: none; padding: 0; }
  section { break-inside: avoid-page; } h2 { break-after: avoid; }
  .shares span, .key { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .wide { overflow: visible; } .wide table { table-layout: fixed; width: 100%; font-size: 10px; }
  th, td { padding: 2px 4px; overflow-wrap: anywhere; }
}
)";

std::string escaped(std::string_view text) { return markup_text(text); }

// 1234567 -> "1,234,567": counts read at a glance.
std::string grouped(double value) {
  std::string digits = fmt::format("{:.0f}", std::abs(value));
  for (std::size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, ",");
  return (value < 0 ? "-" : "") + digits;
}

// A cell as a person reads it: a number in its column's unit (with its 95% interval when the
// run was replicated), a count with its thousands, text as it is. Escaped.
std::string cell_text(const Table& table, std::size_t row, std::size_t column) {
  const std::string& cell = table.rows[row][column];
  const std::optional<double> value = as_number(cell);
  if (!value) return escaped(cell);
  const std::string& name = table.header[column];
  if (name.starts_with("measured_vs_modeled_")) return fmt::format("{:+.1f}%", 100 * *value);
  if (name.ends_with("utilisation")) return fmt::format("{:.1f}%", 100 * *value);  // a share without _fraction
  const bool count = unit_of(name).unit == Unit::none && *value == std::floor(*value) && std::abs(*value) < 1e15;
  std::string text = count ? grouped(*value) : human_value(name, *value);
  if (auto interval = table.column(name + "_ci95"))
    if (auto half_width = as_number(table.rows[row][*interval])) text += " ± " + human_value(name, *half_width);
  return escaped(text);
}

// A column's name that may wrap after its underscores, so that tables of long names fit.
std::string heading_html(std::string_view name) {
  std::string html;
  for (std::size_t at = 0; at < name.size();) {
    const std::size_t end = std::min(name.find('_', at), name.size() - 1) + 1;
    html += escaped(name.substr(at, end - at));
    if (end < name.size()) html += "<wbr>";
    at = end;
  }
  return html;
}

bool holds_something(const Table& table, std::size_t column) {
  return std::any_of(table.rows.begin(), table.rows.end(), [&](const auto& row) { return !row[column].empty(); });
}

// The columns among `wanted` that the table has and that some row fills, in `wanted`'s order.
std::vector<std::size_t> filled_columns(const Table& table, std::initializer_list<std::string_view> wanted) {
  std::vector<std::size_t> columns;
  for (std::string_view name : wanted)
    if (auto column = table.column(name); column && holds_something(table, *column)) columns.push_back(*column);
  return columns;
}

// The swept parameters, for tables of a sweep: their columns and short names (none for one point).
struct SweptColumns {
  std::vector<std::size_t> columns;
  std::vector<std::string> names;
};
SweptColumns swept_columns(const Table& table) {
  if (table.rows.size() < 2) return {};
  return {parameter_columns(table), short_names(parameter_names(table))};
}

// A table of the given columns, headed by their names (or `headings`), a row per CSV row
// up to report_max_rows; `extra` adds a cell per row, after its first `after` columns.
struct Extra {
  std::string heading;
  std::function<std::string(std::size_t row)> cell;  // HTML
  std::size_t after = 0;                             // columns before it
};
std::string table_html(const Table& table, const std::vector<std::size_t>& columns,
                       const std::vector<std::string>& headings = {}, const std::optional<Extra>& extra = {}) {
  std::string html = "<div class=\"wide\"><table>\n<thead><tr>";
  for (std::size_t i = 0; i <= columns.size(); ++i) {
    if (extra && extra->after == i) html += "<th>" + heading_html(extra->heading) + "</th>";
    if (i < columns.size())
      html += "<th>" + heading_html(i < headings.size() ? headings[i] : table.header[columns[i]]) + "</th>";
  }
  html += "</tr></thead>\n<tbody>\n";
  const std::size_t shown = std::min(table.rows.size(), report_max_rows);
  for (std::size_t r = 0; r < shown; ++r) {
    html += "<tr>";
    for (std::size_t i = 0; i <= columns.size(); ++i) {
      if (extra && extra->after == i) html += "<td>" + extra->cell(r) + "</td>";
      if (i < columns.size())
        html += fmt::format("<td{}>{}</td>", as_number(table.rows[r][columns[i]]) ? " class=\"n\"" : "",
                            cell_text(table, r, columns[i]));
    }
    html += "</tr>\n";
  }
  html += "</tbody></table></div>\n";
  if (shown < table.rows.size())
    html += fmt::format("<p class=\"note\">The first {} of {} rows; {} holds them all.</p>\n", shown, table.rows.size(),
                        escaped(table.file));
  return html;
}

// The table's rows by these columns, a sweep's parameters first.
std::string rows_html(const Table& table, std::initializer_list<std::string_view> wanted,
                      std::optional<Extra> extra = {}) {
  SweptColumns swept = swept_columns(table);
  if (extra) extra->after += swept.columns.size();
  for (std::size_t column : filled_columns(table, wanted)) {
    swept.columns.push_back(column);
    swept.names.push_back(table.header[column]);
  }
  return table_html(table, swept.columns, swept.names, extra);
}

std::string base64(std::string_view bytes) {
  static constexpr std::string_view digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t at = 0; at < bytes.size(); at += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - at);
    std::uint32_t group = 0;
    for (std::size_t i = 0; i < 3; ++i) group = (group << 8) | (i < n ? static_cast<unsigned char>(bytes[at + i]) : 0U);
    for (std::size_t i = 0; i < 4; ++i) out += i <= n ? digits[(group >> (18 - 6 * i)) & 63U] : '=';
  }
  return out;
}

// A gnuplot plot of `table` (what `ipcsim plot` draws of it) as an image in the page.
std::string plot_html(const PlotDrawer& draw, const Table& table, const PlotOptions& options,
                      std::string_view caption) {
  const std::string svg = draw(plot_script(table, options));
  return fmt::format(
      "<figure><img alt=\"{0}\" src=\"data:image/svg+xml;base64,{1}\"><figcaption>{0}</figcaption></figure>\n",
      escaped(caption), base64(svg));
}

std::string figure_html(std::string_view name, const std::string& value_html) {
  return fmt::format(R"(<div class="figure"><div class="value">{}</div><div class="name">{}</div></div>)", value_html,
                     escaped(name));
}

// A run's key figures, where the summary has them.
std::string figures_html(const Table& summary, std::initializer_list<std::string_view> names) {
  std::string html = "<div class=\"figures\">";
  for (std::size_t column : filled_columns(summary, names))
    html += figure_html(summary.header[column], cell_text(summary, 0, column));
  return html + "</div>\n";
}

// The title, and what made the results: the scenario, the overrides, the model, the seed, the version.
std::string heading_html(const Table& summary) {
  const auto& first = summary.rows.front();
  auto value_of = [&](std::string_view name) {
    auto column = summary.column(name);
    return column ? first[*column] : std::string();
  };
  std::string command = "ipcsim run " + value_of("scenario_file");
  if (const std::string overrides = value_of("overrides"); !overrides.empty()) command += " " + overrides;
  return fmt::format(
      "<h1>{}</h1>\n<p class=\"made\">{} of {}, model <b>{}</b>, seed {}, made by ipcsim {}: "
      "<code>{}</code></p>\n",
      escaped(first[0]),
      summary.rows.size() == 1 ? std::string("One run") : fmt::format("{} points", summary.rows.size()),
      escaped(summary.file), escaped(value_of("model")), escaped(value_of("seed")), escaped(value_of("ipcsim_version")),
      escaped(command));
}

// Columns whose name starts with `prefix`, and whose count in the run's row is not zero.
std::vector<std::size_t> nonzero_columns(const Table& summary, std::string_view prefix) {
  std::vector<std::size_t> columns;
  for (std::size_t c = 0; c < summary.header.size(); ++c)
    if (summary.header[c].starts_with(prefix) && !summary.header[c].ends_with("_ci95"))
      if (auto count = as_number(summary.rows[0][c]); count && *count != 0) columns.push_back(c);
  return columns;
}

// How one run's messages ended, by reason, and whether the counts add up.
std::string fates_html(const Table& summary) {
  const char* why = "(an ipcsim summary CSV)";
  const std::array<std::size_t, 4> totals{
      summary.require_column("messages_sent", why), summary.require_column("messages_delivered", why),
      summary.require_column("messages_failed", why), summary.require_column("messages_lost", why)};
  std::array<double, 4> count{};
  for (std::size_t i = 0; i < totals.size(); ++i) count[i] = number_at(summary, 0, totals[i]).value_or(0);
  std::string html = "<table><thead><tr><th>outcome</th><th>reason</th><th>messages</th></tr></thead><tbody>\n";
  html += fmt::format("<tr><td>delivered</td><td></td><td class=\"n\">{}</td></tr>\n", grouped(count[1]));
  double failed = 0, lost = 0;
  for (auto [prefix, outcome, sum] : {std::tuple{"failed_", "failed", &failed}, std::tuple{"lost_", "lost", &lost}})
    for (std::size_t column : nonzero_columns(summary, prefix)) {
      const double n = *number_at(summary, 0, column);
      *sum += n;
      html += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>\n", outcome,
                          escaped(summary.header[column].substr(std::string_view(prefix).size())), grouped(n));
    }
  html += "</tbody></table>\n";
  const bool adds_up = count[0] == count[1] + count[2] + count[3] && failed == count[2] && lost == count[3];
  html += fmt::format("<p class=\"{}\">{}: {} sent = {} delivered + {} failed + {} lost.</p>\n",
                      adds_up ? "note" : "warning",
                      adds_up ? "Every message is accounted for" : "These counts do not add up (was the CSV edited?)",
                      grouped(count[0]), grouped(count[1]), grouped(count[2]), grouped(count[3]));
  return html;
}

std::string outcome_html(const Table& summary, const PlotDrawer& draw) {
  if (summary.rows.size() > 1) {
    std::string html = rows_html(summary, {"stop_reason", "messages_sent", "messages_delivered", "messages_failed",
                                           "messages_lost", "throughput_msgs_per_s", "latency_p50_s", "latency_p99_s",
                                           "sends_blocked_fraction", "response_mean_s"});
    PlotOptions options;
    return html + plot_html(draw, summary, options, "Throughput and 99th percentile latency across the sweep");
  }
  std::string html = figures_html(
      summary, {"stop_reason", "sim_time_s", "messages_sent", "messages_delivered", "messages_failed", "messages_lost",
                "throughput_msgs_per_s", "throughput_bytes_per_s", "latency_p50_s", "latency_p99_s", "latency_max_s",
                "sends_blocked_fraction", "response_mean_s", "end_to_end_mean_s"});
  if (auto deadlock = summary.column("deadlock"); deadlock && !summary.rows[0][*deadlock].empty())
    html += fmt::format("<p class=\"warning\">{}</p>\n", escaped(summary.rows[0][*deadlock]));
  return html + fates_html(summary);
}

// The replay on real threads (run --measure), when the run has one.
std::string measured_html(const Table& summary) {
  auto time = summary.column("measured_time_s");
  if (!time || !holds_something(summary, *time)) return {};
  const std::initializer_list<std::string_view> columns = {"measured_stop_reason",
                                                           "measured_time_s",
                                                           "measured_throughput_msgs_per_s",
                                                           "measured_vs_modeled_throughput",
                                                           "measured_latency_p50_s",
                                                           "measured_vs_modeled_latency_p50",
                                                           "measured_latency_p99_s",
                                                           "measured_vs_modeled_latency_p99",
                                                           "measured_threads",
                                                           "measured_cores"};
  std::string html = summary.rows.size() > 1 ? rows_html(summary, columns) : figures_html(summary, columns);
  if (auto note = summary.column("measured_note"); note && summary.rows.size() == 1 && !summary.rows[0][*note].empty())
    html += fmt::format("<p class=\"note\">{}</p>\n", escaped(summary.rows[0][*note]));
  return html;
}

// Each process group's time as a bar of the sequence chart's colours.
struct Share {
  std::string_view column, label;
  LaneState state;
};
constexpr std::array shares{Share{"computing_fraction", "computing", LaneState::computing},
                            Share{"sending_fraction", "sending", LaneState::blocked_send},
                            Share{"receiving_fraction", "receiving", LaneState::waiting_receive},
                            Share{"sleeping_fraction", "sleeping", LaneState::sleeping},
                            Share{"dead_fraction", "dead", LaneState::dead},
                            Share{"running_fraction", "running", LaneState::running}};

std::string processes_html(const Table& processes) {
  std::string html = "<p class=\"note\">Where the time went:";
  for (const Share& share : shares)
    html += fmt::format("<span class=\"key\" style=\"background:{}\"></span>{}", lane_style(share.state).colour,
                        share.label);
  html += "</p>\n";
  Extra bar{"where the time went",
            [&](std::size_t row) {
              std::string cell = "<div class=\"shares\">";
              for (const Share& share : shares) {
                auto column = processes.column(share.column);
                const double fraction = column ? number_at(processes, row, *column).value_or(0) : 0;
                if (fraction > 0)
                  cell += fmt::format("<span style=\"width:{:.2f}%;background:{}\" title=\"{} {:.1f}%\"></span>",
                                      100 * std::min(fraction, 1.0), lane_style(share.state).colour, share.label,
                                      100 * fraction);
              }
              return cell + "</div>";
            },
            2};
  return html + rows_html(processes,
                          {"process", "instance", "instances", "utilisation", "computing_fraction", "sending_fraction",
                           "receiving_fraction", "sleeping_fraction", "dead_fraction", "sends", "receives",
                           "messages_received"},
                          bar);
}

std::string channels_html(const Table& channels) {
  return rows_html(channels,
                   {"channel", "instance", "messages_sent", "messages_delivered", "messages_failed", "messages_lost",
                    "throughput_msgs_per_s", "latency_p50_s", "latency_p99_s", "sends_blocked_fraction",
                    "receive_wait_mean_s", "occupancy_mean", "occupancy_max", "response_mean_s", "end_to_end_mean_s",
                    "measured_throughput_msgs_per_s", "measured_latency_p50_s"});
}

std::string sequence_html(const Timeline& timeline) {
  // The chart says itself what it left out (timeline.note).
  return "<figure>" + timeline_svg(timeline) +
         "<figcaption>A lane per process, coloured by what it does; an arrow per message. Hover a bar or an arrow "
         "to see what it is.</figcaption></figure>\n";
}

// Every column of the summary, as the CSV has them (not printed).
std::string all_columns_html(const Table& summary) {
  std::string html = "<details><summary>Every column of the summary CSV</summary>\n";
  if (summary.rows.size() > 1) {
    std::vector<std::size_t> columns(summary.header.size());
    for (std::size_t c = 0; c < columns.size(); ++c) columns[c] = c;
    html += table_html(summary, columns);
  } else {
    html += "<table><tbody>\n";
    for (std::size_t c = 0; c < summary.header.size(); ++c)
      html += fmt::format("<tr><th>{}</th><td>{}</td><td class=\"note\">{}</td></tr>\n", escaped(summary.header[c]),
                          escaped(summary.rows[0][c]), cell_text(summary, 0, c));
    html += "</tbody></table>\n";
  }
  return html + "</details>\n";
}

struct Section {
  std::string id, title, body;
};

std::vector<Section> sections_of(const ReportInputs& in, const PlotDrawer& draw) {
  std::vector<Section> sections;
  sections.push_back({"outcome", in.summary.rows.size() > 1 ? "The sweep" : "Outcome", outcome_html(in.summary, draw)});
  if (std::string measured = measured_html(in.summary); !measured.empty())
    sections.push_back({"measured", "Measured on real threads", std::move(measured)});
  if (in.channels && !in.channels->rows.empty())
    sections.push_back({"channels", "Channels", channels_html(*in.channels)});
  if (in.processes && !in.processes->rows.empty())
    sections.push_back({"processes", "Processes", processes_html(*in.processes)});
  if (in.series && !in.series->rows.empty())
    sections.push_back(
        {"series", "Over time", plot_html(draw, *in.series, {}, "Occupancy and throughput per channel over time")});
  if (in.trace)
    sections.push_back({"latency", "Latency distribution",
                        plot_html(draw, *in.trace, {}, "Send call to receive return, delivered messages")});
  if (in.timeline) sections.push_back({"sequence", "Sequence chart", sequence_html(*in.timeline)});
  sections.push_back({"columns", "All columns", all_columns_html(in.summary)});
  return sections;
}

}  // namespace

std::string html_report(const ReportInputs& inputs, const PlotDrawer& draw) {
  const Table& summary = inputs.summary;
  parameter_columns(summary);  // InputError unless it is a summary CSV
  if (summary.rows.empty()) throw InputError({summary.file, 1, 1}, "no rows: expected the summary of at least one run");
  const std::vector<Section> sections = sections_of(inputs, draw);
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
      "style-src 'unsafe-inline'\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>ipcsim report: {}</title>\n<style>{}</style></head>\n<body>\n",
      escaped(summary.rows[0][0]), page_style);
  html += heading_html(summary) + "<nav>";
  for (const Section& section : sections) html += fmt::format("<a href=\"#{}\">{}</a>", section.id, section.title);
  html += "</nav>\n";
  for (const Section& section : sections)
    html += fmt::format("<section id=\"{}\"><h2>{}</h2>\n{}</section>\n", section.id, section.title, section.body);
  return html + "</body></html>\n";
}

}  // namespace ipcsim::report
