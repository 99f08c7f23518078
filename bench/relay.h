// Relay: the floor leakd is measured against. A bare librdkafka consume →
// produce loop, built with the daemon's own client construction
// (kafka/kafka_clients.h: the same consumer and producer properties and
// callbacks, the same RecordProducer), with the same delivery guarantee: a
// consumed offset is committed, every commit_interval_ms, only after the
// record produced from it is acknowledged (kafka/offset_tracker.h). What it
// leaves out is exactly leakd's own work: decoding, scanning, the worker
// handoff and building alerts.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "kafka/kafka_clients.h"
#include "kafka/kafka_events.h"
#include "kafka/offset_tracker.h"

namespace leakd::bench {

class Relay : public RdKafka::RebalanceCb, public RdKafka::OffsetCommitCb {
 public:
  Relay(KafkaClientSettings settings, std::vector<std::string> inputs, std::string output,
        int commit_interval_ms);
  ~Relay() override;

  // Relays until `stop` is set, then commits what is done.
  void Run(const std::atomic<bool>& stop);
  bool assigned() const { return assigned_; }
  uint64_t consumed() const { return consumed_; }

 private:
  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override;
  void offset_commit_cb(RdKafka::ErrorCode, std::vector<RdKafka::TopicPartition*>&) override {}
  void Forward(std::unique_ptr<RdKafka::Message> m);
  void Commit();

  KafkaClientSettings settings_;
  std::vector<std::string> inputs_;
  std::string output_;
  int commit_interval_ms_;
  KafkaEvents events_;
  OffsetTracker tracker_;
  std::unique_ptr<RecordProducer> producer_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::atomic<bool> assigned_{false};
  std::atomic<uint64_t> consumed_{0};
};

}  // namespace leakd::bench
