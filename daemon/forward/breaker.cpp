#include "forward/breaker.h"

#include <algorithm>

namespace leakd {

const char* BreakerStateName(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed:
      return "closed";
    case BreakerState::kHalfOpen:
      return "half_open";
    case BreakerState::kOpen:
      return "open";
  }
  return "closed";
}

CircuitBreaker::CircuitBreaker(uint64_t failures, std::chrono::milliseconds open_for)
    : threshold_(std::max<uint64_t>(1, failures)), open_for_(open_for) {}

bool CircuitBreaker::Allow(Clock::time_point now, Clock::time_point* retry_at) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!open_) return true;
  if (now < opened_at_ + open_for_) {
    if (retry_at) *retry_at = opened_at_ + open_for_;
    return false;
  }
  if (probe_out_) {  // half-open, the probe is out: wait for its answer
    if (retry_at) *retry_at = now + std::chrono::milliseconds(20);
    return false;
  }
  probe_out_ = true;
  return true;
}

void CircuitBreaker::Succeeded() {
  std::lock_guard<std::mutex> lock(mu_);
  consecutive_ = 0;
  open_ = false;
  probe_out_ = false;
}

void CircuitBreaker::Failed(Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  ++consecutive_;
  if (probe_out_ || consecutive_ >= threshold_) {
    open_ = true;
    opened_at_ = now;
  }
  probe_out_ = false;
}

BreakerState CircuitBreaker::state(Clock::time_point now) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!open_) return BreakerState::kClosed;
  return now < opened_at_ + open_for_ ? BreakerState::kOpen : BreakerState::kHalfOpen;
}

}  // namespace leakd
