#include "yaml_fields.hpp"

#include <yaml-cpp/eventhandler.h>

#include <fmt/format.h>
#include <algorithm>
#include <limits>
#include <set>
#include <sstream>

#include "text.hpp"

namespace ipcsim::scenario {

namespace yaml {

namespace {

// The nodes a reader walking `root` visits, aliases followed each time (as the loader
// follows them), counted up to `budget` + 1 and no further: a few lines of anchors and
// aliases ("billion laughs") can stand for more nodes than memory holds.
std::size_t expanded_nodes(const YAML::Node& root, std::size_t budget) {
  std::size_t count = 0;
  std::vector<YAML::Node> pending{root};
  while (!pending.empty() && count <= budget) {
    YAML::Node node = pending.back();
    pending.pop_back();
    ++count;
    if (node.IsSequence()) {
      for (const auto& item : node) pending.push_back(item);
    } else if (node.IsMap()) {
      for (const auto& entry : node) {
        pending.push_back(entry.first);
        pending.push_back(entry.second);
      }
    }
  }
  return count;
}

// Refuses a second document in the text. Events only, and two documents at most: YAML::LoadAll
// never returns on some inputs (", size: \xc2" gives empty documents at 1:1 without end).
class SecondDocument : public YAML::EventHandler {
 public:
  void refuse(const std::string& text, const std::string& file) {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    if (!parser.HandleNextDocument(*this)) return;
    const YAML::Mark first = start_;
    if (!parser.HandleNextDocument(*this)) return;
    if (start_.pos == first.pos)
      throw InputError({file, start_.line + 1, start_.column + 1}, "invalid YAML: the parser cannot get past here");
    throw InputError({file, start_.line + 1, start_.column + 1},
                     "a second YAML document (after ---): expected one document per file");
  }
  void OnDocumentStart(const YAML::Mark& mark) override { start_ = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  YAML::Mark start_;
};

}  // namespace

YAML::Node load_text(const std::string& text, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
    SecondDocument().refuse(text, file);
  } catch (const YAML::Exception& e) {
    // yaml-cpp says "bad file" when a document nests past its depth limit (its DeepRecursion
    // cannot be caught by type in every build: the sanitizer builds see another type_info).
    // ${name} in a flow collection reads as a nested one: say how to write it.
    const char* reference_hint =
        text.find("${") != std::string::npos ? " (inside {...} or [...], quote a parameter reference: '${name}')" : "";
    throw InputError({file, e.mark.line + 1, e.mark.column + 1},
                     e.msg == "bad file" ? "invalid YAML: nested too deeply: expected a flatter document"
                                         : "invalid YAML: " + e.msg + reference_hint);
  }
  if (expanded_nodes(root, max_expanded_nodes) > max_expanded_nodes)
    fail(root, file,
         fmt::format("more than {} YAML nodes once aliases are expanded: expected a smaller document (anchors "
                     "and aliases repeat what they name)",
                     max_expanded_nodes));
  return root;
}

std::size_t node_count(const YAML::Node& root) { return expanded_nodes(root, max_expanded_nodes); }

std::string name(const YAML::Node& node, const std::string& file, std::string_view what) {
  std::string text = scalar(node, file, what);
  if (text.empty()) fail(node, file, fmt::format("{}: expected a name, found nothing", what));
  if (text.size() > max_name_bytes || !valid_utf8(text) || has_control_character(text))
    fail(node, file,
         fmt::format("{} '{}': expected a name of at most {} bytes of UTF-8 text, without control characters", what,
                     text.substr(0, max_name_bytes), max_name_bytes));
  return text;
}

YAML::Node load_file(const std::string& path) { return load_text(read_input_file(path, "a YAML model file"), path); }

SourceMark mark_of(const YAML::Node& node, const std::string& file) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {file};
  return {file, mark.line + 1, mark.column + 1};
}

void fail(const YAML::Node& node, const std::string& file, const std::string& message) {
  throw InputError(mark_of(node, file), message);
}

Fields::Fields(const YAML::Node& node, std::string file, std::string what, const format::Section& section)
    : node_(node), file_(std::move(file)), what_(std::move(what)), section_(&section) {
  if (!node_.IsMap()) fail(node_, file_, fmt::format("{}: expected a mapping of keys", what_));
  std::set<std::string> seen;
  for (const auto& entry : node_) {
    std::string key = scalar(entry.first, file_, what_ + " key");
    const auto& keys = section.keys;
    if (std::none_of(keys.begin(), keys.end(), [&](const format::Key& k) { return k.name == key; })) {
      std::vector<std::string_view> allowed;
      for (const format::Key& k : keys) allowed.push_back(k.name);
      fail(entry.first, file_,
           fmt::format("unknown key '{}' in {}: expected one of {}{}", key, what_, fmt::join(allowed, ", "),
                       key.find(')') != std::string::npos
                           ? " (inside {...}, quote a distribution that has a comma: \"uniform(1B, 4KiB)\")"
                           : ""));
    }
    if (!seen.insert(key).second) fail(entry.first, file_, fmt::format("duplicate key '{}' in {}", key, what_));
  }
}

YAML::Node Fields::get(std::string_view key) const {
  format::key_of(*section_, key);  // a key the tables do not list is a loader bug
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
  return value.IsDefined() ? scalar(value, file_, fmt::format("{}.{}", what_, key)) : std::move(fallback);
}

std::uint64_t Fields::integer(std::string_view key, std::uint64_t fallback) const {
  const format::Key& range = format::key_of(*section_, key);
  YAML::Node value = get(key);
  return value.IsDefined() ? yaml::integer(value, file_, fmt::format("{}.{}", what_, key), range.min, range.max)
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

std::string_view Fields::choice(std::string_view key, std::string_view fallback) const {
  const auto& choices = format::key_of(*section_, key).choices;
  YAML::Node value = get(key);
  if (!value.IsDefined()) return fallback;
  const std::string text = scalar(value, file_, fmt::format("{}.{}", what_, key));
  for (std::string_view spelling : choices)
    if (spelling == text) return spelling;
  fail(value, file_,
       fmt::format("{}.{}: expected {}, found '{}'", what_, key,
                   or_list(std::vector<std::string>(choices.begin(), choices.end())), printable(text)));
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
  fail(value, file_, fmt::format("{}: expected {}, found '{}'", key, bandwidth_hint(), text));
}

std::string scalar(const YAML::Node& node, const std::string& file, std::string_view what) {
  if (!node.IsScalar())
    fail(node, file,
         fmt::format("{}: expected a single value, found a {}", what,
                     node.IsMap()        ? "mapping"
                     : node.IsSequence() ? "list"
                                         : "null"));
  return node.Scalar();
}

std::uint64_t integer(const YAML::Node& node, const std::string& file, std::string_view what, std::uint64_t min,
                      std::uint64_t max) {
  std::string text = scalar(node, file, what);
  std::optional<std::uint64_t> value = parse_unsigned(text);
  if (!value || *value < min || *value > max)
    fail(node, file, fmt::format("{}: expected a whole number from {} to {}, found '{}'", what, min, max, text));
  return *value;
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
}  // namespace ipcsim::scenario
