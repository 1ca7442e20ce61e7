// Many threads, millions of items: every item delivered exactly once, per-producer FIFO,
// blocking waits wake up, hand-offs never complete without a taker. Sized by
// IPCSIM_STRESS_SCALE so the sanitizer builds in CI run a reduced version.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <thread>
#include <vector>

#include "core/blocking.hpp"
#include "core/handoff.hpp"
#include "core/mpmc_ring.hpp"
#include "core/mpsc_queue.hpp"
#include "core/spsc_ring.hpp"
#include "counted.hpp"

using namespace ipcsim::core;
using ipcsim::test::Counted;

double ipcsim::test::stress_scale() {
  const char* scale = std::getenv("IPCSIM_STRESS_SCALE");
  return scale ? std::max(0.001, std::atof(scale)) : 1.0;
}

namespace {

std::uint64_t scaled(std::uint64_t n) {
  return std::max<std::uint64_t>(1000,
                                 static_cast<std::uint64_t>(static_cast<double>(n) * ipcsim::test::stress_scale()));
}

// An item names its producer and its rank among that producer's items.
std::uint64_t item(std::uint64_t producer, std::uint64_t rank) { return producer << 40 | rank; }
std::uint64_t producer_of(std::uint64_t v) { return v >> 40; }
std::uint64_t rank_of(std::uint64_t v) { return v & ((std::uint64_t{1} << 40) - 1); }

// Runs producers pushing `per_producer` items each and consumers popping until all are
// in, then checks that each item arrived exactly once and in order per producer and
// consumer. A push returns false when the queue was closed; a pop returns nothing when there
// is nothing now (spinning kinds) or when the queue was closed (blocking kinds, which wait
// with no timeout: a lost wake-up then leaves items unreceived and fails the test, rather
// than being retried away). Once everything is in, or after a minute, `close` ends the waits
// still going on.
template <class Push, class Pop, class Close>
void exchange(int producers, int consumers, std::uint64_t per_producer, Push push, Pop pop, Close close) {
  const std::uint64_t total = per_producer * static_cast<std::uint64_t>(producers);
  std::atomic<std::uint64_t> received{0};
  std::atomic<bool> closed{false};
  std::vector<std::vector<std::uint64_t>> seen(static_cast<std::size_t>(consumers));
  std::vector<std::thread> threads;
  for (int c = 0; c < consumers; ++c)
    threads.emplace_back([&, c] {
      auto& mine = seen[static_cast<std::size_t>(c)];
      while (received.load(std::memory_order_relaxed) < total && !closed.load()) {
        if (auto v = pop()) {
          mine.push_back(*v);
          received.fetch_add(1, std::memory_order_relaxed);
        }
      }
    });
  for (int p = 0; p < producers; ++p)
    threads.emplace_back([&, p] {
      for (std::uint64_t r = 0; r < per_producer; ++r)
        if (!push(item(static_cast<std::uint64_t>(p), r))) return;
    });
  const auto deadline = Clock::now() + std::chrono::minutes(1);
  while (received.load() < total && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  closed = true;
  close();
  for (auto& t : threads) t.join();

  std::vector<std::uint64_t> count(total, 0);
  for (const auto& mine : seen) {
    std::vector<std::int64_t> last(static_cast<std::size_t>(producers), -1);
    for (std::uint64_t v : mine) {
      auto p = producer_of(v);
      auto r = static_cast<std::int64_t>(rank_of(v));
      REQUIRE(p < static_cast<std::uint64_t>(producers));
      REQUIRE(r > last[p]);  // FIFO per producer, as each consumer sees it
      last[p] = r;
      ++count[p * per_producer + static_cast<std::uint64_t>(r)];
    }
  }
  REQUIRE(received.load() == total);
  REQUIRE(std::all_of(count.begin(), count.end(), [](std::uint64_t c) { return c == 1; }));
}

template <class Queue>
auto spin_push(Queue& q) {
  return [&q](std::uint64_t v) {
    while (!q.try_push(v)) cpu_relax();
    return true;
  };
}
template <class Queue>
auto spin_pop(Queue& q) {
  return [&q] { return q.try_pop(); };
}
constexpr auto nothing_to_close = [] {};

// A blocking queue (or hand-off) waited on with no timeout, closed at the end.
template <class Queue>
void exchange_blocking(int producers, int consumers, std::uint64_t per_producer, Queue& q) {
  exchange(
      producers, consumers, per_producer, [&](std::uint64_t v) { return q.push_until(v, std::nullopt); },
      [&] { return q.pop_until(std::nullopt); }, [&] { q.close(); });
}

}  // namespace

TEST_CASE("SPSC ring: one producer and one consumer pass millions of items in order") {
  SpscRing<std::uint64_t> ring(1024);
  exchange(1, 1, scaled(5'000'000), spin_push(ring), spin_pop(ring), nothing_to_close);
}

TEST_CASE("SPSC ring of counted elements: no leak, no double destruction under threads") {
  Counted::alive = 0;
  {
    SpscRing<Counted> ring(64);
    const std::uint64_t n = scaled(1'000'000);
    std::thread producer([&] {
      for (std::uint64_t i = 0; i < n; ++i)
        while (!ring.try_emplace(i)) cpu_relax();
    });
    for (std::uint64_t i = 0; i < n; ++i) {
      Counted* front;
      while (!(front = ring.front())) cpu_relax();
      REQUIRE(front->value == i);
      REQUIRE(front->canary == 0xC0FFEE);
      ring.pop();
    }
    producer.join();
  }
  CHECK(Counted::alive == 0);
}

TEST_CASE("MPMC ring: 3 producers and 3 consumers, every item exactly once, FIFO per producer") {
  MpmcRing<std::uint64_t> ring(256);
  exchange(3, 3, scaled(1'000'000), spin_push(ring), spin_pop(ring), nothing_to_close);
}

TEST_CASE("MPMC ring with a tiny capacity under contention") {
  MpmcRing<std::uint64_t> ring(2);
  exchange(4, 2, scaled(200'000), spin_push(ring), spin_pop(ring), nothing_to_close);
}

TEST_CASE("unbounded MPSC queue: 4 producers, one consumer, exactly once, FIFO per producer") {
  MpscQueue<std::uint64_t> queue;
  exchange(4, 1, scaled(500'000), spin_push(queue), spin_pop(queue), nothing_to_close);
}

TEST_CASE("blocking rings: sleepers wake up, nothing is lost") {
  SECTION("SPSC, capacity 2") {
    Blocking<SpscRing<std::uint64_t>> ring(2);
    exchange_blocking(1, 1, scaled(300'000), ring);
  }
  SECTION("MPMC, capacity 4, more threads than cores") {
    Blocking<MpmcRing<std::uint64_t>> ring(4);
    exchange_blocking(3, 3, scaled(100'000), ring);
  }
  SECTION("MPSC, 2 producers, the consumer asleep whenever the queue is empty") {
    Blocking<MpscQueue<std::uint64_t>> queue;
    exchange_blocking(2, 1, scaled(100'000), queue);
  }
}

TEST_CASE("a blocked pop wakes when an item arrives long after it started waiting") {
  Blocking<SpscRing<int>> ring(4);
  // The pop must return after the push, however the machine schedules the two threads (a
  // check of the time waited failed on a loaded machine when the main thread started late).
  std::atomic<Clock::rep> pushing_at{0};
  std::thread late([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    pushing_at.store(Clock::now().time_since_epoch().count());
    ring.push(9);
  });
  CHECK(ring.pop() == 9);
  const Clock::rep returned_at = Clock::now().time_since_epoch().count();
  late.join();
  CHECK(returned_at >= pushing_at.load());
}

TEST_CASE("a timed pop returns on time when nothing comes, and never consumes a late item") {
  Blocking<MpmcRing<int>> ring(4);
  for (int round = 0; round < 5; ++round) {
    auto start = Clock::now();
    CHECK(!ring.pop_for(std::chrono::milliseconds(10)));
    auto waited = Clock::now() - start;
    CHECK(waited >= std::chrono::milliseconds(10));
    CHECK(waited < std::chrono::seconds(2));  // generous: a loaded machine may be slow
  }
  ring.push(3);
  CHECK(ring.pop_for(std::chrono::milliseconds(10)) == 3);
}

TEST_CASE("a hand-off push does not complete until a pop takes the element") {
  Handoff<int> handoff;
  std::atomic<bool> returned{false};
  std::thread producer([&] {
    handoff.push(42);
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(!returned.load());
  CHECK(handoff.pop() == 42);
  producer.join();
  CHECK(returned.load());
}

TEST_CASE("a non-blocking hand-off push succeeds when a consumer is already waiting") {
  Handoff<int> handoff;
  std::thread consumer([&] { CHECK(handoff.pop_for(std::chrono::seconds(10)) == 7); });
  int value = 7;
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!handoff.try_push(value) && Clock::now() < deadline) std::this_thread::yield();
  consumer.join();
}

TEST_CASE("hand-off: 3 producers and 3 consumers, every element exactly once") {
  Handoff<std::uint64_t> handoff;
  exchange_blocking(3, 3, scaled(20'000), handoff);
}

TEST_CASE("hand-off: timed pushes succeed while a consumer keeps coming, and those that give up are never delivered") {
  Handoff<std::uint64_t> handoff;
  std::vector<std::uint64_t> received;
  std::thread consumer([&] {
    while (auto v = handoff.pop_until(std::nullopt)) received.push_back(*v);  // until closed
  });
  std::vector<std::uint64_t> sent;
  // A generous timeout: the consumer is back within microseconds, so every push must succeed.
  const std::uint64_t sure = scaled(5'000);
  for (std::uint64_t i = 0; i < sure; ++i) {
    std::uint64_t v = i;
    REQUIRE(handoff.push_for(v, std::chrono::seconds(10)));
    sent.push_back(i);
  }
  // Timeouts shorter than the consumer's turn-around: some give up, and keep their element.
  const std::uint64_t racing = scaled(20'000);
  std::uint64_t gave_up = 0;
  for (std::uint64_t i = sure; i < sure + racing; ++i) {
    std::uint64_t v = i;
    if (handoff.push_for(v, std::chrono::microseconds(20))) {
      sent.push_back(i);
    } else {
      REQUIRE(v == i);
      ++gave_up;
    }
  }
  // The last push returned only once the consumer had taken its element: closing now
  // loses nothing that was pushed.
  handoff.close();
  consumer.join();
  CHECK(received == sent);
  CHECK(sent.size() + gave_up == sure + racing);
}

TEST_CASE("MPMC ring's ticket-taking push and pop mix with the try operations") {
  MpmcRing<std::uint64_t> ring(64);
  std::atomic<int> turn{0};
  exchange(
      2, 2, scaled(300'000),
      [&](std::uint64_t v) {
        if (turn.fetch_add(1, std::memory_order_relaxed) % 2)
          ring.push(v);
        else
          while (!ring.try_push(v)) cpu_relax();
        return true;
      },
      [&]() -> std::optional<std::uint64_t> { return ring.try_pop(); }, nothing_to_close);
}

TEST_CASE("closing a blocking ring wakes every waiter, and later waits give up at once") {
  Blocking<SpscRing<int>> ring(1);
  ring.push(1);  // full: a pusher waits
  std::atomic<int> gave_up{0};
  std::thread pusher([&] {
    int v = 2;
    if (!ring.push_until(v, std::nullopt)) gave_up.fetch_add(1);
    CHECK(v == 2);  // a failed push leaves the value with the caller
  });
  Blocking<MpscQueue<int>> empty;
  std::thread popper([&] {
    if (!empty.pop_until(std::nullopt)) gave_up.fetch_add(1);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  ring.close();
  empty.close();
  pusher.join();
  popper.join();
  CHECK(gave_up == 2);
  CHECK(ring.closed());
  CHECK(!empty.pop_until(std::nullopt));  // returns at once
  CHECK(ring.try_pop() == 1);             // what was queued can still be drained
}

TEST_CASE("closing a hand-off gives blocked pushes their element back and ends blocked pops") {
  Handoff<int> handoff;
  std::atomic<int> gave_up{0};
  std::thread pusher([&] {
    int v = 5;
    if (!handoff.push_until(v, std::nullopt)) gave_up.fetch_add(1);
    CHECK(v == 5);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  handoff.close();
  pusher.join();
  Handoff<int> lonely;
  std::thread popper([&] {
    if (!lonely.pop_until(std::nullopt)) gave_up.fetch_add(1);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  lonely.close();
  popper.join();
  CHECK(gave_up == 2);
  int v = 1;
  CHECK(!handoff.push_until(v, std::nullopt));  // later waits give up at once
}

TEST_CASE("hand-off: a close racing with exchanges loses and duplicates nothing") {
  for (int round = 0; round < 50; ++round) {
    Handoff<std::uint64_t> handoff;
    std::atomic<std::uint64_t> pushed{0}, popped{0};
    std::thread producer([&] {
      for (std::uint64_t i = 0;; ++i) {
        std::uint64_t v = i;
        if (!handoff.push_until(v, std::nullopt)) break;
        pushed.fetch_add(1);
      }
    });
    std::thread consumer([&] {
      while (handoff.pop_until(std::nullopt)) popped.fetch_add(1);
    });
    std::this_thread::sleep_for(std::chrono::microseconds(200 * (round % 5)));
    handoff.close();
    producer.join();
    consumer.join();
    CHECK(pushed.load() == popped.load());
  }
}
