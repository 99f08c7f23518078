#include "bench_broker.h"

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <thread>

#include "kafka/kafka_error.h"

namespace leakd::bench {
namespace {

// CreateTopics on a real cluster through a short-lived producer handle.
void AdminCreateTopic(const std::string& brokers, const std::string& name, int partitions) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) throw KafkaError(std::string("admin client: ") + err);
  rd_kafka_NewTopic_t* topic = rd_kafka_NewTopic_new(name.c_str(), partitions, 1, err, sizeof err);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(rk);
  rd_kafka_CreateTopics(rk, &topic, 1, nullptr, queue);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(queue, 30000);
  std::string failure = ev ? "" : "no answer";
  if (ev && rd_kafka_event_error(ev)) failure = rd_kafka_event_error_string(ev);
  if (ev && failure.empty()) {
    size_t n = 0;
    const rd_kafka_topic_result_t** results =
        rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
    for (size_t i = 0; i < n; ++i) {
      if (rd_kafka_topic_result_error(results[i])) {
        failure = rd_kafka_topic_result_error_string(results[i]);
      }
    }
  }
  if (ev) rd_kafka_event_destroy(ev);
  rd_kafka_NewTopic_destroy(topic);
  rd_kafka_queue_destroy(queue);
  // Leaders elected and known: the topic's metadata lists every partition
  // with a leader.
  bool ready = false;
  for (int attempt = 0; failure.empty() && !ready && attempt < 100; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    rd_kafka_topic_t* t = rd_kafka_topic_new(rk, name.c_str(), nullptr);
    const rd_kafka_metadata_t* md = nullptr;
    if (rd_kafka_metadata(rk, 0, t, &md, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      ready = md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR &&
              md->topics[0].partition_cnt == partitions;
      for (int p = 0; ready && p < md->topics[0].partition_cnt; ++p)
        ready = md->topics[0].partitions[p].leader >= 0;
      rd_kafka_metadata_destroy(md);
    }
    rd_kafka_topic_destroy(t);
  }
  if (failure.empty() && !ready) failure = "no leaders after 5 s";
  rd_kafka_destroy(rk);
  if (!failure.empty()) throw KafkaError("cannot create topic " + name + ": " + failure);
}

}  // namespace

BenchBroker::BenchBroker(const std::string& brokers) : bootstraps_(brokers) {
  if (bootstraps_.empty()) {
    mock_ = std::make_unique<EmbeddedBroker>(1);
    bootstraps_ = mock_->bootstraps();
  }
}

void BenchBroker::CreateTopic(const std::string& name, int partitions) {
  if (mock_) return mock_->CreateTopic(name, partitions);
  AdminCreateTopic(bootstraps_, name, partitions);
}

}  // namespace leakd::bench
