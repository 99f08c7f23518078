// BatchSkipper: moves a partition past a record batch the Kafka client cannot
// decode (compressed data that inflates past receive.message.max.bytes, or
// corrupt data), without skipping a message after it.
//
// librdkafka reports such a batch as an error at the batch's first offset,
// whatever offset was fetched, and fetches it again forever. Its last offset is
// not reported, so the skipper finds it: it seeks one past the reported
// offset, and while the same batch is reported again it doubles the distance
// (never past the partition's last known offset); once a probe lands past the
// batch it bisects between the last probe inside and the first past, dropping
// the messages a probe past it fetched (they are fetched again), until the
// first offset after the batch is known. A batch that holds the log's last
// offset ends with the log (batches are appended whole). Each probe costs one
// fetch. Step::ended lets the commit pass the batch (OffsetTracker::Skipped).
//
// Invariants:
// - Every message at or after the batch's end is delivered once, in order;
//   none before it is.
// - The error is delivered once per batch (for a dead-letter notice), not
//   once per probe.
// - With no batch being skipped, OnMessage is one emptiness check.
//
// Threads: the consumer thread only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "kafka/offset_tracker.h"

namespace leakd {

class BatchSkipper {
 public:
  struct Step {
    bool deliver = true;           // hand the message (or the error) on
    std::optional<int64_t> seek;   // then move the partition's fetch here
    std::optional<int64_t> ended;  // the skipped batch's end is now known: its first offset after
  };

  // An undecodable batch reported at `base`. `last`: the partition's last
  // existing offset as the client knows it (high watermark - 1), or -1.
  Step OnUndecodable(const PartitionKey& key, int64_t base, int64_t last);
  // A message at `offset` was fetched.
  Step OnMessage(const PartitionKey& key, int64_t offset) {
    if (skipping_.empty()) return {};
    return OnMessageWhileSkipping(key, offset);
  }
  // The partition was revoked.
  void Forget(const PartitionKey& key) { skipping_.erase(key); }
  bool skipping() const { return !skipping_.empty(); }

 private:
  struct Batch {
    int64_t base;    // first offset, as reported
    int64_t inside;  // highest offset known to be in the batch
    int64_t past;    // lowest offset known to be past it, or -1
    int64_t probe;   // where the fetch was last moved
  };
  Step OnMessageWhileSkipping(const PartitionKey& key, int64_t offset);
  // Where to look next, or the end when `inside` and `past` meet (then the
  // batch is forgotten).
  Step Next(std::map<PartitionKey, Batch>::iterator it, int64_t last);

  std::map<PartitionKey, Batch> skipping_;
};

}  // namespace leakd
