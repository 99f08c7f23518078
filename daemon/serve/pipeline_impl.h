// Pipeline::Impl: the consumer thread's state, shared by the files that
// implement it (private to serve/):
//   pipeline.cpp           start, the consumer loop, gauges, the public API
//   pipeline_shutdown.cpp  drain, flush, final commit, close within the deadline
// The invariants are stated in serve/pipeline.h.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <thread>

#include "kafka/consumer_loop.h"
#include "kafka/group_offsets.h"
#include "kafka/kafka_events.h"
#include "serve/emitter.h"
#include "serve/partition_router.h"
#include "serve/pipeline.h"
#include "serve/poison_guard.h"
#include "serve/rules_reloader.h"
#include "serve/stall_watch.h"
#include "serve/worker.h"

namespace leakd {

using PipelineClock = std::chrono::steady_clock;

unsigned WorkerCount(const ServeConfig& config);
// Null without a state_dir. Built with the pipeline, so that an unusable
// state_dir stops the start before any Kafka client exists.
std::unique_ptr<PoisonGuard> MakePoisonGuard(const ServeConfig& config, Metrics& metrics);

class Pipeline::Impl {
 public:
  Impl(ServeConfig config, std::shared_ptr<const PatternDatabase> db, Metrics& metrics,
       std::atomic<bool>* reload_requested)
      : config_(std::move(config)),
        db_(std::move(db)),
        slot_(db_),
        reload_requested_(reload_requested),
        metrics_(metrics),
        events_([&metrics](const std::string& topic, int32_t partition, int64_t lag) {
          metrics.ConsumerLag(topic, partition, lag);
        }),
        group_([this](const PartitionKey& key) {
          router_->Forget(key);
          metrics_.ForgetConsumerLag(key.topic, key.partition);
        }),
        guard_(MakePoisonGuard(config_, metrics)),
        stall_watch_(std::chrono::milliseconds(config_.worker_stall_ms)) {}

  bool Run(const std::atomic<bool>& stop);

  PipelineStats stats;
  bool assigned() const { return group_.assigned(); }
  std::atomic<bool> consumer_kept_open{false};
  bool loop_stalled() const { return loop_.StalledFor(); }
  std::atomic<size_t> stalled_workers{0};
  bool brokers_up() const { return events_.brokers_up(); }
  bool reload_running() const { return reloader_ && reloader_->busy(); }

 private:
  void Start();
  void Consume();
  void SetPaused(bool paused);
  void UpdateGauges();
  bool Shutdown();
  void DrainWorkers(PipelineClock::time_point until);

  ServeConfig config_;
  std::shared_ptr<const PatternDatabase> db_;  // as loaded at start
  DatabaseSlot slot_;                          // the one new messages are scanned with
  std::atomic<bool>* reload_requested_;
  Metrics& metrics_;
  KafkaEvents events_;
  GroupOffsets group_;  // the offset tracker, rebalances and commits
  ConsumerLoop loop_{group_, std::chrono::milliseconds(config_.commit_interval_ms)};
  std::unique_ptr<RecordProducer> producer_;
  std::unique_ptr<Emitter> emitter_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::unique_ptr<PoisonGuard> guard_;  // null without a state_dir; outlives the workers
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<PartitionRouter> router_;
  StallWatch stall_watch_;                   // consumer thread only
  bool paused_ = false;                      // consumer thread only
  std::unique_ptr<RulesReloader> reloader_;  // last: stopped first
};

}  // namespace leakd
