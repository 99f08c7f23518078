// What the pipeline owes for a consumed message before its offset may be
// committed.
//
// A Completion counts outstanding work: it starts at one (the processing
// itself), each record derived from the work holds one more, and at zero its
// action runs, once. A message's action marks its offset complete in the
// OffsetTracker. A chunked upload has a Completion of its own, and each of
// its chunk messages is held by it: so no chunk's offset completes before the
// upload has ended *and* every alert from any of its chunks is acknowledged.
// A record that is aborted at shutdown never releases: its message stays
// uncommitted and is delivered again after the restart.
//
// Thread-safe: held and released from workers and the producer's poll thread.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <functional>
#include <memory>

#include "alert/alert.h"
#include "kafka/offset_tracker.h"

namespace leakd {

class Completion {
 public:
  explicit Completion(std::function<void()> on_complete) : on_complete_(std::move(on_complete)) {}
  Completion(const Completion&) = delete;
  Completion& operator=(const Completion&) = delete;

  void Hold() { refs_.fetch_add(1, std::memory_order_relaxed); }
  void Release() {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) on_complete_();
  }

 private:
  std::atomic<int> refs_{1};
  std::function<void()> on_complete_;
};
using CompletionPtr = std::shared_ptr<Completion>;

struct MessageState {
  PartitionKey key;
  Origin origin;
  size_t bytes = 0;  // value size: what the queue byte budget counts
  CompletionPtr done;
  bool dead_lettered = false;                 // worker thread only
  std::unique_ptr<RdKafka::Message> message;  // dropped once processed
};
using StatePtr = std::shared_ptr<MessageState>;

}  // namespace leakd
