#include "interruption.hpp"

#include <sys/mman.h>

#include <fmt/format.h>

#include <csignal>
#include <filesystem>
#include <new>

#include "scenario/text.hpp"

namespace ipcsim::cli {
namespace {

struct Shared {
  std::atomic<bool> interrupted{false};
  std::atomic<int> signal{0};
};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "a signal handler may store only to lock-free atomics");

Shared* shared = nullptr;  // what the handler writes to

void on_signal(int number) {
  shared->signal.store(number);
  shared->interrupted.store(true);
}

}  // namespace

const std::atomic<bool>& interruption_flag() {
  static const bool installed = [] {
    void* page = ::mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    shared = page == MAP_FAILED ? new Shared : new (page) Shared;
    struct sigaction action {};
    action.sa_handler = on_signal;
    ::sigemptyset(&action.sa_mask);
    for (int number : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(number, &action, nullptr);
    return true;
  }();
  (void)installed;
  return shared->interrupted;
}

int exit_interrupted_nothing_written(const std::string& output) {
  std::error_code ec;
  fmt::print(stderr, "ipcsim: interrupted: nothing written{}\n",
             std::filesystem::exists(output, ec) ? ", " + printable(output) + " left as it was" : "");
  const int number = shared ? shared->signal.load() : 0;
  return 128 + (number ? number : SIGINT);
}

}  // namespace ipcsim::cli
