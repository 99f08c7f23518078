#include "serve/partition_router.h"

#include <algorithm>
#include <functional>

namespace leakd {

PartitionRouter::PartitionRouter(std::vector<BoundedQueue<StatePtr>*> queues, size_t max_bytes)
    : queues_(std::move(queues)), max_bytes_(max_bytes) {}

size_t PartitionRouter::WorkerFor(const PartitionKey& key) const {
  return (std::hash<std::string>()(key.topic) * 31 + static_cast<size_t>(key.partition)) %
         queues_.size();
}

void PartitionRouter::Route(StatePtr st) {
  bytes_ += st->bytes;
  const size_t target = WorkerFor(st->key);
  if (held_.empty() && queues_[target]->TryPush(st)) return;
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
