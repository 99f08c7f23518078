// Metrics: leakd's Prometheus metrics (prometheus-cpp registry) and their text
// exposition. Label values are only rule ids, providers, confidences, topics,
// partitions and reason codes, fixed vocabularies or configuration, never
// anything taken from message content, so no secret can reach a label.
// Thread-safe (prometheus-cpp metrics are).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>

#include "rules/rule.h"

namespace leakd {

class PatternDatabase;

// A counter that follows a running total kept elsewhere (the producer's).
struct CounterOfTotal {
  void Follow(uint64_t total);

  prometheus::Counter* counter = nullptr;
  std::mutex mu;  // guards seen
  uint64_t seen = 0;
};

class Metrics {
 public:
  Metrics();

  // The Prometheus text exposition format (version 0.0.4).
  std::string Scrape() const;

  void MessageConsumed(const std::string& topic,
                       const std::string& outcome);  // "ok" | "dead_letter"
  void BytesScanned(uint64_t bytes) { bytes_scanned_->Increment(static_cast<double>(bytes)); }
  // `fixture`: under a test/example/docs path or a published sample (label
  // fixture="true"), so dashboards can count real leaks apart.
  void Finding(const Rule& rule, Confidence confidence, bool fixture = false);
  void FindingIgnored(const std::string& reason) {
    ignored_->Add({{"reason", reason}}).Increment();
  }
  void AlertProduced(const std::string& provider);
  void AlertDeduplicated() { deduplicated_->Increment(); }
  // Running totals from the producer.
  void AddDeliveryFailures(uint64_t total) { delivery_failures_.Follow(total); }
  void ProducerReplacements(uint64_t total) { producer_replacements_.Follow(total); }
  void DeadLetter(const std::string& reason);
  // Makes the series of `reason` exist, at 0.
  void DeclareDeadLetterReason(const std::string& reason) {
    dead_letters_->Add({{"reason", reason}});
  }
  void ScanSeconds(double seconds) { scan_seconds_->Observe(seconds); }
  void PushToAlertSeconds(double seconds) { push_to_alert_->Observe(seconds); }
  void ConsumerLag(const std::string& topic, int32_t partition, int64_t lag);
  // A revoked partition's lag is no longer ours to report.
  void ForgetConsumerLag(const std::string& topic, int32_t partition);
  // A record the broker refused for good (kind: alert, dead_letter, parked_alert).
  void RecordRejected(const std::string& kind) { rejected_->Add({{"kind", kind}}).Increment(); }
  void WorkerStalled() { worker_stalls_->Increment(); }
  void CrashSuspects(size_t n) { crash_suspects_->Increment(static_cast<double>(n)); }
  void StalledWorkers(size_t n) { stalled_workers_->Set(static_cast<double>(n)); }
  void UploadClosed(const std::string& end) { uploads_closed_->Add({{"end", end}}).Increment(); }
  void QueueBytes(size_t bytes) { queue_bytes_->Set(static_cast<double>(bytes)); }
  void QueueDepth(size_t messages) { queue_depth_->Set(static_cast<double>(messages)); }
  void PausedPartitions(size_t n) { paused_->Set(static_cast<double>(n)); }
  void OpenUploads(size_t n) { open_uploads_->Set(static_cast<double>(n)); }
  void AssignedPartitions(size_t n) { assigned_->Set(static_cast<double>(n)); }
  // A database was loaded (at start or by a reload): success 1, info{hash} moves to its hash.
  void PatternDatabaseLoaded(const PatternDatabase& db);
  void PatternDatabaseLoadFailed() { db_last_reload_success_->Set(0); }

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* consumed_;
  prometheus::Counter* bytes_scanned_;
  prometheus::Family<prometheus::Counter>* findings_;
  // The findings series by rule object: Family::Add builds and hashes a label
  // map on every call. The rule's id and provider are kept and compared, so a
  // rule freed by a reload whose address is reused finds its own series.
  struct FindingSeries {
    std::string id, provider;
    prometheus::Counter* counter;
  };
  std::mutex findings_mu_;  // guards finding_series_
  std::map<std::tuple<const Rule*, Confidence, bool>, FindingSeries> finding_series_;
  // The same for the series asked for on every message and every alert,
  // looked up by their label values (few: topics, outcomes, providers).
  struct ByLabelValues {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::tie(a.first, a.second) < std::tie(b.first, b.second);
    }
  };
  std::mutex series_mu_;  // guards consumed_series_ and alert_series_
  std::map<std::pair<std::string, std::string>, prometheus::Counter*, ByLabelValues>
      consumed_series_;
  std::map<std::string, prometheus::Counter*, std::less<>> alert_series_;
  prometheus::Family<prometheus::Counter>* ignored_;
  prometheus::Family<prometheus::Counter>* alerts_;
  prometheus::Counter* deduplicated_;
  CounterOfTotal delivery_failures_, producer_replacements_;
  prometheus::Family<prometheus::Counter>* dead_letters_;
  prometheus::Histogram* scan_seconds_;
  prometheus::Histogram* push_to_alert_;
  prometheus::Family<prometheus::Gauge>* lag_;
  prometheus::Gauge* queue_depth_;
  prometheus::Gauge* queue_bytes_;
  prometheus::Family<prometheus::Counter>* rejected_;
  prometheus::Counter* worker_stalls_;
  prometheus::Counter* crash_suspects_;
  prometheus::Gauge* stalled_workers_;
  prometheus::Family<prometheus::Counter>* uploads_closed_;
  prometheus::Gauge* paused_;
  prometheus::Gauge* open_uploads_;
  prometheus::Gauge* assigned_;
  prometheus::Family<prometheus::Gauge>* db_info_;
  std::mutex db_info_mu_;  // guards db_info_current_
  prometheus::Gauge* db_info_current_ = nullptr;
  prometheus::Gauge* db_rules_;
  prometheus::Gauge* db_load_time_;
  prometheus::Gauge* db_last_reload_success_;
};

}  // namespace leakd
