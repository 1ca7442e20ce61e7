#include "input_error.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "text.hpp"

namespace ipcsim {

// The message quotes user text (names, values, paths): printable() keeps it one line that
// cannot drive the terminal.
InputError::InputError(const SourceMark& where, const std::string& message)
    : std::runtime_error(
          printable(where.line > 0 ? fmt::format("{}:{}:{}: error: {}", where.file, where.line, where.column, message)
                                   : fmt::format("{}: error: {}", where.file, message))),
      where_(where) {}

std::string read_input_file(const std::string& path, const std::string& expected, std::size_t max_bytes) {
  const bool standard_input = path == "-";
  const SourceMark where{standard_input ? "<stdin>" : path};  // as the loader names it
  // O_NONBLOCK: opening a FIFO nobody writes to must not hang; reads block again below.
  const int fd = standard_input ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    throw InputError(where, fmt::format("cannot open file ({}): expected {}", std::strerror(errno), expected));
  struct Closer {
    int fd;
    bool owned;
    ~Closer() {
      if (owned) ::close(fd);
    }
  } closer{fd, !standard_input};
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !(S_ISREG(info.st_mode) || S_ISFIFO(info.st_mode) || S_ISSOCK(info.st_mode)))
    throw InputError(where, fmt::format("not a regular file ({}): expected {}",
                                        S_ISDIR(info.st_mode) ? "a directory" : "a device or special file", expected));
  if (S_ISREG(info.st_mode) && static_cast<std::uintmax_t>(info.st_size) > max_bytes)
    throw InputError(where, fmt::format("{} bytes is more than the {} MiB allowed: expected {}", info.st_size,
                                        max_bytes >> 20, expected));
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw InputError(where, fmt::format("cannot read file ({}): expected {}", std::strerror(errno), expected));
    if (n == 0) return text;
    if (text.size() + static_cast<std::size_t>(n) > max_bytes)
      throw InputError(where, fmt::format("more than the {} MiB allowed: expected {}", max_bytes >> 20, expected));
    text.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace ipcsim
