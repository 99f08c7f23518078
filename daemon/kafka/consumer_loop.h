// ConsumerLoop: the loop of a consumer group member, shared by `leakd serve`
// and `leakd forward`. It runs one turn at a time until stopped, commits what
// is done every commit interval (then calls `after_commit`, e.g. to refresh
// gauges), and records when it last turned, so that a health check on another
// thread can tell a loop that stopped turning (stuck in a callback, a broker
// call, a lock).
//
// Threads: Run on the consumer thread; StalledFor from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "kafka/group_offsets.h"

namespace leakd {

class ConsumerLoop {
 public:
  // How long a loop may go without turning before /healthz says it is stalled.
  static constexpr std::chrono::milliseconds kStallBound{60000};

  ConsumerLoop(GroupOffsets& group, std::chrono::milliseconds commit_interval)
      : group_(group), commit_interval_(commit_interval) {}

  void Run(const std::atomic<bool>& stop, const std::function<void()>& turn,
           const std::function<void()>& after_commit);

  // The loop has turned at least once, and not in the last `bound`.
  bool StalledFor(std::chrono::milliseconds bound = kStallBound) const;

 private:
  GroupOffsets& group_;
  const std::chrono::milliseconds commit_interval_;
  std::atomic<int64_t> last_turn_ms_{0};  // steady clock; 0: never turned
};

}  // namespace leakd
