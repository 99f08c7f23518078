// `leakd scan --git … --publish BROKERS`: each history finding as a
// leakd.alert.v1 record on the alert topic, through the daemon's producer
// (kafka/record_producer.h: idempotent, acks=all) and alert builder
// (alert/alert.h), so existing leaks take the same revocation path as new
// pushes. The alert has "source": "history", and the commit, path, line and
// column of the finding's provenance (the introducing commit); "origin" has
// no Kafka message: topic "", partition and offset -1, timestamp_ms the
// commit's committer time. Key: the provider, as every alert.
//
// Idempotence: the producer's idempotence removes duplicates from its own
// retries within one run. A second run publishes again; each record carries a
// header `leakd-history-id` (SHA-256 of repo, commit, path, line, column and
// fingerprint), equal across runs, by which a consumer can drop repeats.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "alert/alert.h"
#include "history/history_scan.h"
#include "kafka/kafka_clients.h"

namespace leakd {

struct PublishSettings {
  KafkaClientSettings kafka;  // brokers and the kafka/producer properties
  std::string topic = "leakd.alerts";
  TokenMode token_mode = TokenMode::kPlain;
  std::string url_template;
  std::string repo;  // the alerts' "repo"
  // How long to wait for the broker to acknowledge everything; what is not
  // acknowledged then counts as aborted.
  std::chrono::milliseconds timeout{120000};
};

struct PublishResult {
  uint64_t acked = 0, rejected = 0, aborted = 0;
  std::vector<std::string> reasons;  // librdkafka's text of each failure, deduplicated
  bool ok() const { return rejected == 0 && aborted == 0; }
};

// Made before the scan: it creates the producer and has it look the alert
// topic up at once, so that the topic's leader is known when the findings are
// ready (librdkafka otherwise holds the first record about a second for it),
// and a bad Kafka property stops the command before a long scan, not after.
class HistoryPublisher {
 public:
  // Throws KafkaError when the producer cannot be created (a bad property).
  explicit HistoryPublisher(PublishSettings settings);
  ~HistoryPublisher();
  HistoryPublisher(const HistoryPublisher&) = delete;
  HistoryPublisher& operator=(const HistoryPublisher&) = delete;

  // Publishes every finding, waits for each delivery (up to the settings'
  // timeout) and closes the producer: call once.
  PublishResult Publish(const std::vector<HistoryFinding>& findings);

 private:
  PublishSettings settings_;
  std::unique_ptr<RecordProducer> producer_;
};

// The record of one finding (exposed for tests).
OutRecord HistoryAlertRecord(const HistoryFinding& finding, const PublishSettings& settings,
                             const std::string& detected_at);

}  // namespace leakd
