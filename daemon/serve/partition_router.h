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
// - Route() waits up to `room_wait` for room (in the worker's queue and in the
//   byte budget) before it holds a message: that is how a backlog flows at
//   the workers' pace. Pausing is for a worker that stays busy: with
//   librdkafka 2.0, pause drops the partitions' prefetched messages and a
//   resumed partition is fetched again only when its broker thread next wakes
//   (up to a second later), so a pause per queue-full turned a backlog into
//   mostly idle time (bench/serve_kafka.sh: 4 KB events at 0.05x the relay).
//
// Threads: Route/HandOver/Forget/DropHeld/WantsPause on the consumer thread
// (Route blocks it for at most room_wait); Scanned() from workers; bytes() from
// any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

#include "common/bounded_queue.h"
#include "serve/message_state.h"

namespace leakd {

class PartitionRouter {
 public:
  static constexpr std::chrono::milliseconds kRoomWait{100};
  PartitionRouter(std::vector<BoundedQueue<StatePtr>*> queues, size_t max_bytes,
                  std::chrono::milliseconds room_wait = kRoomWait);

  void Route(StatePtr st);
  // Moves held messages to their queues while the queues take them.
  void HandOver();
  bool WantsPause() const { return !held_.empty() || bytes_ > max_bytes_; }
  // A revoked partition: its held messages are dropped (never committed by us).
  void Forget(const PartitionKey& key);
  void DropHeld();

  // A message's bytes have left memory (worker thread).
  void Scanned(size_t bytes);
  size_t bytes() const { return bytes_; }
  size_t held() const { return held_.size(); }
  size_t queued() const;

 private:
  size_t WorkerFor(const PartitionKey& key) const;
  // Waits until `bytes` more fit the budget (or nothing else is in memory).
  bool WaitForBudget(size_t bytes, std::chrono::steady_clock::time_point deadline);

  std::vector<BoundedQueue<StatePtr>*> queues_;
  const size_t max_bytes_;
  const std::chrono::milliseconds room_wait_;
  std::atomic<size_t> bytes_{0};
  std::mutex budget_mu_;  // for budget_freed_ only; bytes_ is atomic
  std::condition_variable budget_freed_;
  std::deque<std::pair<size_t, StatePtr>> held_;
};

}  // namespace leakd
