#include "serve/partition_router.h"

#include <catch2/catch.hpp>
#include <thread>

using namespace leakd;
using namespace std::chrono_literals;

namespace {

StatePtr Message(int32_t partition, size_t bytes) {
  auto st = std::make_shared<MessageState>();
  st->key = {"leakd.commits", partition};
  st->bytes = bytes;
  return st;
}

}  // namespace

TEST_CASE("a full worker queue that empties within the wait takes the message: no pause",
          "[router]") {
  BoundedQueue<StatePtr> queue(1);
  PartitionRouter router({&queue}, 1u << 20, 10s);
  router.Route(Message(0, 10));
  REQUIRE(queue.size() == 1);
  std::thread worker([&] {
    std::this_thread::sleep_for(20ms);
    auto item = queue.Pop(0ms);
    router.Scanned((*item)->bytes);
  });
  router.Route(Message(0, 10));  // waits for the worker instead of holding
  worker.join();
  CHECK(router.held() == 0);
  CHECK(queue.size() == 1);
  CHECK_FALSE(router.WantsPause());
}

TEST_CASE("a worker that stays busy past the wait: the message is held and fetching pauses",
          "[router]") {
  BoundedQueue<StatePtr> queue(1);
  PartitionRouter router({&queue}, 1u << 20, 5ms);
  router.Route(Message(0, 10));
  router.Route(Message(0, 10));
  CHECK(router.held() == 1);
  CHECK(router.WantsPause());
  // Everything after a held message waits behind it, in order.
  router.Route(Message(0, 10));
  CHECK(router.held() == 2);
  queue.Pop(0ms);
  router.HandOver();
  CHECK(router.held() == 1);
  CHECK(router.WantsPause());
}

TEST_CASE("the byte budget is waited for, and a message larger than it passes alone", "[router]") {
  BoundedQueue<StatePtr> queue(8);
  PartitionRouter router({&queue}, 100, 10s);
  router.Route(Message(0, 80));
  std::thread worker([&] {
    std::this_thread::sleep_for(20ms);
    auto item = queue.Pop(0ms);
    router.Scanned((*item)->bytes);
  });
  router.Route(Message(0, 80));  // 160 > 100: waits until the first is scanned
  worker.join();
  CHECK(router.held() == 0);
  CHECK(router.bytes() == 80);
  CHECK_FALSE(router.WantsPause());

  BoundedQueue<StatePtr> big_queue(8);
  PartitionRouter big({&big_queue}, 100, 5ms);
  big.Route(Message(0, 500));  // nothing else in memory: it passes
  CHECK(big_queue.size() == 1);
  CHECK(big.WantsPause());    // and nothing more is fetched until it is scanned
  big.Route(Message(0, 10));  // over budget past the wait: held
  CHECK(big.held() == 1);
}
