#include "forward/forwarder.h"

#include <librdkafka/rdkafkacpp.h>

#include <map>
#include <thread>

#include "common/log.h"
#include "forward/alert_reader.h"
#include "forward/http_client.h"
#include "forward/parking.h"
#include "forward/route_sender.h"
#include "kafka/kafka_clients.h"
#include "kafka/kafka_events.h"
#include "kafka/offset_tracker.h"

namespace leakd {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

int64_t SteadyMs() {
  return std::chrono::duration_cast<milliseconds>(Clock::now().time_since_epoch()).count();
}

}  // namespace

class Forwarder::Impl : public RdKafka::RebalanceCb, public RdKafka::OffsetCommitCb {
 public:
  Impl(ForwardConfig config, const Signer& signer, const SealKeyPair* seal_key,
       ForwardMetrics& metrics)
      : config_(std::move(config)),
        signer_(signer),
        seal_key_(seal_key),
        metrics_(metrics),
        events_([&metrics](const std::string& topic, int32_t partition, int64_t lag) {
          metrics.ConsumerLag(topic, partition, lag);
        }),
        http_(config_.ca_file, milliseconds(config_.request_timeout_ms)) {}

  bool Run(const std::atomic<bool>& stop);

  std::atomic<bool> assigned{false};
  std::atomic<bool> close_timed_out{false};
  std::atomic<int64_t> last_loop_ms{0};
  bool brokers_up() const { return events_.brokers_up(); }

 private:
  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override;
  void offset_commit_cb(RdKafka::ErrorCode err,
                        std::vector<RdKafka::TopicPartition*>& offsets) override;
  void Start();
  void Consume();
  void Handle(RdKafka::Message& m);
  RouteSender* RouteOf(const std::string& provider) const;
  void Done(const ForwardItem& item, const char* outcome);
  void CommitDone(bool final);
  void SetPaused(bool paused);
  bool Shutdown();
  void Close(Clock::time_point until);

  ForwardConfig config_;
  const Signer& signer_;
  const SealKeyPair* seal_key_;
  ForwardMetrics& metrics_;
  KafkaEvents events_;
  HttpClient http_;
  OffsetTracker tracker_;
  std::unique_ptr<RecordProducer> producer_;
  std::unique_ptr<Parking> parking_;
  std::vector<std::unique_ptr<RouteSender>> senders_;
  std::map<std::string, RouteSender*> by_provider_;
  RouteSender* fallback_ = nullptr;  // the route with provider "*"
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  bool paused_ = false;  // consumer thread only
  std::atomic<uint64_t> commit_callbacks_{0};
};

void Forwarder::Impl::rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                                   std::vector<RdKafka::TopicPartition*>& partitions) {
  const bool cooperative = consumer->rebalance_protocol() == "COOPERATIVE";
  if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
    Log(LogLevel::kInfo, "partitions-assigned", {{"count", partitions.size()}});
    if (cooperative) {
      delete consumer->incremental_assign(partitions);
    } else {
      consumer->assign(partitions);
    }
    assigned = true;
    if (paused_) consumer->pause(partitions);
    return;
  }
  // Revoked: commit what is done; in-flight alerts still finish but are not
  // committed by us (the next owner forwards them again: at least once).
  std::vector<RdKafka::TopicPartition*> commits;
  for (const auto* tp : partitions) {
    const PartitionKey key{tp->topic(), tp->partition()};
    const int64_t done = tracker_.Committable(key);
    if (done >= 0)
      commits.push_back(RdKafka::TopicPartition::create(key.topic, key.partition, done));
    tracker_.Forget(key);
  }
  if (!commits.empty()) consumer->commitAsync(commits);
  RdKafka::TopicPartition::destroy(commits);
  Log(LogLevel::kInfo, "partitions-revoked", {{"count", partitions.size()}});
  if (cooperative) {
    delete consumer->incremental_unassign(partitions);
  } else {
    consumer->unassign();
  }
}

void Forwarder::Impl::offset_commit_cb(RdKafka::ErrorCode err,
                                       std::vector<RdKafka::TopicPartition*>& offsets) {
  ++commit_callbacks_;
  if (err == RdKafka::ERR__NO_OFFSET) return;
  for (const auto* tp : offsets) {
    if (err == RdKafka::ERR_NO_ERROR && tp->err() == RdKafka::ERR_NO_ERROR) continue;
    tracker_.CommitFailed({tp->topic(), tp->partition()});
    Log(LogLevel::kWarn, "commit-failed",
        {{"topic", tp->topic()},
         {"partition", tp->partition()},
         {"error", RdKafka::err2str(err != RdKafka::ERR_NO_ERROR ? err : tp->err())}});
  }
}

void Forwarder::Impl::CommitDone(bool final) {
  const auto done = final ? tracker_.AllCommittable() : tracker_.TakeCommittable();
  if (done.empty()) return;
  std::vector<RdKafka::TopicPartition*> tps;
  for (const auto& [key, offset] : done)
    tps.push_back(RdKafka::TopicPartition::create(key.topic, key.partition, offset));
  const RdKafka::ErrorCode rc = consumer_->commitAsync(tps);
  if (rc != RdKafka::ERR_NO_ERROR) offset_commit_cb(rc, tps);
  RdKafka::TopicPartition::destroy(tps);
}

void Forwarder::Impl::Done(const ForwardItem& item, const char* outcome) {
  metrics_.Alert(outcome);
  tracker_.Complete(item.key, item.offset);
}

RouteSender* Forwarder::Impl::RouteOf(const std::string& provider) const {
  auto it = by_provider_.find(provider);
  return it != by_provider_.end() ? it->second : fallback_;
}

void Forwarder::Impl::Start() {
  KafkaClientSettings settings;
  settings.brokers = config_.brokers;
  settings.group_id = config_.group_id;
  settings.common = config_.kafka;
  settings.consumer = config_.consumer;
  settings.producer = config_.producer;
  producer_ = CreateProducer(settings, &events_);
  parking_ = std::make_unique<Parking>(*producer_, config_.dlq_topic, metrics_);
  SenderContext ctx{config_,
                    signer_,
                    http_,
                    *producer_,
                    *parking_,
                    metrics_,
                    [this](const ForwardItem& item, const char* outcome) { Done(item, outcome); }};
  for (const RouteConfig& route : config_.routes) {
    senders_.push_back(std::make_unique<RouteSender>(route, ctx));
    for (const std::string& p : route.providers) {
      if (p == "*") fallback_ = senders_.back().get();
      by_provider_[p] = senders_.back().get();
    }
  }
  for (auto& s : senders_) s->Start();
  consumer_ = CreateConsumer(settings, {this, this, &events_});
  if (consumer_->subscribe({config_.alerts_topic}) != RdKafka::ERR_NO_ERROR)
    throw KafkaError("cannot subscribe to " + config_.alerts_topic);
  Log(LogLevel::kInfo, "forwarding",
      {{"brokers", config_.brokers},
       {"group", config_.group_id},
       {"topic", config_.alerts_topic},
       {"routes", senders_.size()},
       {"key_identifier", signer_.key_identifier()},
       {"sealed_tokens", seal_key_ != nullptr}});
}

void Forwarder::Impl::Handle(RdKafka::Message& m) {
  const std::string_view value(static_cast<const char*>(m.payload()), m.payload() ? m.len() : 0);
  AlertRead read = ReadAlert(value, seal_key_);
  ForwardItem& item = read.item;
  item.key = {m.topic_name(), m.partition()};
  item.offset = m.offset();
  item.consumed_at = Clock::now();
  tracker_.Track(item.key, item.offset);
  if (!read.ok) {
    parking_->Park(item, "", 0, read.reason, "", [this, key = item.key, offset = item.offset] {
      metrics_.Alert("dead_letter");
      tracker_.Complete(key, offset);
    });
    return;
  }
  RouteSender* sender = RouteOf(item.provider);
  if (!sender) {
    Done(item, "unrouted");
    return;
  }
  sender->Add(std::move(item));
}

void Forwarder::Impl::SetPaused(bool paused) {
  if (paused == paused_) return;
  std::vector<RdKafka::TopicPartition*> parts;
  consumer_->assignment(parts);
  paused ? consumer_->pause(parts) : consumer_->resume(parts);
  RdKafka::TopicPartition::destroy(parts);
  paused_ = paused;
  metrics_.Paused(paused);
}

void Forwarder::Impl::Consume() {
  const size_t pending = tracker_.InFlight();
  if (pending >= config_.max_pending_alerts) SetPaused(true);
  if (pending <= config_.max_pending_alerts / 2) SetPaused(false);
  std::unique_ptr<RdKafka::Message> m(consumer_->consume(paused_ ? 20 : 100));
  const RdKafka::ErrorCode err = m->err();
  if (err == RdKafka::ERR_NO_ERROR) {
    Handle(*m);
  } else if (err == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART || err == RdKafka::ERR__UNKNOWN_TOPIC) {
    assigned = true;  // nothing to wait for: ready, joins when the topic appears
  } else if (err != RdKafka::ERR__TIMED_OUT && err != RdKafka::ERR__PARTITION_EOF) {
    Log(LogLevel::kWarn, "consume-error", {{"error", m->errstr()}});
  }
}

bool Forwarder::Impl::Run(const std::atomic<bool>& stop) {
  Start();
  auto last_commit = Clock::now();
  while (!stop) {
    Consume();
    last_loop_ms = SteadyMs();
    if (Clock::now() - last_commit >= milliseconds(config_.commit_interval_ms)) {
      CommitDone(false);
      metrics_.Pending(tracker_.InFlight());
      last_commit = Clock::now();
    }
  }
  return Shutdown();
}

// Flush the batches, wait for them within the deadline, commit what is done.
// What is not done by then stays uncommitted and is forwarded again after
// the restart.
bool Forwarder::Impl::Shutdown() {
  const auto start = Clock::now();
  const milliseconds budget(config_.shutdown_deadline_ms);
  Log(LogLevel::kInfo, "draining", {{"pending", tracker_.InFlight()}});
  SetPaused(true);
  for (auto& s : senders_) s->Flush();
  while (tracker_.InFlight() > 0 && Clock::now() < start + budget * 6 / 10) {
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(10));  // paused: callbacks only
  }
  for (auto& s : senders_) s->Abort();
  const bool flushed = producer_->Flush(
      std::chrono::duration_cast<milliseconds>(start + budget * 7 / 10 - Clock::now()));
  producer_->Abort();
  const uint64_t before = commit_callbacks_;
  CommitDone(true);
  while (Clock::now() < start + budget * 9 / 10 && commit_callbacks_ == before) {
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(10));
  }
  const size_t left = tracker_.InFlight();
  Close(start + budget);
  Log(LogLevel::kInfo, "stopped", {{"flushed", flushed}, {"uncommitted", left}});
  return flushed && left == 0 && commit_callbacks_ != before;
}

// close() leaves the group, which waits for a broker: with none up it would
// not return in time. Past the deadline the process exits without it.
void Forwarder::Impl::Close(Clock::time_point until) {
  auto closed = std::make_shared<std::atomic<bool>>(false);
  RdKafka::KafkaConsumer* consumer = consumer_.get();
  std::thread closer([consumer, closed] {
    consumer->close();
    *closed = true;
  });
  while (!*closed && Clock::now() < until) std::this_thread::sleep_for(milliseconds(5));
  if (*closed) return closer.join();
  closer.detach();
  close_timed_out = true;
  consumer_.release();  // still in use by the closer; the process exits now
  Log(LogLevel::kWarn, "close-timed-out");
}

Forwarder::Forwarder(ForwardConfig config, const Signer& signer, const SealKeyPair* seal_key,
                     ForwardMetrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(config), signer, seal_key, metrics)) {}
Forwarder::~Forwarder() = default;

bool Forwarder::Run(const std::atomic<bool>& stop) {
  return impl_->Run(stop);
}

bool Forwarder::close_timed_out() const {
  return impl_->close_timed_out;
}

bool Forwarder::Alive(std::string* why) const {
  const int64_t last = impl_->last_loop_ms;
  if (last != 0 && SteadyMs() - last >= 60000) {
    *why = "consumer loop stalled";
    return false;
  }
  return true;
}

bool Forwarder::Ready(std::string* why) const {
  if (!impl_->assigned) {
    *why = "waiting to join the consumer group";
  } else if (!impl_->brokers_up()) {
    *why = "no broker reachable";
  } else {
    return Alive(why);
  }
  return false;
}

}  // namespace leakd
