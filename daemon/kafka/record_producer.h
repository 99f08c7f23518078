// RecordProducer: publishes alerts and dead-letter records, and says when the
// broker has acknowledged each one.
//
// Idempotent producer, acks=all, small linger, Nagle off. A record whose
// delivery fails for good (after librdkafka's own retries) is produced again,
// so `on_ack` eventually runs once per record: at-least-once, never lost. A
// poll thread serves delivery reports; `on_ack` runs on that thread and must be
// quick. Produce() is thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kafka/kafka_error.h"

namespace RdKafka {
class Producer;
class EventCb;
}  // namespace RdKafka

namespace leakd {

struct OutRecord {
  std::string topic;
  std::string key;
  std::string value;
  std::vector<std::pair<std::string, std::string>> headers;
};

class RecordProducer {
 public:
  // `properties` are passed to librdkafka after leakd's defaults, so they win.
  // `events`, when given, receives librdkafka's log and error events.
  explicit RecordProducer(const KafkaProperties& properties, RdKafka::EventCb* events = nullptr);
  ~RecordProducer();
  RecordProducer(const RecordProducer&) = delete;
  RecordProducer& operator=(const RecordProducer&) = delete;

  void Produce(OutRecord record, std::function<void()> on_ack);
  // Waits until every record is acknowledged or the timeout passes.
  bool Flush(std::chrono::milliseconds timeout);

  uint64_t acknowledged() const { return acknowledged_; }
  uint64_t delivery_failures() const { return delivery_failures_; }
  int64_t outstanding() const { return outstanding_; }

 private:
  struct Pending;
  class DeliveryReports;
  void Send(Pending* pending);

  std::unique_ptr<DeliveryReports> reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::atomic<bool> stop_{false};
  std::thread poller_;
  std::atomic<uint64_t> acknowledged_{0}, delivery_failures_{0};
  std::atomic<int64_t> outstanding_{0};
};

}  // namespace leakd
