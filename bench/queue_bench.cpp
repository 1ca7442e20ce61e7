// The queue core against the best lock-free queues in Debian's packages, measured in one
// run on the same pinned cores with one harness for all: SPSC throughput, SPSC round trip
// (ping-pong over two queues), MPMC throughput (2 producers, 2 consumers), and an atomic
// ping-pong on one cache line as the physical floor. Rows are interleaved (every queue
// once per repetition), then reported as median [min-max] and as a ratio to the best peer.
#include <pthread.h>
#include <sched.h>
#include <sys/utsname.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <atomic_queue/atomic_queue.h>
#include <concurrentqueue/concurrentqueue.h>
#include <readerwriterqueue/readerwriterqueue.h>
#include <boost/lockfree/queue.hpp>
#include <boost/lockfree/spsc_queue.hpp>
#include <xenium/vyukov_bounded_queue.hpp>

#include "core/futex.hpp"
#include "core/mpmc_ring.hpp"
#include "core/spsc_ring.hpp"

namespace {

using Item = std::uint64_t;  // 8-byte items, never 0 (atomic_queue's empty marker)
constexpr std::size_t capacity = 65536;
using Clock = std::chrono::steady_clock;

void pin_to_core(int core) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(static_cast<unsigned>(core) % std::thread::hardware_concurrency(), &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

// The same back-off for every queue: spin with PAUSE, yield now and then (with more
// threads than cores a spinning thread would otherwise starve the one it waits for).
struct Backoff {
  int spins = 0;
  void operator()() {
    if (++spins % 64 == 0)
      std::this_thread::yield();
    else
      ipcsim::core::cpu_relax();
  }
};

// Adapters: one shape, push() and pop() that wait by spinning, for every queue.
template <class Q>
struct TryAdapter {  // queues with try_push(v) / try_pop(v&)
  Q q;
  template <class... A>
  explicit TryAdapter(A&&... a) : q(std::forward<A>(a)...) {}
  void push(Item v) {
    for (Backoff b; !q.try_push(v);) b();
  }
  Item pop() {
    Item v;
    for (Backoff b; !q.try_pop(v);) b();
    return v;
  }
};

struct IpcsimSpsc : TryAdapter<ipcsim::core::SpscRing<Item>> {
  IpcsimSpsc() : TryAdapter(capacity) {}
};
struct IpcsimMpmc {  // its own ticket-taking push/pop, like atomic_queue's optimist ones
  ipcsim::core::MpmcRing<Item> q{capacity};
  void push(Item v) { q.push(v); }
  Item pop() { return q.pop(); }
};

template <bool spsc>
using AtomicQ = atomic_queue::AtomicQueue<Item, capacity, Item{0}, true, true, false, spsc>;
template <bool spsc>
struct AtomicQueuePessimist : TryAdapter<AtomicQ<spsc>> {};
template <bool spsc>
struct OptimistAtomicQueue {  // atomic_queue's own waiting push/pop: no full/empty check first
  AtomicQ<spsc> q;
  void push(Item v) { q.push(v); }
  Item pop() { return q.pop(); }
};

// Each peer in try_push / try_pop form, so TryAdapter gives them all the same waiting.
struct BoostSpscImpl {
  boost::lockfree::spsc_queue<Item, boost::lockfree::capacity<capacity>> q;
  bool try_push(Item v) { return q.push(v); }
  bool try_pop(Item& v) { return q.pop(v); }
};
struct BoostQueueImpl {  // fixed-size: its 16-bit node indices allow at most 65535 nodes
  boost::lockfree::queue<Item, boost::lockfree::capacity<capacity - 2>> q;
  bool try_push(Item v) { return q.bounded_push(v); }
  bool try_pop(Item& v) { return q.pop(v); }
};
// Bounded use of ConcurrentQueue: try_enqueue never allocates, so the capacity is what was
// preallocated; the block index must be large enough to address 65,536 slots.
struct BoundedTraits : moodycamel::ConcurrentQueueDefaultTraits {
  static const std::size_t EXPLICIT_INITIAL_INDEX_SIZE = capacity / BLOCK_SIZE;
  static const std::size_t IMPLICIT_INITIAL_INDEX_SIZE = capacity / BLOCK_SIZE;
};
struct MoodycamelImpl {
  moodycamel::ConcurrentQueue<Item, BoundedTraits> q{capacity};
  bool try_push(Item v) { return q.try_enqueue(v); }
  bool try_pop(Item& v) { return q.try_dequeue(v); }
};
struct MoodycamelTokensImpl {  // one producer token, one consumer token: SPSC use only
  moodycamel::ConcurrentQueue<Item, BoundedTraits> q{capacity};
  moodycamel::ProducerToken producer{q};
  moodycamel::ConsumerToken consumer{q};
  bool try_push(Item v) { return q.try_enqueue(producer, v); }
  bool try_pop(Item& v) { return q.try_dequeue(consumer, v); }
};
struct ReaderWriterImpl {
  moodycamel::ReaderWriterQueue<Item> q{capacity};
  bool try_push(Item v) { return q.try_enqueue(v); }
  bool try_pop(Item& v) { return q.try_dequeue(v); }
};
using BoostSpsc = TryAdapter<BoostSpscImpl>;
using BoostQueue = TryAdapter<BoostQueueImpl>;
using MoodycamelQueue = TryAdapter<MoodycamelImpl>;
using MoodycamelTokens = TryAdapter<MoodycamelTokensImpl>;
using ReaderWriter = TryAdapter<ReaderWriterImpl>;
struct XeniumVyukov : TryAdapter<xenium::vyukov_bounded_queue<Item>> {
  XeniumVyukov() : TryAdapter(capacity) {}
};
struct MutexDeque {  // the floor any lock-free queue must beat
  std::mutex m;
  std::deque<Item> d;
  bool try_push(Item v) {
    std::lock_guard lock(m);
    if (d.size() >= capacity) return false;
    d.push_back(v);
    return true;
  }
  bool try_pop(Item& v) {
    std::lock_guard lock(m);
    if (d.empty()) return false;
    v = d.front();
    d.pop_front();
    return true;
  }
};
struct MutexDequeAdapter : TryAdapter<MutexDeque> {};

// Producers push 1..n each; consumers pop until all are in; the sum proves nothing was
// lost or duplicated. Returns items per second.
template <class Q>
double throughput(int producers, int consumers, std::uint64_t items_per_producer) {
  auto queue = std::make_unique<Q>();
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::atomic<std::uint64_t> popped_sum{0};
  const std::uint64_t total = items_per_producer * static_cast<std::uint64_t>(producers);
  std::atomic<std::int64_t> remaining{static_cast<std::int64_t>(total)};  // goes negative at the end
  std::vector<std::thread> threads;
  for (int c = 0; c < consumers; ++c)
    threads.emplace_back([&, c] {
      pin_to_core(1 + c);
      ++ready;
      while (!go.load(std::memory_order_acquire)) {
      }
      std::uint64_t sum = 0;
      if (consumers == 1) {
        for (std::uint64_t i = 0; i < total; ++i) sum += queue->pop();
      } else {
        // Claim an item before popping it, so no consumer waits for one that never comes.
        while (remaining.fetch_sub(1, std::memory_order_relaxed) > 0) sum += queue->pop();
      }
      popped_sum += sum;
    });
  for (int p = 0; p < producers; ++p)
    threads.emplace_back([&, p] {
      pin_to_core(p);
      ++ready;
      while (!go.load(std::memory_order_acquire)) {
      }
      for (std::uint64_t i = 1; i <= items_per_producer; ++i) queue->push(i);
    });
  while (ready.load() < producers + consumers) {
  }
  auto start = Clock::now();
  go.store(true, std::memory_order_release);
  for (auto& t : threads) t.join();
  std::chrono::duration<double> elapsed = Clock::now() - start;
  const std::uint64_t expected =
      static_cast<std::uint64_t>(producers) * items_per_producer * (items_per_producer + 1) / 2;
  if (popped_sum.load() != expected) {
    std::fprintf(stderr, "checksum mismatch: %lu != %lu\n", popped_sum.load(), expected);
    std::exit(1);
  }
  return static_cast<double>(total) / elapsed.count();
}

// Ping-pong over two queues: nanoseconds per round trip.
template <class Q>
double round_trip(std::uint64_t trips) {
  auto ping = std::make_unique<Q>(), pong = std::make_unique<Q>();
  std::thread echo([&] {
    pin_to_core(1);
    for (std::uint64_t i = 0; i < trips; ++i) pong->push(ping->pop());
  });
  pin_to_core(0);
  auto start = Clock::now();
  for (std::uint64_t i = 1; i <= trips; ++i) {
    ping->push(i);
    if (pong->pop() != i) std::exit(1);
  }
  std::chrono::duration<double, std::nano> elapsed = Clock::now() - start;
  echo.join();
  return elapsed.count() / static_cast<double>(trips);
}

// The floor: two threads take turns flipping one atomic on one cache line.
double atomic_ping_pong(std::uint64_t trips) {
  alignas(64) std::atomic<std::uint64_t> turn{0};
  std::thread other([&] {
    pin_to_core(1);
    for (std::uint64_t i = 0; i < trips; ++i) {
      while (turn.load(std::memory_order_acquire) != 2 * i + 1) {
      }
      turn.store(2 * i + 2, std::memory_order_release);
    }
  });
  pin_to_core(0);
  auto start = Clock::now();
  for (std::uint64_t i = 0; i < trips; ++i) {
    turn.store(2 * i + 1, std::memory_order_release);
    while (turn.load(std::memory_order_acquire) != 2 * i + 2) {
    }
  }
  std::chrono::duration<double, std::nano> elapsed = Clock::now() - start;
  other.join();
  return elapsed.count() / static_cast<double>(trips);
}

struct Row {
  std::string figure, queue;
  bool ours, higher_is_better;
  std::function<double()> measure;
  std::vector<double> samples;
};

std::string machine() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line, model = "unknown CPU";
  while (std::getline(cpuinfo, line))
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  utsname u{};
  uname(&u);
  return model + ", " + std::to_string(std::thread::hardware_concurrency()) + " CPUs, Linux " + u.release;
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 5;
  double scale = 1.0;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--reps") && i + 1 < argc)
      reps = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--scale") && i + 1 < argc)
      scale = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--only") && i + 1 < argc)
      only = argv[++i];
    else {
      std::fprintf(stderr,
                   "usage: %s [--reps N] [--scale F] [--only TEXT]\n"
                   "  F=1: 50M SPSC items, 10M per MPMC producer, 1M round trips; TEXT: run only the rows\n"
                   "  whose figure or queue name contains it (e.g. \"SPSC throughput\")\n",
                   argv[0]);
      return 2;
    }
  }
  const auto spsc_items = static_cast<std::uint64_t>(50e6 * scale);
  const auto mpmc_items = static_cast<std::uint64_t>(10e6 * scale);
  const auto trips = static_cast<std::uint64_t>(1e6 * scale);

  std::vector<Row> rows;
  auto spsc = [&](std::string name, bool ours, auto tag) {
    using Q = typename decltype(tag)::type;
    rows.push_back(
        {"SPSC throughput (M items/s)", name, ours, true, [=] { return throughput<Q>(1, 1, spsc_items) / 1e6; }, {}});
    rows.push_back({"SPSC round trip (ns)", name, ours, false, [=] { return round_trip<Q>(trips); }, {}});
  };
  auto mpmc = [&](std::string name, bool ours, auto tag) {
    using Q = typename decltype(tag)::type;
    rows.push_back({"MPMC 2P2C throughput (M items/s)",
                    name,
                    ours,
                    true,
                    [=] { return throughput<Q>(2, 2, mpmc_items) / 1e6; },
                    {}});
  };
  auto type = [](auto* p) { return std::type_identity<std::remove_pointer_t<decltype(p)>>{}; };
  spsc("ipcsim SpscRing", true, type((IpcsimSpsc*)nullptr));
  spsc("atomic_queue OptimistAtomicQueue (SPSC)", false, type((OptimistAtomicQueue<true>*)nullptr));
  spsc("atomic_queue AtomicQueue (SPSC)", false, type((AtomicQueuePessimist<true>*)nullptr));
  spsc("boost::lockfree::spsc_queue", false, type((BoostSpsc*)nullptr));
  spsc("moodycamel::ReaderWriterQueue", false, type((ReaderWriter*)nullptr));
  spsc("moodycamel::ConcurrentQueue+tokens", false, type((MoodycamelTokens*)nullptr));
  spsc("std::mutex + std::deque", false, type((MutexDequeAdapter*)nullptr));
  mpmc("ipcsim MpmcRing", true, type((IpcsimMpmc*)nullptr));
  mpmc("atomic_queue OptimistAtomicQueue", false, type((OptimistAtomicQueue<false>*)nullptr));
  mpmc("atomic_queue AtomicQueue", false, type((AtomicQueuePessimist<false>*)nullptr));
  mpmc("boost::lockfree::queue", false, type((BoostQueue*)nullptr));
  mpmc("moodycamel::ConcurrentQueue", false, type((MoodycamelQueue*)nullptr));
  mpmc("xenium vyukov_bounded_queue", false, type((XeniumVyukov*)nullptr));
  mpmc("std::mutex + std::deque", false, type((MutexDequeAdapter*)nullptr));
  rows.push_back({"SPSC round trip (ns)",
                  "floor: atomic ping-pong, one cache line",
                  false,
                  false,
                  [=] { return atomic_ping_pong(trips); },
                  {}});
  std::erase_if(rows, [&](const Row& row) {
    return row.figure.find(only) == std::string::npos && row.queue.find(only) == std::string::npos;
  });

  std::printf(
      "machine: %s\ncompiler: g++ %s, -O2\nrepetitions: %d, interleaved; SPSC %lu items, MPMC %lu per producer, %lu "
      "round trips\n\n",
      machine().c_str(), __VERSION__, reps, spsc_items, mpmc_items, trips);
  for (int r = 0; r < reps; ++r)
    for (Row& row : rows) {
      row.samples.push_back(row.measure());
      std::fprintf(stderr, "\rrepetition %d/%d: %-40s", r + 1, reps, row.queue.c_str());
    }
  std::fprintf(stderr, "\n");

  std::map<std::string, double> best_peer;
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  for (const Row& row : rows) {
    if (row.ours || row.queue.rfind("floor", 0) == 0) continue;
    double m = median(row.samples);
    auto [it, fresh] = best_peer.try_emplace(row.figure, m);
    if (!fresh) it->second = row.higher_is_better ? std::max(it->second, m) : std::min(it->second, m);
  }
  std::string figure;
  for (const std::string& f :
       {"SPSC throughput (M items/s)", "SPSC round trip (ns)", "MPMC 2P2C throughput (M items/s)"}) {
    if (std::none_of(rows.begin(), rows.end(), [&](const Row& row) { return row.figure == f; })) continue;
    std::printf("| %s | median | min-max | vs best peer |\n|---|---|---|---|\n", f.c_str());
    for (const Row& row : rows) {
      if (row.figure != f) continue;
      auto [lo, hi] = std::minmax_element(row.samples.begin(), row.samples.end());
      double m = median(row.samples);
      double best = best_peer.count(f) ? best_peer[f] : m;
      double ratio = row.higher_is_better ? m / best : best / m;
      std::printf("| %s%s%s | %.1f | %.1f-%.1f | %.2fx |\n", row.ours ? "**" : "", row.queue.c_str(),
                  row.ours ? "**" : "", m, *lo, *hi, ratio);
    }
    std::printf("\n");
  }
  std::printf(
      "vs best peer: the queue's median over the best peer's median, >1 is better (for round trips, best/ours).\n");
}
