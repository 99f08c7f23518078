// CircuitBreaker: one per endpoint. Closed: requests flow; `failures`
// consecutive failures (5xx, timeouts, connection errors) open it. Open: no
// request for `open_for`; then half-open: exactly one probe request may go.
// The probe's success closes it, its failure opens it again for `open_for`.
// Time is passed in. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace leakd {

enum class BreakerState { kClosed = 0, kHalfOpen = 1, kOpen = 2 };
const char* BreakerStateName(BreakerState state);

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;
  CircuitBreaker(uint64_t failures, std::chrono::milliseconds open_for);

  // May a request go now? In half-open state only the first caller gets true
  // (the probe) until it reports. When false, *retry_at says when to ask again.
  bool Allow(Clock::time_point now, Clock::time_point* retry_at = nullptr);
  void Succeeded();
  void Failed(Clock::time_point now);
  BreakerState state(Clock::time_point now) const;

 private:
  mutable std::mutex mu_;
  uint64_t threshold_;
  std::chrono::milliseconds open_for_;
  uint64_t consecutive_ = 0;
  bool open_ = false;
  bool probe_out_ = false;
  Clock::time_point opened_at_{};
};

}  // namespace leakd
