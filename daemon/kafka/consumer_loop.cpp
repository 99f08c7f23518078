#include "kafka/consumer_loop.h"

namespace leakd {
namespace {

using Clock = std::chrono::steady_clock;

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
      .count();
}

}  // namespace

void ConsumerLoop::Run(const std::atomic<bool>& stop, const std::function<void()>& turn,
                       const std::function<void()>& after_commit) {
  auto last_commit = Clock::now();
  while (!stop) {
    turn();
    last_turn_ms_ = SteadyMs();
    if (Clock::now() - last_commit >= commit_interval_) {
      group_.CommitDone(false);
      last_commit = Clock::now();
      if (after_commit) after_commit();
    }
  }
}

bool ConsumerLoop::StalledFor(std::chrono::milliseconds bound) const {
  const int64_t last = last_turn_ms_;
  return last != 0 && SteadyMs() - last >= bound.count();
}

}  // namespace leakd
