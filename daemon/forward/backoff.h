// Exponential backoff with jitter for retries of one batch: attempt n (0 for
// the first retry) waits a uniformly random time in [d/2, d] where
// d = min(max, base * 2^n). The jitter spreads the retries of many senders;
// the lower bound keeps a retry from hammering a struggling endpoint.
// Pure but for the random source; any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace leakd {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds max);
  // The ceiling d for attempt n.
  std::chrono::milliseconds Ceiling(uint64_t attempt) const;
  // A delay in [Ceiling(n)/2, Ceiling(n)].
  std::chrono::milliseconds Delay(uint64_t attempt, std::mt19937_64& random) const;

 private:
  std::chrono::milliseconds base_, max_;
};

}  // namespace leakd
