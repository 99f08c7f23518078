// KafkaEvents: what librdkafka says on its own (logs, errors, statistics),
// turned into leakd's signals. Logs and errors become leakd's JSON log lines;
// statistics (every statistics.interval.ms) give the consumer lag of each
// assigned partition and whether any broker is reachable. Registered on both
// clients by kafka_clients.h, which is what makes these signals exist at all.
//
// Threads: librdkafka calls event_cb from its poll/consume callers; the
// accessors are safe from any thread.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace leakd {

class KafkaEvents : public RdKafka::EventCb {
 public:
  // Called for each partition in a consumer statistics report that has a lag.
  using LagSink = std::function<void(const std::string& topic, int32_t partition, int64_t lag)>;
  explicit KafkaEvents(LagSink on_lag = nullptr) : on_lag_(std::move(on_lag)) {}

  void event_cb(RdKafka::Event& event) override;
  // One statistics JSON document (public for tests).
  void OnStatistics(const std::string& json);

  // False once the consumer's statistics show no broker UP, or librdkafka
  // reported all brokers down; true again when one is UP.
  bool brokers_up() const { return brokers_up_; }

 private:
  LagSink on_lag_;
  std::atomic<bool> brokers_up_{true};
};

}  // namespace leakd
