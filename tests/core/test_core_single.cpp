// Single-thread semantics of every queue of the core.
#include <catch2/catch.hpp>

#include "core/blocking.hpp"
#include "core/handoff.hpp"
#include "core/mpmc_ring.hpp"
#include "core/mpsc_queue.hpp"
#include "core/spsc_ring.hpp"
#include "counted.hpp"

using namespace ipcsim::core;
using ipcsim::test::Counted;
using ipcsim::test::MoveOnly;

namespace {
// The rings take a capacity; the unbounded queue does not.
template <class Queue>
std::unique_ptr<Queue> make_queue(std::size_t capacity) {
  if constexpr (std::is_constructible_v<Queue, std::size_t>)
    return std::make_unique<Queue>(capacity);
  else
    return std::make_unique<Queue>();
}
}  // namespace

TEMPLATE_TEST_CASE("bounded rings are FIFO, refuse pushes when full and pops when empty", "", SpscRing<int>,
                   MpmcRing<int>) {
  TestType ring(4);
  REQUIRE(ring.capacity() == 4);
  CHECK(!ring.try_pop());
  for (int i = 0; i < 4; ++i) CHECK(ring.try_push(i));
  int rejected = 99;
  CHECK(!ring.try_push(rejected));
  CHECK(ring.size() == 4);
  for (int i = 0; i < 4; ++i) CHECK(ring.try_pop() == i);
  CHECK(!ring.try_pop());
}

TEMPLATE_TEST_CASE("bounded rings wrap around many times in order", "", SpscRing<std::uint64_t>,
                   MpmcRing<std::uint64_t>) {
  TestType ring(8);
  std::uint64_t next_in = 0, next_out = 0;
  for (int round = 0; round < 10000; ++round) {
    int burst = round % 8 + 1;
    for (int i = 0; i < burst; ++i) REQUIRE(ring.try_push(next_in++));
    for (int i = 0; i < burst; ++i) REQUIRE(ring.try_pop() == next_out++);
  }
  CHECK(!ring.try_pop());
}

TEST_CASE("the SPSC ring's capacity is exact even when not a power of two") {
  SpscRing<int> ring(5);
  for (int i = 0; i < 5; ++i) REQUIRE(ring.try_push(i));
  CHECK(!ring.try_push(5));
  CHECK(ring.try_pop() == 0);
  CHECK(ring.try_push(5));
}

TEST_CASE("the MPMC ring rounds its capacity up to a power of two, at least 2") {
  MpmcRing<int> ring(5);
  CHECK(ring.capacity() == 8);
  MpmcRing<int> one(1);
  CHECK(one.capacity() == 2);
  CHECK(one.try_push(1));
  CHECK(one.try_push(2));
  CHECK(!one.try_push(3));  // a one-slot ring used to accept this, overwriting the first
  CHECK(one.try_pop() == 1);
  CHECK(one.try_pop() == 2);
}

TEMPLATE_TEST_CASE("queues hold move-only elements", "", SpscRing<MoveOnly>, MpmcRing<MoveOnly>, MpscQueue<MoveOnly>) {
  auto queue = make_queue<TestType>(4);
  auto element = std::make_unique<std::uint64_t>(7);
  REQUIRE(queue->try_push(std::move(element)));
  CHECK(element == nullptr);
  auto out = queue->try_pop();
  REQUIRE(out);
  CHECK(**out == 7);
}

TEST_CASE("a failed push leaves a move-only value with the caller") {
  SpscRing<MoveOnly> ring(1);
  REQUIRE(ring.try_push(std::make_unique<std::uint64_t>(1)));
  auto kept = std::make_unique<std::uint64_t>(2);
  CHECK(!ring.try_push(std::move(kept)));
  REQUIRE(kept);
  CHECK(*kept == 2);
}

TEMPLATE_TEST_CASE("every element's destructor runs exactly once, queued ones with the queue", "", SpscRing<Counted>,
                   MpmcRing<Counted>, MpscQueue<Counted>) {
  Counted::alive = 0;
  {
    auto queue = make_queue<TestType>(16);
    for (std::uint64_t i = 0; i < 10; ++i) REQUIRE(queue->try_push(Counted(i)));
    for (std::uint64_t i = 0; i < 4; ++i) {
      auto out = queue->try_pop();
      REQUIRE(out);
      CHECK(out->value == i);
      CHECK(out->canary == 0xC0FFEE);
    }
    CHECK(Counted::alive > 0);
  }
  CHECK(Counted::alive == 0);
}

TEST_CASE("the unbounded MPSC queue never refuses and keeps order") {
  MpscQueue<int> queue;
  for (int i = 0; i < 100000; ++i) REQUIRE(queue.try_push(i));
  for (int i = 0; i < 100000; ++i) REQUIRE(queue.try_pop() == i);
  CHECK(!queue.try_pop());
}

TEST_CASE("a hand-off refuses a non-blocking push and pop when nobody is on the other side") {
  Handoff<int> handoff;
  int value = 5;
  CHECK(!handoff.try_push(value));
  CHECK(value == 5);
  CHECK(!handoff.try_pop());
  CHECK(!handoff.push_for(value, std::chrono::milliseconds(5)));
  CHECK(value == 5);
  CHECK(!handoff.pop_for(std::chrono::milliseconds(5)));
}

TEST_CASE("timed operations on a blocking ring give up at the deadline and consume nothing") {
  Blocking<SpscRing<int>> ring(1);
  int first = 1;
  REQUIRE(ring.try_push(first));
  int second = 2;
  auto start = Clock::now();
  CHECK(!ring.push_for(second, std::chrono::milliseconds(20)));
  CHECK(Clock::now() - start >= std::chrono::milliseconds(20));
  CHECK(second == 2);
  CHECK(ring.pop() == 1);
  start = Clock::now();
  CHECK(!ring.pop_for(std::chrono::milliseconds(20)));
  CHECK(Clock::now() - start >= std::chrono::milliseconds(20));
}
