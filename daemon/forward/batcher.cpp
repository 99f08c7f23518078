#include "forward/batcher.h"

#include <algorithm>

namespace leakd {

Batcher::Batcher(size_t batch_max, std::chrono::milliseconds batch_delay)
    : batch_max_(std::max<size_t>(1, batch_max)), batch_delay_(batch_delay) {}

void Batcher::Add(ForwardItem item, Clock::time_point now) {
  if (open_.empty()) open_since_ = now;
  open_.push_back(std::move(item));
  ++pending_;
  if (open_.size() >= batch_max_) {
    full_.push_back(std::move(open_));
    open_ = {};
  }
}

std::optional<Batch> Batcher::Take(Clock::time_point now, bool flush) {
  Batch out;
  if (!full_.empty()) {
    out = std::move(full_.front());
    full_.pop_front();
  } else if (!open_.empty() && (flush || now >= open_since_ + batch_delay_)) {
    out = std::move(open_);
    open_ = {};
  } else {
    return std::nullopt;
  }
  pending_ -= out.size();
  return out;
}

Batcher::Clock::time_point Batcher::NextReady() const {
  if (!full_.empty()) return Clock::time_point::min();
  if (!open_.empty()) return open_since_ + batch_delay_;
  return Clock::time_point::max();
}

}  // namespace leakd
