#include "kafka/embedded_broker.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <vector>

#include "kafka/kafka_error.h"

namespace leakd {

EmbeddedBroker::EmbeddedBroker(int brokers) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[256];
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
  handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!handle_) {
    rd_kafka_conf_destroy(conf);
    throw KafkaError(std::string("embedded broker: ") + err);
  }
  cluster_ = rd_kafka_mock_cluster_new(handle_, brokers);
  if (!cluster_) {
    rd_kafka_destroy(handle_);
    throw KafkaError("embedded broker: cannot create the mock cluster");
  }
  bootstraps_ = rd_kafka_mock_cluster_bootstraps(cluster_);
}

EmbeddedBroker::~EmbeddedBroker() {
  rd_kafka_mock_cluster_destroy(cluster_);  // before its handle, or librdkafka aborts
  rd_kafka_destroy(handle_);
}

void EmbeddedBroker::CreateTopic(const std::string& name, int partitions) {
  if (rd_kafka_mock_topic_create(cluster_, name.c_str(), partitions, 1) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw KafkaError("embedded broker: cannot create topic " + name);
  }
}

void EmbeddedBroker::InjectErrors(int api_key, int count, int error) {
  std::vector<rd_kafka_resp_err_t> errors(static_cast<size_t>(count),
                                          static_cast<rd_kafka_resp_err_t>(error));
  rd_kafka_mock_push_request_errors_array(cluster_, static_cast<int16_t>(api_key), errors.size(),
                                          errors.data());
}

void EmbeddedBroker::DelayRequests(int broker_id, int api_key, int count, int rtt_ms) {
  for (int i = 0; i < count; ++i) {
    rd_kafka_mock_broker_push_request_error_rtts(cluster_, broker_id, static_cast<int16_t>(api_key),
                                                 1, RD_KAFKA_RESP_ERR_NO_ERROR, rtt_ms);
  }
}

void EmbeddedBroker::SetBrokerUp(int broker_id, bool up) {
  if (up) {
    rd_kafka_mock_broker_set_up(cluster_, broker_id);
  } else {
    rd_kafka_mock_broker_set_down(cluster_, broker_id);
  }
}

}  // namespace leakd
