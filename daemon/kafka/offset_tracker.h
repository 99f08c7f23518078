// OffsetTracker: decides which offsets may be committed.
//
// Invariant: for each (topic, partition), the committable offset N is the
// smallest offset that is tracked but not yet completed, or one past the
// highest offset ever tracked when everything is complete. So offset N is
// committed only when every message before it is done — processed, and every
// alert and dead-letter record derived from it acknowledged by the broker —
// even when workers finish out of order.
//
// Thread-safe: the consumer thread tracks, workers and the producer's delivery
// callback complete, the committer reads.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace leakd {

struct PartitionKey {
  std::string topic;
  int32_t partition = 0;
  bool operator<(const PartitionKey& o) const {
    return topic != o.topic ? topic < o.topic : partition < o.partition;
  }
  bool operator==(const PartitionKey& o) const {
    return topic == o.topic && partition == o.partition;
  }
};

class OffsetTracker {
 public:
  // A message was fetched and handed to processing.
  void Track(const PartitionKey& key, int64_t offset);
  // Everything derived from the message is done. Unknown offsets are ignored
  // (the partition may have been revoked meanwhile).
  void Complete(const PartitionKey& key, int64_t offset);
  // Offsets up to `last` hold nothing to process (a record batch the client
  // cannot decode, skipped): once everything tracked before them is done, the
  // commit may pass them. Ignored for a partition with nothing tracked.
  void Skipped(const PartitionKey& key, int64_t last);

  // Offsets that advanced since the last call: (partition, next offset to commit).
  std::vector<std::pair<PartitionKey, int64_t>> TakeCommittable();
  // Every partition's committable offset, changed or not (for the final commit).
  std::vector<std::pair<PartitionKey, int64_t>> AllCommittable() const;
  // A commit of this partition failed: offer its offset again on the next take.
  void CommitFailed(const PartitionKey& key);
  // The committable offset of one partition now, or -1 if nothing was tracked.
  int64_t Committable(const PartitionKey& key) const;
  // Messages tracked and not yet complete, across all partitions.
  size_t InFlight() const;
  // Drops a revoked partition's state.
  void Forget(const PartitionKey& key);

 private:
  struct State {
    std::set<int64_t> pending;
    int64_t high = -1;           // one past the highest offset tracked
    int64_t last_reported = -1;  // what TakeCommittable last returned
    int64_t CommittableLocked() const { return pending.empty() ? high : *pending.begin(); }
  };
  mutable std::mutex mu_;
  std::map<PartitionKey, State> states_;
};

}  // namespace leakd
