// EmbeddedBroker: librdkafka's mock cluster (real Kafka protocol on loopback,
// in this process) for the demo and for tests. Production never uses it.
//
// Facts of librdkafka 2.0.2's mock: random ports (read bootstraps()), topics
// auto-created with 4 partitions, about 5 MiB kept per partition, and the mock
// must be destroyed before the handle that owns it (the destructor does so).
#pragma once

#include <string>

struct rd_kafka_s;
struct rd_kafka_mock_cluster_s;

namespace leakd {

// Kafka API keys (the protocol's request kinds) that InjectErrors and
// DelayRequests name.
namespace kafka_api {
inline constexpr int kProduce = 0;
inline constexpr int kOffsetCommit = 8;
inline constexpr int kSyncGroup = 14;
}  // namespace kafka_api

class EmbeddedBroker {
 public:
  explicit EmbeddedBroker(int brokers = 1);
  ~EmbeddedBroker();
  EmbeddedBroker(const EmbeddedBroker&) = delete;
  EmbeddedBroker& operator=(const EmbeddedBroker&) = delete;

  const std::string& bootstraps() const { return bootstraps_; }
  void CreateTopic(const std::string& name, int partitions);
  // Fails the next `count` requests of Kafka API `api_key` with `error`.
  void InjectErrors(int api_key, int count, int error);
  void SetBrokerUp(int broker_id, bool up);
  // Delays the answers to the next `count` requests of Kafka API `api_key`
  // to broker `broker_id` by `rtt_ms` each (they succeed, late).
  void DelayRequests(int broker_id, int api_key, int count, int rtt_ms);

 private:
  rd_kafka_s* handle_ = nullptr;
  rd_kafka_mock_cluster_s* cluster_ = nullptr;
  std::string bootstraps_;
};

}  // namespace leakd
