// StallWatch: which scan workers are stuck on one message past a bound, so
// that liveness (/healthz) sees a wedge instead of staying green, and each
// stall is counted once. The consumer thread calls Update() periodically.
// Not thread-safe (one caller).
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

namespace leakd {

class StallWatch {
 public:
  explicit StallWatch(std::chrono::milliseconds bound) : bound_(bound) {}

  struct Result {
    size_t stalled = 0;  // stuck now
    size_t newly = 0;    // stuck now and not at the previous call: count these
  };
  // `busy[i]`: how long worker i has been on its current message (0: idle).
  Result Update(const std::vector<std::chrono::milliseconds>& busy) {
    stalled_.resize(busy.size(), false);
    Result r;
    for (size_t i = 0; i < busy.size(); ++i) {
      const bool stuck = busy[i] > bound_;
      r.stalled += stuck;
      r.newly += stuck && !stalled_[i];
      stalled_[i] = stuck;
    }
    return r;
  }

 private:
  std::chrono::milliseconds bound_;
  std::vector<bool> stalled_;
};

}  // namespace leakd
