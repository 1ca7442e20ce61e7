#pragma once
// What this process holds in memory, read from /proc/self/statm: the resident set (what the
// memory budget counts) and the address space (what ulimit -v bounds). Private to sim/.
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>

namespace ipcsim::sim {

class MemoryUse {
 public:
  // Opened by the process that reads it: /proc/self resolves at open time, so a descriptor
  // inherited across fork would show the parent.
  MemoryUse() : fd_(::open("/proc/self/statm", O_RDONLY | O_CLOEXEC)) {}
  ~MemoryUse() {
    if (fd_ >= 0) ::close(fd_);
  }
  MemoryUse(const MemoryUse&) = delete;
  MemoryUse& operator=(const MemoryUse&) = delete;

  struct Bytes {
    std::uint64_t address_space = 0, resident = 0;
  };
  /// Zeros when /proc cannot tell.
  Bytes now() const {
    char text[128];
    const ssize_t n = fd_ < 0 ? -1 : ::pread(fd_, text, sizeof text - 1, 0);
    if (n <= 0) return {};
    text[n] = '\0';
    unsigned long long size = 0, resident = 0;  // in pages
    if (std::sscanf(text, "%llu %llu", &size, &resident) != 2) return {};
    const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    return {size * page, resident * page};
  }

 private:
  int fd_;
};

/// What an array's next growth adds to the resident set if it may come within `within` more
/// elements: the old elements' bytes (a doubling copies them into new room), else 0.
template <class Array>
std::uint64_t growth_within(const Array& array, std::uint64_t within) {
  return array.capacity() - array.size() < within ? array.capacity() * sizeof(array[0]) : 0;
}

}  // namespace ipcsim::sim
