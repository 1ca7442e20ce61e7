#pragma once
// The files a command writes, checked before any work starts and put in place all together.
// A result never half-written, never a special file replaced, never an input overwritten.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ipcsim::report {

/// The file of `kind` written beside a summary CSV: results/x.csv -> results/x.<kind>.csv;
/// none (empty) beside a summary that is no file ending in .csv (standard output, a device).
std::string beside_summary(const std::string& summary, std::string_view kind);

class OutputFiles {
 public:
  /// `inputs`: the files the command reads (scenario, model, CSVs), which no output may name.
  explicit OutputFiles(const std::vector<std::string>& inputs = {});
  ~OutputFiles();  // removes what was staged and not committed
  OutputFiles(const OutputFiles&) = delete;
  OutputFiles& operator=(const OutputFiles&) = delete;

  /// Checks now that `path` (given by `option`, e.g. "-o") can be written, so that a run
  /// finds a bad path before it starts: "-" is standard output; a regular file (or a new one,
  /// or a symbolic link to one) is replaced through a temporary in its folder and a rename;
  /// a character device, a FIFO or a socket (/dev/null, /dev/stdout) is written through.
  /// InputError naming the option for a directory, a block device, a missing or read-only
  /// folder, a name too long, or a path that an input or another output already names.
  /// A path the user did not name (`named` false: a default such as results/<name>.csv) is
  /// never written through a symbolic link: one there is refused, so that a link left in a
  /// results folder cannot aim a run's output at another file.
  void expect(const std::string& option, const std::string& path, bool named = true);

  /// Writes the content of an expected output to its temporary (a file beside a regular
  /// target, in memory for the others); `produce` writes to the descriptor it is given.
  /// Throws std::runtime_error naming the path when the disk refuses it.
  void stage(const std::string& path, const std::string& content);
  void stage_with(const std::string& path, const std::function<void(int fd)>& produce);

  /// Puts every staged output in place: renames over regular files (each atomic), then
  /// copies to standard output and devices. Call once all of them are staged, so that an
  /// interruption before it leaves every earlier file as it was.
  void commit();

 private:
  struct Target;
  Target& target(const std::string& path);
  std::vector<std::string> inputs_;
  std::vector<std::unique_ptr<Target>> targets_;
};

}  // namespace ipcsim::report
