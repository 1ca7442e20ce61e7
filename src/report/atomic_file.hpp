#pragma once
#include <functional>
#include <string>

namespace ipcsim::report {

/// Writes `content` to `path` through a temporary file in the same folder and a rename,
/// so readers see the old file or the new one, never half of either. Creates the folder.
/// Throws std::runtime_error naming the path on failure.
void write_file_atomically(const std::string& path, const std::string& content);

/// The same, for content another program writes: `produce` fills the temporary file, given
/// its path and an open descriptor, and throws to abandon it (the old file stays).
void replace_file_atomically(const std::string& path,
                             const std::function<void(int fd, const std::string& temp_path)>& produce);

}  // namespace ipcsim::report
