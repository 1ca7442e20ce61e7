#pragma once
#include <string>

namespace ipcsim::report {

/// Writes `content` to `path` through a temporary file in the same folder and a rename,
/// so readers see the old file or the new one, never half of either. Creates the folder.
/// Throws std::runtime_error naming the path on failure.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace ipcsim::report
