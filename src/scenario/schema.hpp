#pragma once
// A JSON Schema (draft 2020-12) of scenario and model files, generated from the format's
// tables (format.hpp) and the units' and distributions' own lists, for editors: VS Code's
// YAML extension and Neovim's yaml-language-server read it from a scenario's first line
// (# yaml-language-server: $schema=...) to complete keys, document them and flag mistakes.
//
// It says what a schema can: keys, what each holds (spellings, units, ranges as patterns
// and bounds), required keys, keys that belong to one addressing, a mode and its timeout, a
// platform file and the keys it replaces. It cannot say what the loader checks across the
// document: that a step names a declared channel, that a host exists, and so on.
#include <string>

namespace ipcsim::scenario {

enum class SchemaOf { scenario, model };

/// The schema as indented JSON text, ending with a newline.
std::string json_schema(SchemaOf what);

}  // namespace ipcsim::scenario
