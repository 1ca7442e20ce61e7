#include "schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <concepts>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "distribution.hpp"
#include "format.hpp"
#include "text.hpp"
#include "yaml_fields.hpp"

namespace ipcsim::scenario {
namespace {

using format::Key;
using format::Section;
using format::Value;

// A JSON value, built as a tree and written indented. Object members keep their order.
class Json {
 public:
  using Object = std::vector<std::pair<std::string, Json>>;
  using Array = std::vector<Json>;

  Json(const char* text) : value_(std::string(text)) {}       // NOLINT(google-explicit-constructor)
  Json(std::string_view text) : value_(std::string(text)) {}  // NOLINT(google-explicit-constructor)
  Json(std::string text) : value_(std::move(text)) {}         // NOLINT(google-explicit-constructor)
  Json(bool flag) : value_(flag) {}                           // NOLINT(google-explicit-constructor)
  template <std::unsigned_integral N>
  requires(!std::same_as<N, bool>) Json(N number)
      : value_(std::uint64_t{number}) {}                // NOLINT(google-explicit-constructor)
  Json(Object members) : value_(std::move(members)) {}  // NOLINT(google-explicit-constructor)
  Json(Array items) : value_(std::move(items)) {}       // NOLINT(google-explicit-constructor)

  void write(std::string& out, int depth) const {
    const std::string indent(2 * static_cast<std::size_t>(depth + 1), ' ');
    if (const auto* text = std::get_if<std::string>(&value_)) {
      out += json_string(*text);
    } else if (const bool* flag = std::get_if<bool>(&value_)) {
      out += *flag ? "true" : "false";
    } else if (const auto* number = std::get_if<std::uint64_t>(&value_)) {
      out += std::to_string(*number);
    } else if (const auto* items = std::get_if<Array>(&value_)) {
      // A list of plain values on one line, of objects one per line.
      const bool flat = std::none_of(items->begin(), items->end(), [](const Json& j) { return j.nested(); });
      out += "[";
      for (std::size_t i = 0; i < items->size(); ++i) {
        out += i == 0 ? "" : ",";
        out += flat ? (i == 0 ? "" : " ") : "\n" + indent;
        (*items)[i].write(out, depth + 1);
      }
      out += flat || items->empty() ? "]" : "\n" + indent.substr(2) + "]";
    } else {
      const auto& members = std::get<Object>(value_);
      out += "{";
      for (std::size_t i = 0; i < members.size(); ++i) {
        out += (i == 0 ? "\n" : ",\n") + indent + json_string(members[i].first) + ": ";
        members[i].second.write(out, depth + 1);
      }
      out += members.empty() ? "}" : "\n" + indent.substr(2) + "}";
    }
  }

 private:
  bool nested() const { return std::holds_alternative<Object>(value_) || std::holds_alternative<Array>(value_); }
  std::variant<std::string, bool, std::uint64_t, Object, Array> value_;
};

Json ref(std::string_view definition) { return Json::Object{{"$ref", fmt::format("#/$defs/{}", definition)}}; }

Json strings(std::span<const std::string_view> texts) { return Json::Array(texts.begin(), texts.end()); }

// What the unit parsers accept (units.cpp): a non-negative decimal number, spaces or tabs
// around it and its unit.
std::string quantity_pattern(UnitsOf units) {
  std::vector<std::string> suffixes;
  for (std::string_view suffix : unit_suffixes(units)) {
    std::string escaped;
    for (char c : suffix)
      escaped += std::string_view("\\^$.|?*+()[]{}").find(c) == std::string_view::npos ? std::string(1, c)
                                                                                       : std::string{'\\', c};
    suffixes.push_back(escaped);
  }
  return fmt::format(R"([ \t]*(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?[ \t]*(?:{})[ \t]*)",
                     fmt::join(suffixes, "|"));
}

Json pattern(std::string regex) { return Json::Object{{"type", "string"}, {"pattern", std::move(regex)}}; }

// A fixed quantity, or a distribution of them as Distribution::parse reads it.
Json random_quantity(UnitsOf units) {
  std::vector<std::string> forms;
  for (const Distribution::Form& form : Distribution::forms()) {
    std::string arguments = "[^(),]*";
    for (int i = 1; i < form.arguments; ++i) arguments += ",[^(),]*";
    forms.push_back(fmt::format("{}[ \\t]*\\({}\\)", form.name, arguments));
  }
  return pattern(fmt::format("^(?:{}|[ \\t]*(?:{})[ \\t]*)$", quantity_pattern(units), fmt::join(forms, "|")));
}

// Whole numbers are integers in JSON, or digits in a string (the loader reads both).
Json whole_number(std::uint64_t min, std::uint64_t max) {
  return Json::Object{{"anyOf", Json::Array{Json::Object{{"type", "integer"}, {"minimum", min}, {"maximum", max}},
                                            pattern("^[0-9]+$")}}};
}

// Names to mappings of a section (processes:, channels:, hosts:), at least one if required.
Json named_mappings(const Key& key) {
  Json::Object mapping{
      {"type", "object"}, {"propertyNames", ref("name")}, {"additionalProperties", ref(key.section->name)}};
  if (key.required) mapping.emplace_back("minProperties", 1U);
  return mapping;
}

// params: names as params.cpp takes them, none named like a key of the scenario.
Json params_schema() {
  Json::Array keys;
  keys.reserve(format::scenario_keys.size());
  for (const Key& k : format::scenario_keys) keys.emplace_back(k.name);
  return Json::Object{{"type", "object"},
                      {"propertyNames", Json::Object{{"pattern", format::parameter_name.regex()},
                                                     {"not", Json::Object{{"enum", std::move(keys)}}}}}};
}

Json value_schema(const Key& key) {
  switch (key.value) {
    case Value::result_name:
      return pattern(format::result_name.regex());
    case Value::name:
      return ref("name");
    case Value::text:
      return Json::Object{{"type", "string"}};
    case Value::whole_number:
      return whole_number(key.min, key.max);
    case Value::repeat_count:
      return Json::Object{
          {"anyOf", Json::Array{whole_number(0, format::max_repeat), Json::Object{{"const", "forever"}}}}};
    case Value::boolean:
      return Json::Object{{"anyOf", Json::Array{Json::Object{{"type", "boolean"}},
                                                Json::Object{{"enum", Json::Array{"true", "false"}}}}}};
    case Value::duration:
      return ref("duration");
    case Value::random_duration:
      return ref("random_duration");
    case Value::random_size:
      return ref("random_size");
    case Value::bandwidth:
      return ref("bandwidth");
    case Value::speed:
      return pattern("^" + quantity_pattern(UnitsOf::speed) + "$");
    case Value::capacity:
      return Json::Object{{"anyOf", Json::Array{whole_number(0, format::max_capacity),
                                                Json::Object{{"enum", strings(format::no_limit_words)}}}}};
    case Value::choice:
      return Json::Object{{"enum", strings(key.choices)}};
    case Value::process_pair:
      return Json::Object{{"type", "array"}, {"items", ref("name")}, {"minItems", 2U}, {"maxItems", 2U}};
    case Value::platform_file:
      return pattern("\\.xml$");
    case Value::model:
      return Json::Object{{"anyOf", Json::Array{Json::Object{{"type", "string"}, {"examples", Json::Array{"ideal"}}},
                                                ref(key.section->name)}}};
    case Value::mapping:
      return ref(key.section->name);
    case Value::named_mappings:
      return named_mappings(key);
    case Value::list:
      return Json::Object{{"type", "array"}, {"items", ref(key.section->name)}};
    case Value::program:
      return ref("program");
    case Value::params:
      return params_schema();
    case Value::sweep:
      return Json::Object{{"type", "object"},
                          {"propertyNames", Json::Object{{"not", Json::Object{{"const", "replications"}}}}},
                          {"additionalProperties", Json::Object{{"type", "array"}, {"minItems", 1U}}}};
  }
  return Json::Object{};
}

// A key's value, or a ${name} reference to a parameter that stands for it.
Json property(const Key& key) {
  Json::Array either{value_schema(key), ref("reference")};
  if (key.section == &format::receive) either.emplace_back(Json::Object{{"type", "null"}});  // recv: alone
  return Json::Object{{"description", key.doc}, {"anyOf", std::move(either)}};
}

Json::Object if_then(Json condition, Json consequence) {
  return Json::Object{{"if", std::move(condition)}, {"then", std::move(consequence)}};
}

Json has_value(std::string_view key, Json value) {
  return Json::Object{{"properties", Json::Object{{std::string(key), std::move(value)}}},
                      {"required", Json::Array{key}}};
}

// The rules between keys of a section that a schema can state.
Json::Array conditions(const Section& section) {
  Json::Array rules;
  // Keys that belong to one addressing (and are required for it).
  if (format::has_key(section, "addressing")) {
    for (std::string_view addressing : format::key_of(section, "addressing").choices) {
      Json::Array required;
      Json::Object ruled_out;
      for (const Key& k : section.keys) {
        if (!k.only_for) continue;
        if (to_string(*k.only_for) == addressing && k.required) required.emplace_back(k.name);
        if (to_string(*k.only_for) != addressing) ruled_out.emplace_back(std::string(k.name), false);
      }
      rules.emplace_back(if_then(has_value("addressing", Json::Object{{"const", addressing}}),
                                 Json::Object{{"required", required}, {"properties", ruled_out}}));
    }
  }
  // Keys that another rules out.
  for (const Key& k : section.keys) {
    if (k.conflicts_with.empty() || &k != &*std::find_if(section.keys.begin(), section.keys.end(), [&](const Key& o) {
          return o.conflicts_with == k.conflicts_with;
        }))
      continue;
    Json::Object ruled_out;
    for (const Key& o : section.keys)
      if (o.conflicts_with == k.conflicts_with) ruled_out.emplace_back(std::string(o.name), false);
    rules.emplace_back(
        if_then(Json::Object{{"required", Json::Array{k.conflicts_with}}}, Json::Object{{"properties", ruled_out}}));
  }
  // mode: timeout needs a timeout, and a timeout goes with no other mode (loader's read_timeout).
  if (format::has_key(section, "mode") && format::has_key(section, "timeout")) {
    Json::Array others;
    for (std::string_view mode : format::key_of(section, "mode").choices)
      if (mode != "timeout") others.emplace_back(mode);
    rules.emplace_back(if_then(has_value("mode", Json::Object{{"const", "timeout"}}),
                               Json::Object{{"required", Json::Array{"timeout"}}}));
    rules.emplace_back(if_then(has_value("mode", Json::Object{{"enum", others}}),
                               Json::Object{{"not", Json::Object{{"required", Json::Array{"timeout"}}}}}));
  }
  // A fault entry names one fault; a stop needs a count or a time, and a channel only with a count.
  if (&section == &format::fault) {
    Json::Array one_of;
    for (std::string_view kind : format::spellings_of<FaultKind>)
      one_of.emplace_back(Json::Object{{"required", Json::Array{kind}}});
    rules.emplace_back(Json::Object{{"oneOf", one_of}});
  }
  if (&section == &format::stop) {
    rules.emplace_back(Json::Object{{"anyOf", Json::Array{Json::Object{{"required", Json::Array{"messages"}}},
                                                          Json::Object{{"required", Json::Array{"time"}}}}}});
    rules.emplace_back(Json::Object{{"dependentRequired", Json::Object{{"channel", Json::Array{"messages"}}}}});
  }
  return rules;
}

Json section_schema(const Section& section) {
  Json::Object properties;
  Json::Array required;
  for (const Key& k : section.keys) {
    properties.emplace_back(std::string(k.name), property(k));
    if (k.required && !k.only_for) required.emplace_back(k.name);
  }
  Json::Object schema{{"description", section.doc}, {"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) schema.emplace_back("required", std::move(required));
  schema.emplace_back("additionalProperties", false);
  if (Json::Array rules = conditions(section); !rules.empty()) schema.emplace_back("allOf", std::move(rules));
  return schema;
}

// A program step: a mapping of one step key to its argument, or repeat: beside do:.
Json step_schema() {
  Json::Array kinds;
  for (const Key& step : format::steps) {
    if (step.section == &format::repeat) {
      kinds.emplace_back(ref(format::repeat.name));
      continue;
    }
    kinds.emplace_back(Json::Object{{"type", "object"},
                                    {"properties", Json::Object{{std::string(step.name), property(step)}}},
                                    {"required", Json::Array{step.name}},
                                    {"additionalProperties", false}});
  }
  return Json::Object{{"description", "A step: send, recv, reply, compute, sleep, delete, or repeat with do."},
                      {"anyOf", std::move(kinds)}};
}

// Every section the tables reach from the scenario and the steps, each once, in order.
void collect(const Section& section, std::vector<const Section*>& sections) {
  if (std::find(sections.begin(), sections.end(), &section) != sections.end()) return;
  sections.push_back(&section);
  for (const Key& k : section.keys)
    if (k.section) collect(*k.section, sections);
}

std::string unanchored(const std::string& regex) { return regex.substr(1, regex.size() - 2); }

Json definitions() {
  Json::Object defs{
      {"reference", Json::Object{{"description", "A ${name} reference to a parameter of params:."},
                                 {"type", "string"},
                                 {"pattern", "\\$\\{" + unanchored(format::parameter_name.regex()) + "\\}"}}},
      {"name", Json::Object{{"description", "A name: at most 200 bytes of text without control characters."},
                            {"type", Json::Array{"string", "integer"}},
                            {"minLength", 1U},
                            {"maxLength", std::uint64_t{yaml::max_name_bytes}},
                            {"pattern", "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"}}},
      {"duration", pattern("^" + quantity_pattern(UnitsOf::duration) + "$")},
      {"random_duration", random_quantity(UnitsOf::duration)},
      {"random_size", random_quantity(UnitsOf::size)},
      {"bandwidth", pattern(fmt::format("^(?:{}|[ \\t]*(?:{})[ \\t]*)$", quantity_pattern(UnitsOf::bandwidth),
                                        fmt::join(format::no_limit_words, "|")))},
      {"program", Json::Object{{"type", "array"}, {"items", ref("step")}}},
      {"step", step_schema()},
  };
  std::vector<const Section*> sections;
  collect(format::scenario, sections);
  for (const Key& step : format::steps)
    if (step.section) collect(*step.section, sections);
  for (const Section* section : sections) defs.emplace_back(std::string(section->name), section_schema(*section));
  return defs;
}

}  // namespace

std::string json_schema(SchemaOf what) {
  const Section& root = what == SchemaOf::scenario ? format::scenario : format::model;
  Json schema = Json::Object{
      {"$schema", "https://json-schema.org/draft/2020-12/schema"},
      {"title", what == SchemaOf::scenario ? "ipcsim scenario" : "ipcsim timing model"},
      {"description", fmt::format("{} Generated by ipcsim schema from the loader's own tables.", root.doc)},
      {"$ref", fmt::format("#/$defs/{}", root.name)},
      {"$defs", definitions()},
  };
  std::string out;
  schema.write(out, 0);
  return out + "\n";
}

}  // namespace ipcsim::scenario
