#pragma once
// Private to scenario/: named parameters (params: and ${name}).
#include <yaml-cpp/yaml.h>

#include <string>

namespace ipcsim::scenario {

/// Puts each parameter of `root`'s params: block in place of its ${name} references, in every
/// value but those of params: and sweep:. InputError (naming `file`) on an unknown name, a bad
/// params: block, or a document that grows past the loader's bound.
void expand_params(YAML::Node root, const std::string& file);

/// What a sweep or --set path sets: params.NAME when `path` names a parameter of `root`,
/// else `path` itself.
std::string param_path(const YAML::Node& root, const std::string& path);

}  // namespace ipcsim::scenario
