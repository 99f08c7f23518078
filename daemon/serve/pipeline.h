// Pipeline: the streaming daemon's wiring. A commit event or upload walks:
//
//   consumer (pipeline.cpp) → PartitionRouter → Worker (its thread):
//     ingest/ decode → scan/ → Emitter (alerts, dead letters) → RecordProducer
//   producer acks → Completion → OffsetTracker → commits (kafka/group_offsets.h)
//
// The pipeline owns the consumer thread: the loop and health (pipeline.cpp)
// and shutdown (pipeline_shutdown.cpp); their shared state is
// serve/pipeline_impl.h. Rebalances and commits are kafka/group_offsets.h,
// which `leakd forward` shares.
// Kafka clients are built by kafka/kafka_clients.h.
//
// Invariants:
// - At-least-once: a message's offset is committed only after it is processed
//   and every record derived from it (alerts, dead letters) is acknowledged,
//   and every earlier message of its partition is too (serve/message_state.h).
// - Bounded memory: queues bounded in messages and bytes pause the partitions
//   instead of buffering (serve/partition_router.h); uploads are capped
//   (ingest/upload_streams.h); librdkafka's prefetch is capped.
// - Shutdown ends within shutdown_deadline_ms in every state: half of it to
//   drain the queues, then flush, then commit; what is not done by then is
//   left uncommitted and delivered again after the restart.
// - No secret is logged: logs carry fingerprints and redacted forms.
// - Rules reload live (serve/rules_reloader.h): a message is scanned with one
//   database from start to end, an upload with the one it started on.
//
// Threads: Run() is the consumer thread; it starts and joins the workers.
// Ready(), Alive() and the accessors are safe from any thread (HTTP).
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "obs/metrics.h"
#include "scan/pattern_database.h"
#include "serve/serve_config.h"

namespace leakd {

struct PipelineStats {
  std::atomic<uint64_t> consumed{0}, processed{0}, pauses{0};
};

class Pipeline {
 public:
  // `reload_requested`: a flag that asks for a rule reload when set (SIGHUP);
  // the rules are also reloaded when they change on disk (rules_poll_ms).
  Pipeline(ServeConfig config, std::shared_ptr<const PatternDatabase> db, Metrics& metrics,
           std::atomic<bool>* reload_requested = nullptr);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Serves until `stop` is set, then shuts down within the deadline. Returns
  // true when everything consumed was committed. Throws KafkaError when a
  // client cannot be created.
  bool Run(const std::atomic<bool>& stop);

  const PipelineStats& stats() const;
  // True once the consumer has joined its group (even with no partitions), or
  // found that the subscribed topics do not exist yet (nothing to wait for).
  bool assigned() const;
  // Joined, a broker reachable, and alive: /readyz. Otherwise the reason.
  bool Ready(std::string* why) const;
  // The consumer loop turned within the last minute and no worker is stuck on
  // one message past worker_stall_ms: /healthz. Otherwise the reason.
  bool Alive(std::string* why = nullptr) const;
  // Run() left the consumer undestroyed: it had not closed by the shutdown
  // deadline, or destroying it would abort (kafka/group_offsets.h). The
  // process must exit without running destructors.
  bool consumer_kept_open() const;
  // After Run(): a rule reload is still compiling; the process should exit
  // without waiting for it (the shutdown deadline holds).
  bool reload_running() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leakd
