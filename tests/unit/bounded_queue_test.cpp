#include "common/bounded_queue.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

using leakd::BoundedQueue;
using namespace std::chrono_literals;

TEST_CASE("the queue refuses past its capacity and hands items over in order", "[queue]") {
  BoundedQueue<int> q(2);
  int a = 1, b = 2, c = 3;
  CHECK(q.TryPush(a));
  CHECK(q.TryPush(b));
  CHECK_FALSE(q.TryPush(c));
  CHECK(c == 3);  // a refused item is left untouched
  CHECK(q.Pop(0ms) == 1);
  CHECK(q.Pop(0ms) == 2);
  CHECK_FALSE(q.Pop(1ms).has_value());
}

TEST_CASE("closing lets consumers drain what is left, then stop", "[queue]") {
  BoundedQueue<int> q(4);
  int x = 7;
  q.TryPush(x);
  q.Close();
  int y = 8;
  CHECK_FALSE(q.TryPush(y));
  CHECK(q.Pop(0ms) == 7);
  CHECK(q.closed_and_empty());
}

TEST_CASE("one producer and several consumers move every item exactly once", "[queue]") {
  BoundedQueue<int> q(8);
  constexpr int kItems = 50000;
  std::atomic<long long> sum{0};
  std::atomic<int> count{0};
  std::vector<std::thread> consumers;
  for (int i = 0; i < 3; ++i) {
    consumers.emplace_back([&] {
      for (;;) {
        auto item = q.Pop(5ms);
        if (item) {
          sum += *item;
          ++count;
        } else if (q.closed_and_empty()) {
          return;
        }
      }
    });
  }
  for (int i = 1; i <= kItems; ++i) {
    int item = i;
    while (!q.TryPush(item)) std::this_thread::yield();  // full: back-pressure
  }
  q.Close();
  for (auto& t : consumers) t.join();
  CHECK(count == kItems);
  CHECK(sum == static_cast<long long>(kItems) * (kItems + 1) / 2);
}

TEST_CASE("PushUntil waits for room that a consumer makes, and gives up at its deadline",
          "[queue]") {
  BoundedQueue<int> q(1);
  int a = 1, b = 2, c = 3;
  REQUIRE(q.TryPush(a));
  // Nobody pops: refused at the deadline, the item left untouched.
  CHECK_FALSE(q.PushUntil(b, std::chrono::steady_clock::now() + 5ms));
  CHECK(b == 2);
  // A consumer pops a little later: the waiting push gets the room.
  std::thread consumer([&] {
    std::this_thread::sleep_for(20ms);
    q.Pop(0ms);
  });
  CHECK(q.PushUntil(c, std::chrono::steady_clock::now() + 10s));
  consumer.join();
  CHECK(q.Pop(0ms) == 3);
  // Closing wakes a waiting push, which is then refused.
  REQUIRE(q.TryPush(a));
  std::thread closer([&] {
    std::this_thread::sleep_for(20ms);
    q.Close();
  });
  CHECK_FALSE(q.PushUntil(b, std::chrono::steady_clock::now() + 10s));
  closer.join();
}

TEST_CASE("a push waiting on a full queue gets in once consumers have halved it", "[queue]") {
  // Producers are woken at half capacity, not at every pop (the header says
  // why); the wake must not be lost on the way down.
  BoundedQueue<int> q(8);
  for (int i = 0; i < 8; ++i) REQUIRE(q.TryPush(i));
  int late = 8;
  std::thread consumer([&] {
    for (int i = 0; i < 4; ++i) {
      std::this_thread::sleep_for(5ms);
      q.Pop(0ms);
    }
  });
  CHECK(q.PushUntil(late, std::chrono::steady_clock::now() + 10s));
  consumer.join();
  for (int expected = 4; expected <= 8; ++expected) CHECK(q.Pop(0ms) == expected);
}
