// The broker leakd_serve_bench runs against: librdkafka's mock cluster in this
// process (the default), or a real Kafka cluster (--brokers HOST:PORT). Topics
// are created explicitly with the partition count asked for: on the mock with
// its own call, on a real cluster with the Admin API (CreateTopics), waiting
// until the topic's leaders are known.
#pragma once

#include <memory>
#include <string>

#include "kafka/embedded_broker.h"

namespace leakd::bench {

class BenchBroker {
 public:
  // `brokers` empty: an embedded mock cluster.
  explicit BenchBroker(const std::string& brokers);
  bool real() const { return !mock_; }
  const std::string& bootstraps() const { return bootstraps_; }
  // Throws KafkaError when the topic cannot be created (an existing topic is
  // an error too: every run uses fresh names).
  void CreateTopic(const std::string& name, int partitions);

 private:
  std::unique_ptr<EmbeddedBroker> mock_;
  std::string bootstraps_;
};

}  // namespace leakd::bench
