#include "kafka/kafka_clients.h"

#include <librdkafka/rdkafkacpp.h>

namespace leakd {
namespace {

constexpr const char* kStatisticsIntervalMs = "5000";

KafkaProperties Layered(KafkaProperties defaults, const KafkaClientSettings& s,
                        const KafkaProperties& own) {
  for (const auto& [k, v] : s.common) defaults[k] = v;
  for (const auto& [k, v] : own) defaults[k] = v;
  return defaults;
}

template <typename Callback>
void SetCallback(RdKafka::Conf& conf, const char* name, Callback* callback) {
  std::string err;
  if (!callback) throw KafkaError(std::string("kafka client: no ") + name + " callback");
  if (conf.set(name, callback, err) != RdKafka::Conf::CONF_OK) {
    throw KafkaError(std::string("kafka client: ") + name + ": " + err);
  }
}

}  // namespace

KafkaProperties ConsumerProperties(const KafkaClientSettings& s) {
  constexpr size_t kPrefetchKilobytes = 256 * 1024;
  return Layered(
      {{"bootstrap.servers", s.brokers},
       {"group.id", s.group_id},
       {"enable.auto.commit", "false"},
       {"enable.auto.offset.store", "false"},
       {"auto.offset.reset", "earliest"},
       {"partition.assignment.strategy", "cooperative-sticky"},
       {"fetch.wait.max.ms", "5"},
       {"socket.nagle.disable", "true"},
       {"statistics.interval.ms", kStatisticsIntervalMs},
       // A subscribed topic created after start is noticed within 30 s, not
       // librdkafka's default 5 minutes.
       {"topic.metadata.refresh.interval.ms", "30000"},
       {"fetch.message.max.bytes", std::to_string(s.max_message_bytes + 4096)},
       // A fetch response holds at least one whole batch, however large (KIP-74):
       // one message over librdkafka's default of 100 MB made every fetch fail
       // and the broker connection drop, again and again, so no later message
       // of any partition on that broker was read. The same limit caps what a
       // compressed batch may inflate to, so it is no larger than the prefetch
       // queue: a message up to 256 MiB is read and parked, and a Kafka-level
       // compression bomb costs at most that much memory before it is refused.
       {"receive.message.max.bytes", std::to_string(kPrefetchKilobytes * 1024)},
       // librdkafka's prefetch queue (one for all partitions): bounded so that
       // the daemon's memory is too. Once full, librdkafka 2.0 looks at it
       // again only about a second later, so a queue that the workers empty in
       // less than that leaves them idle while a backlog drains: 32 MiB cut a
       // backlog of 4 KB events to a quarter of the rate 256 MiB allows
       // (bench/serve_kafka.sh). 256 MiB, or room for the largest message.
       {"queued.max.messages.kbytes",
        std::to_string(std::max<size_t>(kPrefetchKilobytes, s.max_message_bytes / 1024 + 64))}},
      s, s.consumer);
}

KafkaProperties ProducerProperties(const KafkaClientSettings& s) {
  return Layered(
      {{"bootstrap.servers", s.brokers}, {"statistics.interval.ms", kStatisticsIntervalMs}}, s,
      s.producer);
}

std::unique_ptr<RdKafka::Conf> ConsumerConf(const KafkaClientSettings& settings,
                                            const ConsumerCallbacks& callbacks) {
  auto conf = MakeKafkaConf(ConsumerProperties(settings));
  SetCallback(*conf, "rebalance_cb", callbacks.rebalance);
  SetCallback(*conf, "offset_commit_cb", callbacks.offset_commit);
  SetCallback(*conf, "event_cb", callbacks.events);
  return conf;
}

std::unique_ptr<RdKafka::Conf> ProducerConf(const KafkaProperties& properties,
                                            RdKafka::DeliveryReportCb* reports,
                                            RdKafka::EventCb* events) {
  auto conf = MakeKafkaConf(properties);
  SetCallback(*conf, "dr_cb", reports);
  if (events) SetCallback(*conf, "event_cb", events);
  return conf;
}

std::unique_ptr<RdKafka::KafkaConsumer> CreateConsumer(const KafkaClientSettings& settings,
                                                       const ConsumerCallbacks& callbacks) {
  auto conf = ConsumerConf(settings, callbacks);
  std::string err;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer) throw KafkaError("cannot create consumer: " + err);
  return consumer;
}

std::unique_ptr<RecordProducer> CreateProducer(const KafkaClientSettings& settings,
                                               RdKafka::EventCb* events) {
  return std::make_unique<RecordProducer>(ProducerProperties(settings), events);
}

}  // namespace leakd
