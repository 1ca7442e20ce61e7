// SimGrid keeps one engine per process, so each run happens in a forked child that sends
// its SimulatedRun back through a pipe. The child is the same binary: plain memory copies of
// the records are a safe encoding.
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "memory_use.hpp"
#include "scenario/text.hpp"
#include "simulation.hpp"

namespace ipcsim::sim {
namespace {

constexpr int failed_with_reason = 120;  // the child's exit status when the pipe holds why

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
  template <class Vector>
  void resize(Vector&, std::size_t) {}

 private:
  int fd_;
};

// Decodes what a child wrote, once all of it has arrived.
class BufferReader {
 public:
  explicit BufferReader(const std::string& bytes) : data_(bytes) {}
  bool bytes(void* data, std::size_t size) {
    if (data_.size() - at_ < size) return false;
    if (size == 0) return true;  // an empty vector's data() may be null, which memcpy must not get
    std::memcpy(data, data_.data() + at_, size);
    at_ += size;
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
    if (n > (data_.size() - at_) / sizeof(typename Sequence::value_type))
      throw std::runtime_error("simulation result cut short");
    s.resize(n);
    bytes(s.data(), n * sizeof(typename Sequence::value_type));
  }
  /// A vector of `n` elements whose fields come next, each at least a byte.
  template <class Vector>
  void resize(Vector& v, std::size_t n) {
    if (n > data_.size() - at_) throw std::runtime_error("simulation result cut short");
    v.resize(n);
  }

 private:
  const std::string& data_;
  std::size_t at_ = 0;
};

// Counts what a PipeWriter would write, so that the reader can hold it all in one piece
// (a growing buffer would hold nearly twice a large trace for a moment).
class ByteCounter {
 public:
  std::uint64_t total = 0;
  void bytes(const void*, std::size_t size) { total += size; }
  template <class T>
  void value(const T& v) {
    bytes(&v, sizeof v);
  }
  template <class Sequence>
  void sequence(const Sequence& s) {
    value(s.size());
    bytes(s.data(), s.size() * sizeof(typename Sequence::value_type));
  }
  template <class Vector>
  void resize(Vector&, std::size_t) {}
};

// One list of fields for both directions, so writer and reader cannot disagree.
template <class Io>
void transfer_stats(Io& io, model::MessageStats& stats) {
  io.value(stats.sent);
  io.value(stats.by_reason);
  io.value(stats.delivered_bytes);
  for (model::Quantiles* q : {&stats.latency, &stats.send_block, &stats.response, &stats.end_to_end}) {
    io.sequence(q->buckets);
    io.value(q->count);
    io.value(q->sum);
    io.value(q->max);
  }
  io.value(stats.sends_blocked);
}

template <class Io>
void transfer_fields(Io& io, model::SimulatedRun& out) {
  io.sequence(out.message_records);
  io.sequence(out.receive_records);
  model::RunResult& result = out.result;
  transfer_stats(io, result.messages);
  io.value(result.receives);
  for (std::vector<model::ChannelResult>* list : {&result.channels, &result.channel_instances}) {
    std::size_t size = list->size();
    io.value(size);
    io.resize(*list, size);  // the reader's; the writer's has that size
    for (model::ChannelResult& channel : *list) {
      transfer_stats(io, channel.messages);
      io.value(channel.receives);
    }
  }
  io.sequence(result.processes);
  io.value(result.stop_reason);
  io.sequence(result.deadlock);
  io.value(result.duration);
  io.sequence(out.occupancy);
  io.sequence(out.instance_occupancy);
  io.value(out.series.step);
  io.value(out.series.channels);
  io.sequence(out.series.bins);
  io.value(out.wall_time);
  io.value(out.events);
}

}  // namespace

IsolatedRun::IsolatedRun(const model::Model& model, const Options& options) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  const pid_t parent = ::getpid();
  const std::uint64_t collector_resident = MemoryUse().now().resident;
  child_ = ::fork();
  if (child_ < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
  }
  if (child_ == 0) {
    // A simulation dies with ipcsim, even by SIGKILL, instead of running on adopted by init;
    // the second test covers a parent that died before the first took effect.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(121);
    ::close(fds[0]);
    int status = 0;
    try {
      Options with_collector = options;
      with_collector.collector_resident_bytes = collector_resident;
      SimulatedRun out = simulate(model, with_collector);
      ByteCounter counter;
      transfer_fields(counter, out);
      PipeWriter writer(fds[1]);
      writer.value(counter.total);
      transfer_fields(writer, out);
    } catch (const std::exception& e) {
      // The reason goes back instead of a result, for the parent to report in one line.
      const std::string reason = e.what();
      PipeWriter writer(fds[1]);
      writer.value(static_cast<std::uint64_t>(reason.size()));
      writer.bytes(reason.data(), reason.size());
      status = failed_with_reason;
    }
    ::close(fds[1]);
    ::_exit(status);  // skip the parent's atexit handlers and destructors
  }
  ::close(fds[1]);
  fd_ = fds[0];
}

IsolatedRun::~IsolatedRun() {
  if (fd_ >= 0) ::close(fd_);
  if (child_ > 0) {  // abandoned: do not leave the child running or a zombie behind
    ::kill(child_, SIGKILL);
    while (::waitpid(child_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

bool IsolatedRun::read_some() {
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n > 0) {
      received_.append(buffer, static_cast<std::size_t>(n));
      if (!sized_ && received_.size() >= sizeof(std::uint64_t)) {  // the size comes first
        std::uint64_t total = 0;
        std::memcpy(&total, received_.data(), sizeof total);
        received_.reserve(sizeof total + total);
        sized_ = true;
      }
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    return false;  // end of output (or a broken pipe, which finish() reports)
  }
}

SimulatedRun IsolatedRun::finish() {
  while (read_some()) {
  }
  ::close(fd_);
  fd_ = -1;
  int status = 0;
  while (::waitpid(child_, &status, 0) < 0 && errno == EINTR) {
  }
  child_ = 0;
  if (WIFSIGNALED(status))
    throw std::runtime_error(fmt::format("simulation crashed ({})", strsignal(WTERMSIG(status))));
  if (WIFEXITED(status) && WEXITSTATUS(status) == failed_with_reason)
    throw std::runtime_error(fmt::format("simulation failed: {}", printable(std::string_view(received_).substr(std::min(
                                                                      received_.size(), sizeof(std::uint64_t))))));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("simulation failed");
  SimulatedRun out;
  BufferReader reader(received_);
  std::uint64_t total = 0;
  reader.value(total);
  transfer_fields(reader, out);
  return out;
}

SimulatedRun simulate_isolated(const model::Model& model, const Options& options) {
  return IsolatedRun(model, options).finish();
}

}  // namespace ipcsim::sim
