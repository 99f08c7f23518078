#include "kafka/offset_tracker.h"

#include <algorithm>

namespace leakd {

void OffsetTracker::Track(const PartitionKey& key, int64_t offset) {
  std::lock_guard<std::mutex> lock(mu_);
  State& s = states_[key];
  s.pending.insert(offset);
  s.high = std::max(s.high, offset + 1);
}

void OffsetTracker::Complete(const PartitionKey& key, int64_t offset) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = states_.find(key);
  if (it != states_.end()) it->second.pending.erase(offset);
}

void OffsetTracker::Skipped(const PartitionKey& key, int64_t last) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = states_.find(key);
  if (it != states_.end()) it->second.high = std::max(it->second.high, last + 1);
}

std::vector<std::pair<PartitionKey, int64_t>> OffsetTracker::TakeCommittable() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<PartitionKey, int64_t>> out;
  for (auto& [key, s] : states_) {
    const int64_t now = s.CommittableLocked();
    if (now > s.last_reported) {
      out.emplace_back(key, now);
      s.last_reported = now;
    }
  }
  return out;
}

std::vector<std::pair<PartitionKey, int64_t>> OffsetTracker::AllCommittable() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<PartitionKey, int64_t>> out;
  for (const auto& [key, s] : states_) {
    if (s.high >= 0) out.emplace_back(key, s.CommittableLocked());
  }
  return out;
}

void OffsetTracker::CommitFailed(const PartitionKey& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = states_.find(key);
  if (it != states_.end()) it->second.last_reported = -1;
}

int64_t OffsetTracker::Committable(const PartitionKey& key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = states_.find(key);
  return it == states_.end() ? -1 : it->second.CommittableLocked();
}

size_t OffsetTracker::InFlight() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  for (const auto& [key, s] : states_) n += s.pending.size();
  return n;
}

void OffsetTracker::Forget(const PartitionKey& key) {
  std::lock_guard<std::mutex> lock(mu_);
  states_.erase(key);
}

}  // namespace leakd
