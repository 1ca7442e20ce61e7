#include "atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <stdexcept>

namespace ipcsim::report {

void replace_file_atomically(const std::string& path,
                             const std::function<void(int fd, const std::string& temp_path)>& produce) {
  namespace fs = std::filesystem;
  auto fail = [&](std::string_view what) {
    throw std::runtime_error(fmt::format("{}: cannot write: {} ({})", path, what, std::strerror(errno)));
  };
  fs::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  std::string temp = (target.has_parent_path() ? target.parent_path() / "" : fs::path{}).string() + "." +
                     target.filename().string() + ".tmp-XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) fail("cannot create a temporary file");
  try {
    produce(fd, temp);
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(temp.c_str());
    fail("flush failed");
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    fail("rename failed");
  }
}

void write_file_atomically(const std::string& path, const std::string& content) {
  replace_file_atomically(path, [&](int fd, const std::string&) {
    const char* data = content.data();
    std::size_t left = content.size();
    while (left > 0) {
      ssize_t n = ::write(fd, data, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0)
        throw std::runtime_error(fmt::format("{}: cannot write: write failed ({})", path, std::strerror(errno)));
      data += n;
      left -= static_cast<std::size_t>(n);
    }
  });
}

}  // namespace ipcsim::report
