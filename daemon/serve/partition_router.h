// PartitionRouter: hands consumed messages to the scan workers, and says when
// the consumer must pause fetching.
//
// Invariants:
// - A partition always goes to the same worker, and its messages keep their
//   order: once one message is held (its worker's queue full), every later
//   message waits behind it.
// - Memory is bounded twice: by the queues' message counts, and by a byte
//   budget over everything consumed and not yet scanned (queued or held).
//   WantsPause() is true while anything is held or the budget is exceeded; a
//   single message larger than the budget still passes (alone), or nothing
//   could ever move.
//
// Threads: Route/HandOver/Forget/DropHeld/WantsPause on the consumer thread;
// Scanned() from workers; bytes() from any thread.
#pragma once

#include <atomic>
#include <deque>
#include <vector>

#include "common/bounded_queue.h"
#include "serve/message_state.h"

namespace leakd {

class PartitionRouter {
 public:
  PartitionRouter(std::vector<BoundedQueue<StatePtr>*> queues, size_t max_bytes);

  void Route(StatePtr st);
  // Moves held messages to their queues while the queues take them.
  void HandOver();
  bool WantsPause() const { return !held_.empty() || bytes_ > max_bytes_; }
  // A revoked partition: its held messages are dropped (never committed by us).
  void Forget(const PartitionKey& key);
  void DropHeld();

  // A message's bytes have left memory (worker thread).
  void Scanned(size_t bytes) { bytes_ -= bytes; }
  size_t bytes() const { return bytes_; }
  size_t held() const { return held_.size(); }
  size_t queued() const;

 private:
  size_t WorkerFor(const PartitionKey& key) const;

  std::vector<BoundedQueue<StatePtr>*> queues_;
  const size_t max_bytes_;
  std::atomic<size_t> bytes_{0};
  std::deque<std::pair<size_t, StatePtr>> held_;
};

}  // namespace leakd
