#pragma once
#include <string_view>

namespace ipcsim::report {

/// ipcsim's version as `git describe` gave it when this binary was built (e.g. v0.3-12-gabc1234,
/// or a commit hash, with -dirty for uncommitted changes); the project version outside git.
std::string_view ipcsim_version();

}  // namespace ipcsim::report
