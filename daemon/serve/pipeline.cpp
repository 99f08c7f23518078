#include "serve/pipeline.h"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <thread>

#include "common/log.h"
#include "kafka/kafka_clients.h"
#include "kafka/kafka_events.h"
#include "kafka/offset_tracker.h"
#include "serve/emitter.h"
#include "serve/partition_router.h"
#include "serve/stall_watch.h"
#include "serve/worker.h"

namespace leakd {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kLoopStallBound(60000);

int64_t SteadyMs() {
  return std::chrono::duration_cast<milliseconds>(Clock::now().time_since_epoch()).count();
}

}  // namespace

class Pipeline::Impl : public RdKafka::RebalanceCb, public RdKafka::OffsetCommitCb {
 public:
  Impl(ServeConfig config, std::shared_ptr<const PatternDatabase> db, Metrics& metrics)
      : config_(std::move(config)),
        db_(std::move(db)),
        metrics_(metrics),
        events_([&metrics](const std::string& topic, int32_t partition, int64_t lag) {
          metrics.ConsumerLag(topic, partition, lag);
        }),
        stall_watch_(milliseconds(config_.worker_stall_ms)) {}

  bool Run(const std::atomic<bool>& stop);

  PipelineStats stats;
  std::atomic<bool> assigned{false};
  std::atomic<bool> close_timed_out{false};
  std::atomic<int64_t> last_loop_ms{0};  // steady clock, when the consumer loop last turned
  std::atomic<size_t> stalled_workers{0};
  bool brokers_up() const { return events_.brokers_up(); }

 private:
  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override;
  void offset_commit_cb(RdKafka::ErrorCode err,
                        std::vector<RdKafka::TopicPartition*>& offsets) override;
  void Start();
  void Consume();
  void CommitDone(bool final);
  void SetPaused(bool paused);
  void UpdateGauges();
  bool Shutdown();
  void DrainWorkers(Clock::time_point until);
  bool FinalCommit(Clock::time_point until);
  void Close(Clock::time_point until);

  ServeConfig config_;
  std::shared_ptr<const PatternDatabase> db_;
  Metrics& metrics_;
  KafkaEvents events_;
  OffsetTracker tracker_;
  std::unique_ptr<RecordProducer> producer_;
  std::unique_ptr<Emitter> emitter_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<PartitionRouter> router_;
  StallWatch stall_watch_;          // consumer thread only
  size_t assigned_partitions_ = 0;  // consumer thread only
  bool paused_ = false;             // consumer thread only
  bool topics_missing_logged_ = false;
  std::atomic<uint64_t> commit_callbacks_{0};
};

// ---- rebalances and commits (consumer thread) ------------------------------

void Pipeline::Impl::rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                                  std::vector<RdKafka::TopicPartition*>& partitions) {
  const bool cooperative = consumer->rebalance_protocol() == "COOPERATIVE";
  if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
    Log(LogLevel::kInfo, "partitions-assigned", {{"count", partitions.size()}});
    assigned_partitions_ =
        cooperative ? assigned_partitions_ + partitions.size() : partitions.size();
    if (cooperative) {
      consumer->incremental_assign(partitions);
    } else {
      consumer->assign(partitions);
    }
    assigned = true;
    if (paused_) consumer->pause(partitions);
    return;
  }
  // Revoked: commit what is done for these partitions before giving them up,
  // asynchronously (a dead broker must not hold the loop; a lost commit only
  // means the next owner sees some messages again). In-flight messages still
  // finish, but are not committed by us.
  std::vector<RdKafka::TopicPartition*> commits;
  for (const auto* tp : partitions) {
    const PartitionKey key{tp->topic(), tp->partition()};
    const int64_t done = tracker_.Committable(key);
    if (done >= 0)
      commits.push_back(RdKafka::TopicPartition::create(key.topic, key.partition, done));
    tracker_.Forget(key);
    router_->Forget(key);
    metrics_.ForgetConsumerLag(key.topic, key.partition);
  }
  if (!commits.empty()) consumer->commitAsync(commits);
  RdKafka::TopicPartition::destroy(commits);
  Log(LogLevel::kInfo, "partitions-revoked", {{"count", partitions.size()}});
  assigned_partitions_ = cooperative && assigned_partitions_ >= partitions.size()
                             ? assigned_partitions_ - partitions.size()
                             : 0;
  if (cooperative) {
    consumer->incremental_unassign(partitions);
  } else {
    consumer->unassign();
  }
}

void Pipeline::Impl::offset_commit_cb(RdKafka::ErrorCode err,
                                      std::vector<RdKafka::TopicPartition*>& offsets) {
  ++commit_callbacks_;
  if (err == RdKafka::ERR__NO_OFFSET) return;  // nothing was due
  for (const auto* tp : offsets) {
    if (err == RdKafka::ERR_NO_ERROR && tp->err() == RdKafka::ERR_NO_ERROR) continue;
    tracker_.CommitFailed({tp->topic(), tp->partition()});  // offered again next time
    Log(LogLevel::kWarn, "commit-failed",
        {{"topic", tp->topic()},
         {"partition", tp->partition()},
         {"error", RdKafka::err2str(err != RdKafka::ERR_NO_ERROR ? err : tp->err())}});
  }
}

// Commits what is done, asynchronously: the result comes to offset_commit_cb,
// which offers a failed partition again. `final`: every partition, changed or not.
void Pipeline::Impl::CommitDone(bool final) {
  const auto done = final ? tracker_.AllCommittable() : tracker_.TakeCommittable();
  if (done.empty()) return;
  std::vector<RdKafka::TopicPartition*> tps;
  for (const auto& [key, offset] : done) {
    tps.push_back(RdKafka::TopicPartition::create(key.topic, key.partition, offset));
  }
  const RdKafka::ErrorCode rc = consumer_->commitAsync(tps);
  if (rc != RdKafka::ERR_NO_ERROR) offset_commit_cb(rc, tps);
  RdKafka::TopicPartition::destroy(tps);
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
  metrics_.AssignedPartitions(assigned_partitions_);
  metrics_.PausedPartitions(paused_ ? assigned_partitions_ : 0);
  metrics_.AddDeliveryFailures(producer_->delivery_failures());
}

void Pipeline::Impl::Start() {
  const KafkaClientSettings settings = ClientSettingsOf(config_);
  producer_ = CreateProducer(settings, &events_);
  emitter_ = std::make_unique<Emitter>(config_, *producer_, metrics_);
  consumer_ = CreateConsumer(settings, {this, this, &events_});
  if (consumer_->subscribe({config_.commits_topic, config_.uploads_topic}) !=
      RdKafka::ERR_NO_ERROR) {
    throw KafkaError("cannot subscribe");
  }
  const unsigned n =
      config_.workers ? config_.workers : std::max(1u, std::thread::hardware_concurrency());
  std::vector<BoundedQueue<StatePtr>*> queues;
  for (unsigned i = 0; i < n; ++i) {
    workers_.push_back(
        std::make_unique<Worker>(config_, db_, *emitter_, metrics_, [this](size_t b) {
          router_->Scanned(b);
          ++stats.processed;
        }));
    queues.push_back(&workers_.back()->queue());
  }
  router_ = std::make_unique<PartitionRouter>(std::move(queues), config_.queue_max_bytes);
  for (auto& w : workers_) w->Start();
  Log(LogLevel::kInfo, "serving",
      {{"brokers", config_.brokers},
       {"group", config_.group_id},
       {"workers", n},
       {"rules", db_->size()}});
}

void Pipeline::Impl::Consume() {
  router_->HandOver();
  SetPaused(router_->WantsPause());
  std::unique_ptr<RdKafka::Message> m(consumer_->consume(paused_ ? 20 : 100));
  const RdKafka::ErrorCode err = m->err();
  if (err == RdKafka::ERR_NO_ERROR) {
    auto st = std::make_shared<MessageState>();
    st->key = {m->topic_name(), m->partition()};
    st->origin = {st->key.topic, st->key.partition, m->offset(), m->timestamp().timestamp};
    st->bytes = m->len();
    st->done = std::make_shared<Completion>(
        [this, key = st->key, offset = st->origin.offset] { tracker_.Complete(key, offset); });
    st->message = std::move(m);
    tracker_.Track(st->key, st->origin.offset);
    ++stats.consumed;
    router_->Route(std::move(st));
    SetPaused(router_->WantsPause());
  } else if (err == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART || err == RdKafka::ERR__UNKNOWN_TOPIC) {
    // Subscribed topics that do not exist: a member with nothing to consume
    // is still ready; it joins when they appear.
    assigned = true;
    if (!topics_missing_logged_) Log(LogLevel::kWarn, "topic-missing", {{"error", m->errstr()}});
    topics_missing_logged_ = true;
  } else if (err != RdKafka::ERR__TIMED_OUT && err != RdKafka::ERR__PARTITION_EOF) {
    Log(LogLevel::kWarn, "consume-error", {{"error", m->errstr()}});
  }
}

bool Pipeline::Impl::Run(const std::atomic<bool>& stop) {
  Start();
  auto last_commit = Clock::now();
  while (!stop) {
    Consume();
    last_loop_ms = SteadyMs();
    if (Clock::now() - last_commit >= milliseconds(config_.commit_interval_ms)) {
      CommitDone(false);
      last_commit = Clock::now();
      UpdateGauges();
    }
  }
  return Shutdown();
}

// ---- shutdown ----------------------------------------------------------------

void Pipeline::Impl::DrainWorkers(Clock::time_point until) {
  router_->DropHeld();  // never handed over: uncommitted, so delivered again after restart
  for (auto& w : workers_) w->queue().Close();
  while (Clock::now() < until && router_->queued() > 0) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  for (auto& w : workers_) w->StopTaking();
  for (auto& w : workers_) w->Join();
}

bool Pipeline::Impl::FinalCommit(Clock::time_point until) {
  const uint64_t before = commit_callbacks_;
  CommitDone(true);
  while (Clock::now() < until && commit_callbacks_ == before) {
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(10));  // paused: serves callbacks only
  }
  return commit_callbacks_ != before;
}

// librdkafka's close() leaves the group, which waits for a broker: with every
// broker down it would not return in time. It gets what is left of the
// deadline; past that the process exits without it (the group notices the
// member gone after session.timeout.ms).
void Pipeline::Impl::Close(Clock::time_point until) {
  auto closed = std::make_shared<std::atomic<bool>>(false);
  RdKafka::KafkaConsumer* consumer = consumer_.get();
  std::thread closer([consumer, closed] {
    consumer->close();
    *closed = true;
  });
  while (!*closed && Clock::now() < until) std::this_thread::sleep_for(milliseconds(5));
  if (*closed) {
    closer.join();
    return;
  }
  closer.detach();
  close_timed_out = true;
  consumer_.release();  // still in use by the closer; the process exits now
  Log(LogLevel::kWarn, "close-timed-out");
}

bool Pipeline::Impl::Shutdown() {
  const auto start = Clock::now();
  const milliseconds budget(config_.shutdown_deadline_ms);
  Log(LogLevel::kInfo, "draining",
      {{"in_flight", tracker_.InFlight()}, {"queued", router_->queued()}});
  SetPaused(true);
  DrainWorkers(start + budget / 2);
  const bool flushed = producer_->Flush(
      std::chrono::duration_cast<milliseconds>(start + budget * 7 / 10 - Clock::now()));
  producer_->Abort();  // the rest stays uncommitted: delivered again after restart
  const bool committed = FinalCommit(start + budget * 9 / 10);
  const size_t left = tracker_.InFlight();
  Close(start + budget);
  Log(LogLevel::kInfo, "stopped",
      {{"consumed", stats.consumed.load()},
       {"flushed", flushed},
       {"committed", committed},
       {"uncommitted", left},
       {"seconds", std::chrono::duration<double>(Clock::now() - start).count()}});
  return flushed && committed && left == 0;
}

// ---- Pipeline ------------------------------------------------------------------

Pipeline::Pipeline(ServeConfig config, std::shared_ptr<const PatternDatabase> db, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(db), metrics)) {}
Pipeline::~Pipeline() = default;
bool Pipeline::Run(const std::atomic<bool>& stop) {
  return impl_->Run(stop);
}
const PipelineStats& Pipeline::stats() const {
  return impl_->stats;
}
bool Pipeline::assigned() const {
  return impl_->assigned;
}
bool Pipeline::close_timed_out() const {
  return impl_->close_timed_out;
}

bool Pipeline::Alive(std::string* why) const {
  const int64_t last = impl_->last_loop_ms;
  std::string reason;
  if (last != 0 && SteadyMs() - last >= kLoopStallBound.count()) {
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
  if (!impl_->assigned) {
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
