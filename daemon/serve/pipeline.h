// Pipeline: the streaming daemon's data path.
//
//   consumer thread ──route by partition──▶ worker queues (bounded) ──▶ workers
//   workers: decode (ingest/) → scan (scan/) → alerts and dead letters (producer)
//   producer acks + worker completion ──▶ OffsetTracker ──▶ commits (consumer thread)
//
// Invariants:
// - At-least-once: a message's offset is committed only after it is processed
//   and every record derived from it (alerts, dead letters) is acknowledged, and
//   every earlier message of its partition is too. Chunks of an unfinished
//   upload stay uncommitted until the upload ends.
// - Bounded memory: each worker queue holds at most queue_capacity messages;
//   when one is full the consumer pauses its partitions instead of buffering.
// - A partition always goes to the same worker, so chunks arrive in order.
// - No secret is logged: logs carry fingerprints and redacted forms.
//
// Threads: Run() is the consumer thread; it starts and joins the workers.
#pragma once

#include <atomic>
#include <memory>

#include "obs/metrics.h"
#include "scan/pattern_database.h"
#include "serve/serve_config.h"

namespace leakd {

struct PipelineStats {
  std::atomic<uint64_t> consumed{0}, processed{0}, findings{0}, alerts{0}, deduplicated{0},
      dead_letters{0}, bytes_scanned{0}, commits{0}, pauses{0};
};

class Pipeline {
 public:
  Pipeline(ServeConfig config, std::shared_ptr<const PatternDatabase> db, Metrics& metrics);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Serves until `stop` is set, then stops fetching, drains the workers,
  // flushes the producer and commits, within the shutdown deadline. Returns
  // true when everything consumed was committed. Throws KafkaError when a
  // client cannot be created.
  bool Run(const std::atomic<bool>& stop);

  const PipelineStats& stats() const;
  // True once the consumer has joined its group (even with no partitions).
  bool assigned() const;
  // Joined, a broker reachable, and the consumer loop turning: /readyz.
  // Otherwise false with the reason in `why`.
  bool Ready(std::string* why) const;
  // The consumer loop turned within the last minute: /healthz.
  bool Alive() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leakd
