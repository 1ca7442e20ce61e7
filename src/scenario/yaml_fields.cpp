#include "yaml_fields.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <limits>
#include <set>

namespace ipcsim {

namespace yaml {

YAML::Node load_text(const std::string& text, const std::string& file) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError({file, e.mark.line + 1, e.mark.column + 1}, "invalid YAML: " + e.msg);
  }
}

YAML::Node load_file(const std::string& path) { return load_text(read_input_file(path, "a readable YAML file"), path); }

SourceMark mark_of(const YAML::Node& node, const std::string& file) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {file};
  return {file, mark.line + 1, mark.column + 1};
}

void fail(const YAML::Node& node, const std::string& file, const std::string& message) {
  throw InputError(mark_of(node, file), message);
}

Fields::Fields(const YAML::Node& node, std::string file, std::string what,
               std::initializer_list<std::string_view> allowed)
    : node_(node), file_(std::move(file)), what_(std::move(what)) {
  if (!node_.IsMap()) fail(node_, file_, fmt::format("{}: expected a mapping of keys", what_));
  std::set<std::string> seen;
  for (const auto& entry : node_) {
    std::string key = scalar(entry.first, file_, what_ + " key");
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      fail(entry.first, file_,
           fmt::format("unknown key '{}' in {}: expected one of {}{}", key, what_,
                       fmt::join(allowed, ", "),
                       key.find(')') != std::string::npos
                           ? " (inside {...}, quote a distribution that has a comma: \"uniform(1B, 4KiB)\")"
                           : ""));
    if (!seen.insert(key).second)
      fail(entry.first, file_, fmt::format("duplicate key '{}' in {}", key, what_));
  }
}

YAML::Node Fields::get(std::string_view key) const {
  for (const auto& entry : node_)
    if (entry.first.Scalar() == key) return entry.second;
  return YAML::Node(YAML::NodeType::Undefined);
}

YAML::Node Fields::require(std::string_view key) const {
  YAML::Node value = get(key);
  if (!value.IsDefined()) fail(node_, file_, fmt::format("{}: missing required key '{}'", what_, key));
  return value;
}

std::string Fields::string(std::string_view key, std::string fallback) const {
  YAML::Node value = get(key);
  return value.IsDefined() ? scalar(value, file_, fmt::format("{}.{}", what_, key)) : fallback;
}

std::uint64_t Fields::integer(std::string_view key, std::uint64_t fallback, std::uint64_t min,
                              std::uint64_t max) const {
  YAML::Node value = get(key);
  return value.IsDefined() ? yaml::integer(value, file_, fmt::format("{}.{}", what_, key), min, max)
                           : fallback;
}

bool Fields::boolean(std::string_view key, bool fallback) const {
  YAML::Node value = get(key);
  if (!value.IsDefined()) return fallback;
  const std::string text = scalar(value, file_, fmt::format("{}.{}", what_, key));
  if (text == "true") return true;
  if (text == "false") return false;
  fail(value, file_, fmt::format("{}.{}: expected true or false, found '{}'", what_, key, text));
}

Seconds Fields::duration(std::string_view key, Seconds fallback) const {
  YAML::Node value = get(key);
  return value.IsDefined() ? yaml::duration(value, file_) : fallback;
}

Bandwidth Fields::bandwidth(std::string_view key, Bandwidth fallback) const {
  YAML::Node value = get(key);
  if (!value.IsDefined()) return fallback;
  std::string text = scalar(value, file_, key);
  if (auto parsed = parse_bandwidth(text)) return *parsed;
  fail(value, file_,
       fmt::format("{}: expected a bandwidth such as 1Gbps or 125MB/s (units: B/s, KB/s, MB/s, "
                   "GB/s, KiB/s, MiB/s, GiB/s, bps, Kbps, Mbps, Gbps) or 'infinite', found '{}'",
                   key, text));
}

std::string scalar(const YAML::Node& node, const std::string& file, std::string_view what) {
  if (!node.IsScalar())
    fail(node, file, fmt::format("{}: expected a single value, found a {}", what,
                                 node.IsMap() ? "mapping" : node.IsSequence() ? "list" : "null"));
  return node.Scalar();
}

std::uint64_t integer(const YAML::Node& node, const std::string& file, std::string_view what,
                      std::uint64_t min, std::uint64_t max) {
  std::string text = scalar(node, file, what);
  std::uint64_t value = 0;
  bool digits = !text.empty() && std::all_of(text.begin(), text.end(),
                                             [](char c) { return c >= '0' && c <= '9'; });
  if (digits && text.size() <= 19) value = std::stoull(text);
  if (!digits || text.size() > 19 || value < min || value > max)
    fail(node, file, fmt::format("{}: expected a whole number from {} to {}, found '{}'", what, min,
                                 max, text));
  return value;
}

Seconds duration(const YAML::Node& node, const std::string& file) {
  std::string text = scalar(node, file, "duration");
  if (auto value = parse_duration(text)) return *value;
  fail(node, file, fmt::format("expected {}, found '{}'", unit_hint(Quantity::duration), text));
}

namespace {
Distribution distribution(const YAML::Node& node, const std::string& file, Quantity quantity) {
  std::string text = scalar(node, file, quantity == Quantity::duration ? "duration" : "size");
  auto parsed = Distribution::parse(quantity, text);
  if (auto* error = std::get_if<std::string>(&parsed)) fail(node, file, *error);
  return std::get<Distribution>(parsed);
}
}  // namespace

RandomDuration random_duration(const YAML::Node& node, const std::string& file) {
  return RandomDuration{distribution(node, file, Quantity::duration)};
}

RandomSize random_size(const YAML::Node& node, const std::string& file) {
  return RandomSize{distribution(node, file, Quantity::size)};
}

}  // namespace yaml
}  // namespace ipcsim
