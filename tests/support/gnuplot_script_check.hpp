#pragma once
// The rule that keeps user text out of gnuplot's hands, checked on a generated script: all
// text outside single-quoted literals is ipcsim's own (words from a fixed vocabulary, numbers,
// punctuation, no ` @ or "), literals hold no line break or control character and are valid
// UTF-8, and data blocks hold numbers only. Used by a unit test and by the fuzz_plot target.
#include <cmath>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "scenario/text.hpp"

namespace ipcsim::testing {

// The words ipcsim's plot scripts are made of (commands, options, the comments' prose).
inline const std::set<std::string_view>& gnuplot_vocabulary() {
  static const std::set<std::string_view> words{
      "Drawn",    "by",        "ipcsim",    "plot",     "restyle",    "freely",      "and",         "redraw",
      "with",     "gnuplot",   "THIS_FILE", "or",       "elsewhere",  "e",           "other",       "if",
      "exists",   "output",    "format",    "strlen",   "eq",         "png",         "svg",         "set",
      "terminal", "pngcairo",  "size",      "enhanced", "font",       "else",        "dynamic",     "background",
      "datafile", "missing",   "grid",      "lmargin",  "key",        "outside",     "right",       "top",
      "source",   "multiplot", "layout",    "title",    "noenhanced", "xlabel",      "xrange",      "xtics",
      "logscale", "x",         "y",         "ylabel",   "unset",      "using",       "linespoints", "pointtype",
      "notitle",  "steps",     "linewidth", "yrange",   "EOD",        "yerrorlines", "offsets",     "graph"};
  return words;
}

inline bool gnuplot_number(std::string_view token) {
  if (token == "?") return true;
  std::string text(token);
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && std::isfinite(value);
}

/// What breaks the rule first, with its line; empty when the script keeps it.
inline std::string gnuplot_script_violation(std::string_view script) {
  bool in_data = false;
  int number = 0;
  for (std::size_t at = 0; at < script.size();) {
    const std::size_t end = std::min(script.find('\n', at), script.size());
    const std::string_view line = script.substr(at, end - at);
    at = end + 1;
    ++number;
    auto violation = [&](std::string_view what) {
      return "line " + std::to_string(number) + ": " + std::string(what) + ": " + printable(line);
    };
    if (in_data) {
      if (line == "EOD") {
        in_data = false;
        continue;
      }
      for (std::size_t t = 0; t <= line.size();) {
        const std::size_t space = std::min(line.find(' ', t), line.size());
        if (!gnuplot_number(line.substr(t, space - t))) return violation("a data line holds something not a number");
        t = space + 1;
      }
      continue;
    }
    const bool comment = line.starts_with('#');
    for (std::size_t i = 0; i < line.size();) {
      const char ch = line[i];
      const auto byte = static_cast<unsigned char>(ch);
      if (ch == '\'' && !comment) {  // a literal: up to a quote that is not doubled
        std::string content;
        for (++i;; ++i) {
          if (i >= line.size()) return violation("a literal is not closed on its line");
          if (line[i] == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
            content += '\'';
            ++i;
            continue;
          }
          if (line[i] == '\'') break;
          content += line[i];
        }
        ++i;
        if (!valid_utf8(content) || has_control_character(content)) return violation("a literal holds a control byte");
        continue;
      }
      if (byte < 0x20 || byte >= 0x7f) return violation("a control or non-ASCII byte outside a literal");
      if (ch == '`' || ch == '@') return violation("` or @ outside a literal");
      if (ch == '"' && !comment) return violation("a double-quoted string");
      if (ch == '\\' && i + 1 != line.size()) return violation("a backslash that does not continue the line");
      if (ch == '$') {
        std::size_t j = i + 1;
        if (line.substr(j, 6) != "series") return violation("$ not naming a data block");
        j += 6;
        while (j < line.size() && std::isdigit(static_cast<unsigned char>(line[j]))) ++j;
        if (line.substr(j) == " << EOD") in_data = true;
        i = j;
        continue;
      }
      if (std::isdigit(byte)) {  // a number, exponent included
        while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '.' ||
                                   ((line[i] == '+' || line[i] == '-') && (line[i - 1] == 'e' || line[i - 1] == 'E'))))
          ++i;
        continue;
      }
      if (std::isalpha(byte) || ch == '_') {
        std::size_t j = i;
        while (j < line.size() && (std::isalnum(static_cast<unsigned char>(line[j])) || line[j] == '_')) ++j;
        if (!gnuplot_vocabulary().count(line.substr(i, j - i)))
          return violation("the word '" + std::string(line.substr(i, j - i)) + "' outside a literal");
        i = j;
        continue;
      }
      ++i;
    }
  }
  return in_data ? "a data block is not closed" : "";
}

}  // namespace ipcsim::testing
