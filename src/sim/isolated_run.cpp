// SimGrid keeps one engine per process, so each run happens in a forked child that sends
// its RunOutput back through a pipe. The child is the same binary: plain memory copies of
// the records are a safe encoding.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fmt/format.h>
#include <stdexcept>
#include <type_traits>

#include "simulation.hpp"

namespace ipcsim::sim {
namespace {

class PipeWriter {
 public:
  explicit PipeWriter(int fd) : fd_(fd) {}
  void bytes(const void* data, std::size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
      ssize_t n = ::write(fd_, p, size);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) ::_exit(121);  // the parent is gone; nobody to report to
      p += n;
      size -= static_cast<std::size_t>(n);
    }
  }
  template <class T>
  void value(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes(&v, sizeof v);
  }
  /// A std::vector of trivially copyable elements, or a std::string.
  template <class Sequence>
  void sequence(const Sequence& s) {
    static_assert(std::is_trivially_copyable_v<typename Sequence::value_type>);
    value(s.size());
    bytes(s.data(), s.size() * sizeof(typename Sequence::value_type));
  }

 private:
  int fd_;
};

class PipeReader {
 public:
  explicit PipeReader(int fd) : fd_(fd) {}
  bool bytes(void* data, std::size_t size) {
    char* p = static_cast<char*>(data);
    while (size > 0) {
      ssize_t n = ::read(fd_, p, size);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      p += n;
      size -= static_cast<std::size_t>(n);
    }
    return true;
  }
  template <class T>
  void value(T& v) {
    if (!bytes(&v, sizeof v)) throw std::runtime_error("simulation ended without a result");
  }
  template <class Sequence>
  void sequence(Sequence& s) {
    std::size_t n = 0;
    value(n);
    s.resize(n);
    if (!bytes(s.data(), n * sizeof(typename Sequence::value_type)))
      throw std::runtime_error("simulation result cut short");
  }

 private:
  int fd_;
};

// One list of fields for both directions, so writer and reader cannot disagree.
template <class Io, class Output>
void transfer_fields(Io& io, Output& out) {
  io.sequence(out.messages);
  io.value(out.stats.sent);
  io.value(out.stats.by_reason);
  io.value(out.stats.delivered_bytes);
  for (Quantiles* q : {&out.stats.latency, &out.stats.send_block}) {
    io.sequence(q->buckets);
    io.value(q->count);
    io.value(q->sum);
    io.value(q->max);
  }
  io.sequence(out.occupancy);
  io.value(out.receive_calls);
  io.value(out.null_receives);
  io.value(out.receive_timeouts);
  io.value(out.receive_failures);
  io.value(out.receive_wait_total);
  io.value(out.receive_wait_max);
  io.value(out.sim_time);
  io.value(out.wall_time);
  io.value(out.events);
  io.value(out.stop_reason);
  io.sequence(out.deadlock);
}

}  // namespace

RunOutput simulate_isolated(const model::Model& model, const Options& options) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  pid_t child = ::fork();
  if (child < 0) throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
  if (child == 0) {
    ::close(fds[0]);
    int status = 0;
    try {
      RunOutput out = simulate(model, options);
      PipeWriter writer(fds[1]);
      transfer_fields(writer, out);
    } catch (const std::exception& e) {
      fmt::print(stderr, "ipcsim: simulation failed: {}\n", e.what());
      status = 120;
    }
    ::close(fds[1]);
    ::_exit(status);  // skip the parent's atexit handlers and destructors
  }
  ::close(fds[1]);
  RunOutput out;
  std::string error;
  try {
    PipeReader reader(fds[0]);
    transfer_fields(reader, out);
  } catch (const std::exception& e) {
    error = e.what();
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status))
    throw std::runtime_error(fmt::format("simulation crashed ({})", strsignal(WTERMSIG(status))));
  if (!error.empty() || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(error.empty() ? "simulation failed" : error);
  return out;
}

}  // namespace ipcsim::sim
