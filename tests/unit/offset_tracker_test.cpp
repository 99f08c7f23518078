#include "kafka/offset_tracker.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <random>
#include <thread>

using leakd::OffsetTracker;
using leakd::PartitionKey;

TEST_CASE("an offset is committable only when every earlier message is done", "[offsets]") {
  OffsetTracker t;
  const PartitionKey p{"leakd.commits", 0};
  CHECK(t.Committable(p) == -1);
  for (int64_t o = 10; o < 15; ++o) t.Track(p, o);
  CHECK(t.Committable(p) == 10);
  t.Complete(p, 12);
  t.Complete(p, 14);
  CHECK(t.Committable(p) == 10);  // 10 still in flight
  t.Complete(p, 10);
  CHECK(t.Committable(p) == 11);
  t.Complete(p, 11);
  CHECK(t.Committable(p) == 13);
  t.Complete(p, 13);
  CHECK(t.Committable(p) == 15);  // one past the last message
  CHECK(t.InFlight() == 0);
}

TEST_CASE("skipped offsets are committed past only after what came before is done", "[offsets]") {
  OffsetTracker t;
  const PartitionKey p{"leakd.commits", 0};
  t.Skipped(p, 50);  // nothing tracked: ignored (a revoked partition)
  CHECK(t.Committable(p) == -1);
  t.Track(p, 10);                 // the parked notice of a batch at 10
  t.Skipped(p, 14);               // the batch ran to 14
  CHECK(t.Committable(p) == 10);  // the notice is not acknowledged yet
  t.Complete(p, 10);
  CHECK(t.Committable(p) == 15);  // past the batch, not into it
  t.Skipped(p, 12);               // never backwards
  CHECK(t.Committable(p) == 15);
  t.Track(p, 15);
  CHECK(t.Committable(p) == 15);
}

TEST_CASE("TakeCommittable reports each advance once, per partition", "[offsets]") {
  OffsetTracker t;
  const PartitionKey a{"t", 0}, b{"t", 1};
  t.Track(a, 0);
  t.Track(b, 5);
  CHECK(t.TakeCommittable().size() == 2);  // first positions: 0 and 5
  CHECK(t.TakeCommittable().empty());
  t.Complete(b, 5);
  const auto advanced = t.TakeCommittable();
  REQUIRE(advanced.size() == 1);
  CHECK(advanced[0].first == b);
  CHECK(advanced[0].second == 6);
}

TEST_CASE("a failed commit is offered again, and the final commit covers every partition",
          "[offsets]") {
  OffsetTracker t;
  const PartitionKey a{"t", 0}, b{"t", 1};
  t.Track(a, 0);
  t.Complete(a, 0);
  t.Track(b, 9);
  CHECK(t.TakeCommittable().size() == 2);
  CHECK(t.TakeCommittable().empty());
  t.CommitFailed(a);
  const auto again = t.TakeCommittable();
  REQUIRE(again.size() == 1);
  CHECK(again[0].first == a);
  CHECK(again[0].second == 1);
  CHECK(t.AllCommittable().size() == 2);
}

TEST_CASE("a forgotten (revoked) partition ignores late completions", "[offsets]") {
  OffsetTracker t;
  const PartitionKey p{"t", 3};
  t.Track(p, 7);
  t.Forget(p);
  t.Complete(p, 7);
  CHECK(t.Committable(p) == -1);
  CHECK(t.InFlight() == 0);
}

TEST_CASE("completions from many threads in any order end fully committable", "[offsets]") {
  OffsetTracker t;
  const PartitionKey p{"t", 0};
  constexpr int kMessages = 20000;
  for (int64_t o = 0; o < kMessages; ++o) t.Track(p, o);
  std::vector<int64_t> order(kMessages);
  for (int i = 0; i < kMessages; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(1));
  // Catch2 assertions are not thread-safe: collect, then check.
  std::atomic<int64_t> lowest_seen{kMessages};
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      for (int i = w; i < kMessages; i += 4) {
        t.Complete(p, order[i]);
        int64_t c = t.Committable(p), prev = lowest_seen.load();
        while (c < prev && !lowest_seen.compare_exchange_weak(prev, c)) {
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(lowest_seen.load() >= 0);  // never below the start, whatever the interleaving
  CHECK(t.Committable(p) == kMessages);
}
