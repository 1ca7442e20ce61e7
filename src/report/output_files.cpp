#include "output_files.hpp"

#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "scenario/input_error.hpp"

namespace ipcsim::report {

std::string beside_summary(const std::string& summary, std::string_view kind) {
  constexpr std::string_view suffix = ".csv";
  if (summary.size() <= suffix.size() || !summary.ends_with(suffix)) return {};
  return fmt::format("{}.{}.csv", summary.substr(0, summary.size() - suffix.size()), kind);
}
namespace {

namespace fs = std::filesystem;

// What a path names, so that two spellings of one file compare equal: the device and inode
// of an existing file (through links), the normalised absolute path of one to be created.
std::string identity(const std::string& path) {
  if (path == "-") return "<stdout>";
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) return fmt::format("inode {}:{}", info.st_dev, info.st_ino);
  std::error_code ec;
  return "path " + fs::weakly_canonical(fs::absolute(path, ec), ec).string();
}

void write_all(int fd, const char* data, std::size_t size, const std::string& path) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// The temporary beside `final_path`: hidden, named after it, short enough for any file name.
std::string temporary_pattern(const fs::path& final_path) {
  const std::string name = final_path.filename().string();
  return (final_path.parent_path() / ("." + name.substr(0, 100) + ".tmp-XXXXXX")).string();
}

}  // namespace

struct OutputFiles::Target {
  enum class Kind { replace, write_through, standard_output };
  Kind kind = Kind::replace;
  std::string path;        // as given
  std::string final_path;  // what a rename replaces: `path` with symbolic links followed
  std::string identity;
  std::string temp_path;  // the named temporary of a replaced file, once staged
  int fd = -1;            // the staged content
  bool committed = false;
};

OutputFiles::OutputFiles(const std::vector<std::string>& inputs) {
  for (const std::string& input : inputs)
    if (input != "-") inputs_.push_back(identity(input));
}

OutputFiles::~OutputFiles() {
  for (const auto& t : targets_) {
    if (t->fd >= 0) ::close(t->fd);
    if (!t->temp_path.empty() && !t->committed) ::unlink(t->temp_path.c_str());
  }
}

void OutputFiles::expect(const std::string& option, const std::string& path, bool named) {
  auto refuse = [&](const std::string& problem) {
    throw InputError({path.empty() ? option : path}, fmt::format("{}: {}", option, problem));
  };
  if (path.empty()) refuse("expected a file name, found nothing");
  if (struct stat link{}; !named && ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
    refuse(
        "is a symbolic link, and ipcsim writes through links only to files named on the command line: remove "
        "it, or write the results elsewhere (-o)");
  auto t = std::make_unique<Target>();
  t->path = path;
  t->final_path = path;
  t->identity = identity(path);
  struct stat info {};
  if (path == "-") {
    t->kind = Target::Kind::standard_output;
  } else if (::stat(path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) refuse("is a directory: expected a file name");
    if (S_ISBLK(info.st_mode)) refuse("is a block device: expected a file name");
    if (!S_ISREG(info.st_mode)) t->kind = Target::Kind::write_through;
    std::error_code ec;
    if (S_ISREG(info.st_mode)) t->final_path = fs::canonical(path, ec).string();
    if (ec) refuse(fmt::format("cannot resolve: {}", ec.message()));
  } else if (::lstat(path.c_str(), &info) == 0) {  // a symbolic link to nothing yet
    std::error_code ec;
    t->final_path = fs::weakly_canonical(fs::absolute(path), ec).string();
    if (ec) refuse(fmt::format("cannot resolve: {}", ec.message()));
  }
  if (t->kind == Target::Kind::replace) {
    const fs::path final_path(t->final_path);
    const std::string folder = final_path.has_parent_path() ? final_path.parent_path().string() : ".";
    if (final_path.filename().string().size() > NAME_MAX)
      refuse(fmt::format("the file name is {} bytes: expected at most {}", final_path.filename().string().size(),
                         NAME_MAX));
    struct stat folder_info {};
    if (::stat(folder.c_str(), &folder_info) != 0 || !S_ISDIR(folder_info.st_mode))
      refuse(fmt::format("the folder {} does not exist: expected an existing folder", folder));
    // A temporary made and removed now finds what would stop the write at the end: a
    // read-only folder or file system, no permission, a path too long.
    std::string probe = temporary_pattern(final_path);
    const int fd = ::mkostemp(probe.data(), O_CLOEXEC);
    if (fd < 0) refuse(fmt::format("cannot write in {}: {}", folder, std::strerror(errno)));
    ::close(fd);
    ::unlink(probe.c_str());
  }
  for (const std::string& input : inputs_)
    if (input == t->identity) refuse("is also an input of this command: expected a different file for the output");
  for (const auto& other : targets_)
    if (other->identity == t->identity && t->kind != Target::Kind::write_through)
      refuse(fmt::format("names the same file as {}: expected different outputs", other->path));
  targets_.push_back(std::move(t));
}

OutputFiles::Target& OutputFiles::target(const std::string& path) {
  for (const auto& t : targets_)
    if (t->path == path) return *t;
  throw std::logic_error(fmt::format("output {} was not expected", path));
}

void OutputFiles::stage(const std::string& path, const std::string& content) {
  stage_with(path, [&](int fd) { write_all(fd, content.data(), content.size(), path); });
}

void OutputFiles::stage_with(const std::string& path, const std::function<void(int fd)>& produce) {
  Target& t = target(path);
  auto fail = [&](std::string_view what) {
    throw std::runtime_error(fmt::format("{}: cannot write: {} ({})", path, what, std::strerror(errno)));
  };
  if (t.kind == Target::Kind::replace) {
    t.temp_path = temporary_pattern(t.final_path);
    t.fd = ::mkostemp(t.temp_path.data(), O_CLOEXEC);
    if (t.fd < 0) {
      t.temp_path.clear();
      fail("cannot create a temporary file");
    }
  } else {
    t.fd = ::memfd_create("ipcsim-output", MFD_CLOEXEC);
    if (t.fd < 0) fail("cannot hold the output in memory");
  }
  produce(t.fd);
  if (t.kind == Target::Kind::replace && (::fchmod(t.fd, 0644) != 0 || ::fsync(t.fd) != 0)) fail("flush failed");
}

void OutputFiles::commit() {
  // Renames first: each is atomic and they cannot block, unlike a device or a pipe.
  for (const auto& t : targets_) {
    if (t->kind != Target::Kind::replace || t->fd < 0) continue;
    if (std::rename(t->temp_path.c_str(), t->final_path.c_str()) != 0)
      throw std::runtime_error(fmt::format("{}: cannot write: rename failed ({})", t->path, std::strerror(errno)));
    t->committed = true;
  }
  for (const auto& t : targets_) {
    if (t->kind == Target::Kind::replace || t->fd < 0) continue;
    int out = STDOUT_FILENO;
    if (t->kind == Target::Kind::write_through) {
      // Not blocking on a FIFO nobody reads: that is an error, not a hang.
      out = ::open(t->path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
      if (out < 0) throw std::runtime_error(fmt::format("{}: cannot write: {}", t->path, std::strerror(errno)));
      ::fcntl(out, F_SETFL, ::fcntl(out, F_GETFL) & ~O_NONBLOCK);
    }
    char buffer[65536];
    ::lseek(t->fd, 0, SEEK_SET);
    try {
      for (ssize_t n; (n = ::read(t->fd, buffer, sizeof buffer)) != 0;) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error(fmt::format("{}: cannot write: {}", t->path, std::strerror(errno)));
        write_all(out, buffer, static_cast<std::size_t>(n), t->path);
      }
    } catch (...) {
      if (out != STDOUT_FILENO) ::close(out);
      throw;
    }
    if (out != STDOUT_FILENO) ::close(out);
    t->committed = true;
  }
}

}  // namespace ipcsim::report
