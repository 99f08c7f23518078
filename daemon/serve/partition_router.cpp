#include "serve/partition_router.h"

#include <algorithm>
#include <functional>

namespace leakd {

PartitionRouter::PartitionRouter(std::vector<BoundedQueue<StatePtr>*> queues, size_t max_bytes,
                                 std::chrono::milliseconds room_wait)
    : queues_(std::move(queues)), max_bytes_(max_bytes), room_wait_(room_wait) {}

size_t PartitionRouter::WorkerFor(const PartitionKey& key) const {
  return (std::hash<std::string>()(key.topic) * 31 + static_cast<size_t>(key.partition)) %
         queues_.size();
}

bool PartitionRouter::WaitForBudget(size_t bytes, std::chrono::steady_clock::time_point deadline) {
  const auto fits = [&] { return bytes_ == 0 || bytes_ + bytes <= max_bytes_; };
  if (fits()) return true;
  std::unique_lock<std::mutex> lock(budget_mu_);
  return budget_freed_.wait_until(lock, deadline, fits);
}

void PartitionRouter::Scanned(size_t bytes) {
  {
    std::lock_guard<std::mutex> lock(budget_mu_);  // no wakeup lost between check and wait
    bytes_ -= bytes;
  }
  budget_freed_.notify_one();
}

void PartitionRouter::Route(StatePtr st) {
  const size_t target = WorkerFor(st->key);
  if (!held_.empty()) {  // order: behind what is held
    bytes_ += st->bytes;
    held_.emplace_back(target, std::move(st));
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + room_wait_;
  const bool fits = WaitForBudget(st->bytes, deadline);
  bytes_ += st->bytes;
  if (fits && queues_[target]->PushUntil(st, deadline)) return;
  held_.emplace_back(target, std::move(st));
}

void PartitionRouter::HandOver() {
  while (!held_.empty() && queues_[held_.front().first]->TryPush(held_.front().second)) {
    held_.pop_front();
  }
}

void PartitionRouter::Forget(const PartitionKey& key) {
  const auto revoked = [&](const auto& h) { return h.second->key == key; };
  for (const auto& h : held_) {
    if (revoked(h)) bytes_ -= h.second->bytes;
  }
  held_.erase(std::remove_if(held_.begin(), held_.end(), revoked), held_.end());
}

void PartitionRouter::DropHeld() {
  for (const auto& h : held_) bytes_ -= h.second->bytes;
  held_.clear();
}

size_t PartitionRouter::queued() const {
  size_t n = held_.size();
  for (const auto* q : queues_) n += q->size();
  return n;
}

}  // namespace leakd
