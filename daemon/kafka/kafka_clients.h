// The one place where leakd's Kafka clients are configured and created: the
// consumer that reads pushes and uploads, and the producer that writes alerts
// and dead letters. Every callback leakd relies on is registered here, and
// nowhere else, so that none can be written and forgotten:
//   consumer: rebalance_cb, offset_commit_cb, event_cb (logs, errors, stats)
//   producer: dr_cb (by RecordProducer), event_cb
// Defaults (the user's properties win): manual commits, cooperative-sticky,
// low-latency fetches, statistics every 5 s (the lag gauges and readiness
// live on them), a fetch limit that fits the largest accepted message, and a
// bounded prefetch queue (memory).
#pragma once

#include <memory>
#include <string>

#include "kafka/kafka_error.h"
#include "kafka/record_producer.h"

namespace RdKafka {
class KafkaConsumer;
class RebalanceCb;
class OffsetCommitCb;
class EventCb;
class DeliveryReportCb;
}  // namespace RdKafka

namespace leakd {

struct KafkaClientSettings {
  std::string brokers;
  std::string group_id;
  size_t max_message_bytes = 10u << 20;
  KafkaProperties common, consumer, producer;  // librdkafka names, passed through
};

// The client settings of a daemon's configuration: any type with brokers,
// group_id and the kafka / consumer / producer property maps (ServeConfig,
// ForwardConfig), so that each daemon builds its clients the same way.
template <typename Config>
KafkaClientSettings ClientSettingsFrom(const Config& config) {
  KafkaClientSettings settings;
  settings.brokers = config.brokers;
  settings.group_id = config.group_id;
  settings.common = config.kafka;
  settings.consumer = config.consumer;
  settings.producer = config.producer;
  return settings;
}

struct ConsumerCallbacks {
  RdKafka::RebalanceCb* rebalance = nullptr;
  RdKafka::OffsetCommitCb* offset_commit = nullptr;
  RdKafka::EventCb* events = nullptr;
};

// The properties each client gets: leakd's defaults, then common, then the
// client's own. Exposed for tests.
KafkaProperties ConsumerProperties(const KafkaClientSettings& settings);
KafkaProperties ProducerProperties(const KafkaClientSettings& settings);

// A consumer Conf with every callback set (exposed for tests). Throws
// KafkaError if a property or callback is refused, or a callback is missing.
std::unique_ptr<RdKafka::Conf> ConsumerConf(const KafkaClientSettings& settings,
                                            const ConsumerCallbacks& callbacks);
// A producer Conf with `properties` and both callbacks set (RecordProducer uses it).
std::unique_ptr<RdKafka::Conf> ProducerConf(const KafkaProperties& properties,
                                            RdKafka::DeliveryReportCb* reports,
                                            RdKafka::EventCb* events);

std::unique_ptr<RdKafka::KafkaConsumer> CreateConsumer(const KafkaClientSettings& settings,
                                                       const ConsumerCallbacks& callbacks);
std::unique_ptr<RecordProducer> CreateProducer(const KafkaClientSettings& settings,
                                               RdKafka::EventCb* events);

}  // namespace leakd
