#include "relay.h"

#include <chrono>
#include <thread>

#include "kafka/message_headers.h"

namespace leakd::bench {

Relay::Relay(KafkaClientSettings settings, std::vector<std::string> inputs, std::string output,
             int commit_interval_ms)
    : settings_(std::move(settings)),
      inputs_(std::move(inputs)),
      output_(std::move(output)),
      commit_interval_ms_(commit_interval_ms) {
  producer_ = CreateProducer(settings_, &events_);
  consumer_ = CreateConsumer(settings_, {this, this, &events_});
  if (consumer_->subscribe(inputs_) != RdKafka::ERR_NO_ERROR) throw KafkaError("cannot subscribe");
}

Relay::~Relay() {
  producer_->Flush(std::chrono::milliseconds(5000));
  consumer_->close();
}

// The same handling as the daemon's (serve/pipeline.cpp), without its
// bookkeeping: cooperative or eager, what is done is committed on revoke.
void Relay::rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                         std::vector<RdKafka::TopicPartition*>& partitions) {
  const bool cooperative = consumer->rebalance_protocol() == "COOPERATIVE";
  if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
    if (cooperative) {
      consumer->incremental_assign(partitions);
    } else {
      consumer->assign(partitions);
    }
    assigned_ = true;
    return;
  }
  Commit();
  for (const auto* tp : partitions) tracker_.Forget({tp->topic(), tp->partition()});
  if (cooperative) {
    consumer->incremental_unassign(partitions);
  } else {
    consumer->unassign();
  }
}

void Relay::Forward(std::unique_ptr<RdKafka::Message> m) {
  const PartitionKey key{m->topic_name(), m->partition()};
  const int64_t offset = m->offset();
  tracker_.Track(key, offset);
  OutRecord out;
  out.topic = output_;
  if (m->key_pointer()) out.key.emplace(static_cast<const char*>(m->key_pointer()), m->key_len());
  if (m->payload()) out.value.emplace(static_cast<const char*>(m->payload()), m->len());
  out.headers = HeadersOf(*m);
  producer_->Produce(std::move(out), [this, key, offset](const Delivery& d) {
    if (d.status == DeliveryStatus::kAcked) tracker_.Complete(key, offset);
  });
}

void Relay::Commit() {
  const auto done = tracker_.TakeCommittable();
  if (done.empty()) return;
  std::vector<RdKafka::TopicPartition*> tps;
  for (const auto& [key, offset] : done)
    tps.push_back(RdKafka::TopicPartition::create(key.topic, key.partition, offset));
  consumer_->commitAsync(tps);
  RdKafka::TopicPartition::destroy(tps);
}

void Relay::Run(const std::atomic<bool>& stop) {
  using Clock = std::chrono::steady_clock;
  auto last_commit = Clock::now();
  while (!stop) {
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(100));
    if (m->err() == RdKafka::ERR_NO_ERROR) {
      ++consumed_;
      Forward(std::move(m));
    }
    if (Clock::now() - last_commit >= std::chrono::milliseconds(commit_interval_ms_)) {
      Commit();
      last_commit = Clock::now();
    }
  }
  producer_->Flush(std::chrono::milliseconds(5000));
  Commit();
}

}  // namespace leakd::bench
