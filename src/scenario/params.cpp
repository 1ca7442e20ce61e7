// Named parameters: `params: {rate: 900/s, slots: 16}` and `${rate}` in any value of the
// scenario. A sweep or --set that names a parameter sets it, so a sweep survives edits to the
// program that would move a positional path.
#include "params.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>
#include <vector>

#include "input_error.hpp"
#include "yaml_fields.hpp"

namespace ipcsim::scenario {
namespace {

constexpr std::size_t max_references = 100'000;

bool mentions_reference(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar().find("${") != std::string::npos;
  for (const auto& entry : node)
    if (mentions_reference(node.IsMap() ? entry.second : entry)) return true;
  return false;
}

struct Expansion {
  const YAML::Node& params;
  const std::string& file;
  std::vector<std::string> names;
  std::size_t references = 0;
  std::size_t text_added = 0;  // bytes that references within text put in: bounded like a file

  // A value whose whole text is one reference takes the parameter's value as it is (a
  // number, a list, a mapping); a reference within text is replaced by the parameter's text.
  // The node is changed in place, so that an error in it still points at its line.
  void expand(YAML::Node node) {
    if (!node.IsScalar()) {
      for (auto entry : node) expand(node.IsMap() ? entry.second : entry);
      return;
    }
    const std::string& text = node.Scalar();
    if (text.find("${") == std::string::npos) return;
    std::string expanded;
    for (std::size_t at = 0;;) {
      const std::size_t open = text.find("${", at);
      if (open == std::string::npos) {
        expanded += text.substr(at);
        break;
      }
      const std::size_t close = text.find('}', open);
      if (close == std::string::npos) yaml::fail(node, file, fmt::format("'{}': expected ${{name}}", text));
      const std::string name = text.substr(open + 2, close - open - 2);
      const YAML::Node value =
          params.IsDefined() && params.IsMap() ? params[name] : YAML::Node(YAML::NodeType::Undefined);
      if (!format::parameter_name.matches(name) || !value.IsDefined())
        yaml::fail(node, file,
                   names.empty() ? fmt::format("'{}': no parameter '{}' (there is no params: block)", text, name)
                                 : fmt::format("'{}': no parameter '{}': expected one of {}", text, name,
                                               fmt::join(names, ", ")));
      if (++references > max_references)
        yaml::fail(node, file, fmt::format("more than {} parameter references", max_references));
      if (open == 0 && close + 1 == text.size()) {
        node = value;
        return;
      }
      if (!value.IsScalar())
        yaml::fail(node, file,
                   fmt::format("'{}': parameter '{}' is a list or mapping, not text to put in text", text, name));
      text_added += value.Scalar().size();
      if (text_added > max_text_input_bytes)
        yaml::fail(node, file,
                   fmt::format("parameters put more than {} bytes of text in place: expected a smaller document",
                               max_text_input_bytes));
      expanded += text.substr(at, open - at) + value.Scalar();
      at = close + 1;
    }
    node = expanded;
  }
};

}  // namespace

void expand_params(YAML::Node root, const std::string& file) {
  const YAML::Node params = std::as_const(root)["params"];  // const: a lookup adds nothing
  std::vector<std::string> names;
  if (params.IsDefined()) {
    if (!params.IsMap()) yaml::fail(params, file, "params: expected a mapping of names to values");
    for (const auto& entry : params) {
      const std::string name = yaml::scalar(entry.first, file, "params name");
      if (!format::parameter_name.matches(name))
        yaml::fail(entry.first, file,
                   fmt::format("params: '{}': expected a name of letters, digits, '_' and '-', starting with a "
                               "letter or '_'",
                               name));
      // A parameter named like a key of the scenario would make `--set seed=2` ambiguous.
      if (std::any_of(format::scenario_keys.begin(), format::scenario_keys.end(),
                      [&](const format::Key& key) { return key.name == name; }))
        yaml::fail(entry.first, file,
                   fmt::format("params: '{}' is a key of the scenario: name the parameter otherwise", name));
      if (mentions_reference(entry.second))
        yaml::fail(entry.second, file,
                   fmt::format("params.{}: a parameter's value cannot use another parameter", name));
      names.push_back(name);
    }
  }
  Expansion expansion{params, file, std::move(names)};
  for (auto entry : root)
    if (const std::string key = entry.first.Scalar(); key != "params" && key != "sweep") expansion.expand(entry.second);
  if (expansion.references > 0 && yaml::node_count(root) > yaml::max_expanded_nodes)
    yaml::fail(root, file,
               fmt::format("more than {} YAML nodes once parameters are put in place: expected a smaller document",
                           yaml::max_expanded_nodes));
}

std::string param_path(const YAML::Node& root, const std::string& path) {
  const YAML::Node params = root["params"];
  if (path.find('.') != std::string::npos || !params.IsDefined() || !params.IsMap() || !params[path].IsDefined())
    return path;
  return "params." + path;
}

}  // namespace ipcsim::scenario
