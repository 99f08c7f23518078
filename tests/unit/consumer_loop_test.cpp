#include "kafka/consumer_loop.h"

#include <catch2/catch.hpp>
#include <thread>

using namespace leakd;
using namespace std::chrono_literals;

TEST_CASE("the consumer loop turns until stopped and commits every interval", "[loop]") {
  GroupOffsets group;  // no consumer: CommitDone has nothing to send
  ConsumerLoop loop(group, 20ms);
  CHECK_FALSE(loop.StalledFor(0ms));  // never turned: not stalled, just not started
  std::atomic<bool> stop{false};
  int turns = 0, commits = 0;
  const auto start = std::chrono::steady_clock::now();
  loop.Run(
      stop,
      [&] {
        ++turns;
        std::this_thread::sleep_for(5ms);
        if (turns == 30) stop = true;
      },
      [&] { ++commits; });
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(turns == 30);
  // 30 turns of at least 5 ms span 150 ms or more: some commits, never two
  // within one interval.
  CHECK(commits >= 1);
  CHECK(commits <= elapsed / 20ms);
}

TEST_CASE("a loop that stopped turning is stalled past the bound", "[loop]") {
  GroupOffsets group;
  ConsumerLoop loop(group, 1000ms);
  std::atomic<bool> stop{false};
  loop.Run(
      stop, [&] { stop = true; }, nullptr);
  CHECK_FALSE(loop.StalledFor(1h));
  std::this_thread::sleep_for(20ms);
  CHECK(loop.StalledFor(10ms));
  CHECK_FALSE(loop.StalledFor());  // 60 s by default
}
