// Batcher: groups a route's alerts into POST bodies. A batch is closed when
// it holds batch_max items, or when its oldest item has waited batch_delay_ms;
// closed batches are handed out oldest first. Time is passed in, so the
// behaviour is testable without sleeping. Not thread-safe (RouteSender locks).
#pragma once

#include <chrono>
#include <deque>
#include <optional>

#include "forward/forward_item.h"

namespace leakd {

class Batcher {
 public:
  using Clock = std::chrono::steady_clock;
  Batcher(size_t batch_max, std::chrono::milliseconds batch_delay);

  void Add(ForwardItem item, Clock::time_point now);
  // A batch that is ready at `now` (full, or its oldest item waited long
  // enough), or every pending item when `flush`; nullopt when none is.
  std::optional<Batch> Take(Clock::time_point now, bool flush = false);
  // When Take() will next return a batch: time_point::max() when nothing is pending.
  Clock::time_point NextReady() const;
  size_t pending() const { return pending_; }

 private:
  size_t batch_max_;
  std::chrono::milliseconds batch_delay_;
  std::deque<Batch> full_;
  Batch open_;
  Clock::time_point open_since_{};
  size_t pending_ = 0;
};

}  // namespace leakd
