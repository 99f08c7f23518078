#include "serve/pipeline.h"

#include <algorithm>

#include "common/log.h"
#include "kafka/kafka_clients.h"
#include "serve/pipeline_impl.h"

namespace leakd {
namespace {

using Clock = PipelineClock;
using std::chrono::milliseconds;

}  // namespace

unsigned WorkerCount(const ServeConfig& config) {
  return config.workers ? config.workers : std::max(1u, std::thread::hardware_concurrency());
}

std::unique_ptr<PoisonGuard> MakePoisonGuard(const ServeConfig& config, Metrics& metrics) {
  if (config.state_dir.empty()) return nullptr;
  auto guard = std::make_unique<PoisonGuard>(PoisonGuard::Options{
      config.state_dir, config.group_id, WorkerCount(config), config.poison_after_crashes});
  metrics.CrashSuspects(guard->recovered().size());
  return guard;
}

// ---- the consumer loop -----------------------------------------------------

void Pipeline::Impl::SetPaused(bool paused) {
  if (paused == paused_) return;
  std::vector<RdKafka::TopicPartition*> parts;
  consumer_->assignment(parts);
  if (paused) {
    consumer_->pause(parts);
    ++stats.pauses;
  } else {
    consumer_->resume(parts);
  }
  RdKafka::TopicPartition::destroy(parts);
  paused_ = paused;
  group_.SetPaused(paused);
}

void Pipeline::Impl::UpdateGauges() {
  size_t uploads = 0;
  std::vector<milliseconds> busy;
  const auto now = Clock::now();
  for (const auto& w : workers_) {
    uploads += w->open_uploads();
    busy.push_back(w->busy_for(now));
  }
  const StallWatch::Result stalls = stall_watch_.Update(busy);
  for (size_t i = 0; i < stalls.newly; ++i) metrics_.WorkerStalled();
  if (stalls.newly > 0) {
    Log(LogLevel::kError, "worker-stalled",
        {{"stalled", stalls.stalled}, {"bound_ms", config_.worker_stall_ms}});
  }
  stalled_workers = stalls.stalled;
  metrics_.StalledWorkers(stalls.stalled);
  metrics_.QueueDepth(router_->queued());
  metrics_.QueueBytes(router_->bytes());
  metrics_.OpenUploads(uploads);
  metrics_.AssignedPartitions(group_.assigned_partitions());
  metrics_.PausedPartitions(paused_ ? group_.assigned_partitions() : 0);
  metrics_.AddDeliveryFailures(producer_->delivery_failures());
  metrics_.ProducerReplacements(producer_->replacements());
}

void Pipeline::Impl::Start() {
  const KafkaClientSettings settings = ClientSettingsOf(config_);
  producer_ = CreateProducer(settings, &events_);
  producer_->Prepare({config_.alerts_topic, config_.dlq_topic});
  emitter_ = std::make_unique<Emitter>(config_, *producer_, metrics_);
  consumer_ = CreateConsumer(settings, {&group_, &group_, &events_});
  group_.Attach(consumer_.get());
  if (consumer_->subscribe({config_.commits_topic, config_.uploads_topic}) !=
      RdKafka::ERR_NO_ERROR) {
    throw KafkaError("cannot subscribe");
  }
  const unsigned n = WorkerCount(config_);
  std::vector<BoundedQueue<StatePtr>*> queues;
  for (unsigned i = 0; i < n; ++i) {
    auto on_scanned = [this](size_t b) {
      router_->Scanned(b);
      ++stats.processed;
    };
    workers_.push_back(
        std::make_unique<Worker>(config_, slot_, *emitter_, metrics_, on_scanned, guard_.get(), i));
    queues.push_back(&workers_.back()->queue());
  }
  router_ = std::make_unique<PartitionRouter>(std::move(queues), config_.queue_max_bytes);
  for (auto& w : workers_) w->Start();
  reloader_ = std::make_unique<RulesReloader>(config_.engine, config_.rules_poll_ms, slot_,
                                              metrics_, reload_requested_);
  reloader_->Start();
  Log(LogLevel::kInfo, "serving",
      {{"brokers", config_.brokers},
       {"group", config_.group_id},
       {"workers", n},
       {"rules", db_->size()}});
}

void Pipeline::Impl::Consume() {
  router_->HandOver();
  SetPaused(router_->WantsPause());
  std::unique_ptr<RdKafka::Message> m = group_.Next(paused_ ? 20 : 100);
  if (!m) return;
  auto st = std::make_shared<MessageState>();
  st->key = {m->topic_name(), m->partition()};
  st->origin = {st->key.topic, st->key.partition, m->offset(), m->timestamp().timestamp};
  st->bytes = m->len();
  st->done = std::make_shared<Completion>([this, key = st->key, offset = st->origin.offset] {
    group_.tracker().Complete(key, offset);
  });
  st->message = std::move(m);
  group_.tracker().Track(st->key, st->origin.offset);
  ++stats.consumed;
  router_->Route(std::move(st));
  SetPaused(router_->WantsPause());
}

bool Pipeline::Impl::Run(const std::atomic<bool>& stop) {
  Start();
  loop_.Run(
      stop, [this] { Consume(); }, [this] { UpdateGauges(); });
  return Shutdown();
}

// ---- Pipeline ------------------------------------------------------------------

Pipeline::Pipeline(ServeConfig config, std::shared_ptr<const PatternDatabase> db, Metrics& metrics,
                   std::atomic<bool>* reload_requested)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(db), metrics, reload_requested)) {}
Pipeline::~Pipeline() = default;
bool Pipeline::Run(const std::atomic<bool>& stop) {
  return impl_->Run(stop);
}
const PipelineStats& Pipeline::stats() const {
  return impl_->stats;
}
bool Pipeline::assigned() const {
  return impl_->assigned();
}
bool Pipeline::consumer_kept_open() const {
  return impl_->consumer_kept_open;
}
bool Pipeline::reload_running() const {
  return impl_->reload_running();
}

bool Pipeline::Alive(std::string* why) const {
  std::string reason;
  if (impl_->loop_stalled()) {
    reason = "consumer loop stalled";
  } else if (const size_t stalled = impl_->stalled_workers; stalled > 0) {
    reason = std::to_string(stalled) + " scan worker(s) stuck on one message";
  } else {
    return true;
  }
  if (why) *why = reason;
  return false;
}

bool Pipeline::Ready(std::string* why) const {
  if (!impl_->assigned()) {
    *why = "waiting to join the consumer group";
  } else if (!impl_->brokers_up()) {
    *why = "no broker reachable";
  } else if (!Alive(why)) {
    // `why` says which
  } else {
    return true;
  }
  return false;
}

}  // namespace leakd
