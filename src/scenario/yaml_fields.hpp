#pragma once
// Reading YAML with positions: every error names file:line:col of the offending node.
// Private to the scenario library (yaml-cpp does not leak into its public headers).
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "distribution.hpp"
#include "format.hpp"
#include "input_error.hpp"
#include "timing_model.hpp"
#include "units.hpp"

namespace ipcsim::scenario::yaml {

/// At most this many nodes in a document, counting each alias as the nodes it repeats.
inline constexpr std::size_t max_expanded_nodes = 1'000'000;
/// The longest name of a process, channel, host or link.
inline constexpr std::size_t max_name_bytes = 200;

/// Reads a file into a YAML document, mapping syntax errors, I/O failures, a second document
/// and a document that expands past max_expanded_nodes to InputError.
YAML::Node load_file(const std::string& path);
YAML::Node load_text(const std::string& text, const std::string& file);

/// The nodes in `root` with aliases expanded, up to max_expanded_nodes + 1.
std::size_t node_count(const YAML::Node& root);

/// A scalar naming a process, channel or host: not empty, at most max_name_bytes of valid
/// UTF-8, no control characters (names reach the terminal, the CSVs and other programs).
std::string name(const YAML::Node& node, const std::string& file, std::string_view what);

SourceMark mark_of(const YAML::Node& node, const std::string& file);
[[noreturn]] void fail(const YAML::Node& node, const std::string& file, const std::string& message);

/// A mapping whose keys are checked up front against its section of the format's tables
/// (format.hpp); asking for a key the section lacks is a std::logic_error.
class Fields {
 public:
  Fields(const YAML::Node& node, std::string file, std::string what, const format::Section& section);

  /// The value under `key`, or an undefined node when absent.
  YAML::Node get(std::string_view key) const;
  YAML::Node require(std::string_view key) const;
  bool has(std::string_view key) const { return get(key).IsDefined(); }
  const YAML::Node& node() const { return node_; }
  const std::string& file() const { return file_; }

  std::string string(std::string_view key, std::string fallback = {}) const;
  /// A whole number in the key's range (format::Key::min to max).
  std::uint64_t integer(std::string_view key, std::uint64_t fallback) const;
  bool boolean(std::string_view key, bool fallback) const;  // true or false
  /// One of the key's spellings (format::Key::choices).
  std::string_view choice(std::string_view key, std::string_view fallback) const;
  Seconds duration(std::string_view key, Seconds fallback) const;
  Bandwidth bandwidth(std::string_view key, Bandwidth fallback) const;

 private:
  YAML::Node node_;
  std::string file_;
  std::string what_;
  const format::Section* section_;
};

std::string scalar(const YAML::Node& node, const std::string& file, std::string_view what);
std::uint64_t integer(const YAML::Node& node, const std::string& file, std::string_view what, std::uint64_t min,
                      std::uint64_t max);
Seconds duration(const YAML::Node& node, const std::string& file);
RandomDuration random_duration(const YAML::Node& node, const std::string& file);
RandomSize random_size(const YAML::Node& node, const std::string& file);

/// A timing model written as YAML (a models/*.yaml file, or inline in a scenario).
TimingModel timing_model(const YAML::Node& node, const std::string& file, const std::string& default_name);

template <class E>
E enumeration(const YAML::Node& node, const std::string& file, std::string_view what);

}  // namespace ipcsim::scenario::yaml

#include "semantics.hpp"

template <class E>
E ipcsim::scenario::yaml::enumeration(const YAML::Node& node, const std::string& file, std::string_view what) {
  std::string text = scalar(node, file, what);
  if (auto value = parse_enum<E>(text)) return *value;
  fail(node, file, std::string(what) + ": expected " + spellings<E>() + ", found '" + text + "'");
}
