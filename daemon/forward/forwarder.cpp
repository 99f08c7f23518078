#include "forward/forwarder.h"

#include <librdkafka/rdkafkacpp.h>

#include <map>
#include <thread>

#include "common/log.h"
#include "forward/alert_reader.h"
#include "forward/http_client.h"
#include "forward/parking.h"
#include "forward/route_sender.h"
#include "kafka/consumer_loop.h"
#include "kafka/group_offsets.h"
#include "kafka/kafka_clients.h"
#include "kafka/kafka_events.h"

namespace leakd {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

}  // namespace

class Forwarder::Impl {
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

  bool assigned() const { return group_.assigned(); }
  std::atomic<bool> consumer_kept_open{false};
  bool loop_stalled() const { return loop_.StalledFor(); }
  bool brokers_up() const { return events_.brokers_up(); }

 private:
  void Start();
  void Consume();
  void Handle(RdKafka::Message& m);
  RouteSender* RouteOf(const std::string& provider) const;
  void Done(const ForwardItem& item, const char* outcome);
  void SetPaused(bool paused);
  bool Shutdown();

  ForwardConfig config_;
  const Signer& signer_;
  const SealKeyPair* seal_key_;
  ForwardMetrics& metrics_;
  KafkaEvents events_;
  HttpClient http_;
  GroupOffsets group_;  // the offset tracker, rebalances and commits
  ConsumerLoop loop_{group_, milliseconds(config_.commit_interval_ms)};
  std::unique_ptr<RecordProducer> producer_;
  std::unique_ptr<Parking> parking_;
  std::vector<std::unique_ptr<RouteSender>> senders_;
  std::map<std::string, RouteSender*> by_provider_;
  RouteSender* fallback_ = nullptr;  // the route with provider "*"
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  bool paused_ = false;  // consumer thread only
};

void Forwarder::Impl::Done(const ForwardItem& item, const char* outcome) {
  metrics_.Alert(outcome);
  group_.tracker().Complete(item.key, item.offset);
}

RouteSender* Forwarder::Impl::RouteOf(const std::string& provider) const {
  auto it = by_provider_.find(provider);
  return it != by_provider_.end() ? it->second : fallback_;
}

void Forwarder::Impl::Start() {
  const KafkaClientSettings settings = ClientSettingsFrom(config_);
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
  consumer_ = CreateConsumer(settings, {&group_, &group_, &events_});
  group_.Attach(consumer_.get());
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
  AlertRead read;
  if (m.err() == RdKafka::ERR_NO_ERROR) {
    read = ReadAlert(value, seal_key_);
  } else {
    read.reason = "undecodable-batch";  // kafka/group_offsets.h: a batch the client cannot decode
  }
  ForwardItem& item = read.item;
  item.key = {m.topic_name(), m.partition()};
  item.offset = m.offset();
  item.consumed_at = Clock::now();
  group_.tracker().Track(item.key, item.offset);
  if (!read.ok) {
    parking_->Park(item, "", 0, read.reason, "", [this, key = item.key, offset = item.offset] {
      metrics_.Alert("dead_letter");
      group_.tracker().Complete(key, offset);
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
  group_.SetPaused(paused);
  metrics_.Paused(paused);
}

void Forwarder::Impl::Consume() {
  const size_t pending = group_.tracker().InFlight();
  if (pending >= config_.max_pending_alerts) SetPaused(true);
  if (pending <= config_.max_pending_alerts / 2) SetPaused(false);
  if (const auto m = group_.Next(paused_ ? 20 : 100)) Handle(*m);
}

bool Forwarder::Impl::Run(const std::atomic<bool>& stop) {
  Start();
  loop_.Run(
      stop, [this] { Consume(); },
      [this] {
        metrics_.Pending(group_.tracker().InFlight());
        metrics_.RecordsRefused(producer_->rejected());
      });
  return Shutdown();
}

// Flush the batches, wait for them within the deadline, commit what is done.
// What is not done by then stays uncommitted and is forwarded again after
// the restart.
bool Forwarder::Impl::Shutdown() {
  const auto start = Clock::now();
  const milliseconds budget(config_.shutdown_deadline_ms);
  Log(LogLevel::kInfo, "draining", {{"pending", group_.tracker().InFlight()}});
  SetPaused(true);
  for (auto& s : senders_) s->Flush();
  while (group_.tracker().InFlight() > 0 && Clock::now() < start + budget * 6 / 10) {
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(10));  // paused: callbacks only
  }
  for (auto& s : senders_) s->Abort();
  const bool flushed = producer_->Flush(
      std::chrono::duration_cast<milliseconds>(start + budget * 7 / 10 - Clock::now()));
  producer_->Abort();
  const bool committed = group_.CommitAllBy(start + budget * 9 / 10);
  const size_t left = group_.tracker().InFlight();
  if (!CloseConsumerBy(&consumer_, start + budget, group_.DestroyWouldAbort()))
    consumer_kept_open = true;
  Log(LogLevel::kInfo, "stopped",
      {{"flushed", flushed}, {"committed", committed}, {"uncommitted", left}});
  return flushed && committed && left == 0;
}

Forwarder::Forwarder(ForwardConfig config, const Signer& signer, const SealKeyPair* seal_key,
                     ForwardMetrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(config), signer, seal_key, metrics)) {}
Forwarder::~Forwarder() = default;

bool Forwarder::Run(const std::atomic<bool>& stop) {
  return impl_->Run(stop);
}

bool Forwarder::consumer_kept_open() const {
  return impl_->consumer_kept_open;
}

bool Forwarder::Alive(std::string* why) const {
  if (impl_->loop_stalled()) {
    *why = "consumer loop stalled";
    return false;
  }
  return true;
}

bool Forwarder::Ready(std::string* why) const {
  if (!impl_->assigned()) {
    *why = "waiting to join the consumer group";
  } else if (!impl_->brokers_up()) {
    *why = "no broker reachable";
  } else {
    return Alive(why);
  }
  return false;
}

}  // namespace leakd
