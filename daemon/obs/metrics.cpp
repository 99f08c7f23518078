#include "obs/metrics.h"

#include <prometheus/text_serializer.h>

#include <chrono>
#include <string_view>

#include "scan/pattern_database.h"

namespace leakd {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

// Seconds, from 100 µs to 10 s: scans of small commits to large uploads, and
// push-to-alert latency from sub-millisecond to a stuck broker.
const prometheus::Histogram::BucketBoundaries kLatencyBuckets = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};

// One registration a line: a family (labelled series added on use) or its
// single unlabelled series.
prometheus::Family<prometheus::Counter>* Counters(prometheus::Registry& r, const char* name,
                                                  const char* help) {
  return &BuildCounter().Name(name).Help(help).Register(r);
}
prometheus::Counter* Counter(prometheus::Registry& r, const char* name, const char* help) {
  return &Counters(r, name, help)->Add({});
}
prometheus::Family<prometheus::Gauge>* Gauges(prometheus::Registry& r, const char* name,
                                              const char* help) {
  return &BuildGauge().Name(name).Help(help).Register(r);
}
prometheus::Gauge* Gauge(prometheus::Registry& r, const char* name, const char* help) {
  return &Gauges(r, name, help)->Add({});
}
prometheus::Histogram* Latency(prometheus::Registry& r, const char* name, const char* help) {
  return &BuildHistogram().Name(name).Help(help).Register(r).Add({}, kLatencyBuckets);
}

}  // namespace

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()) {
  auto& r = *registry_;
  consumed_ = Counters(r, "leakd_messages_consumed_total",
                       "Messages consumed, by topic and outcome (ok, dead_letter)");
  bytes_scanned_ = Counter(r, "leakd_scanned_bytes_total",
                           "Bytes scanned (decoded: added diff lines, file contents)");
  findings_ = Counters(r, "leakd_findings_total",
                       "Secrets found, by provider, rule, confidence and fixture");
  ignored_ = Counters(
      r, "leakd_findings_ignored_total",
      "Findings not alerted because the ignore file names their fingerprint or path, by reason");
  alerts_ =
      Counters(r, "leakd_alerts_produced_total", "Alerts acknowledged by the broker, by provider");
  deduplicated_ = Counter(r, "leakd_alerts_deduplicated_total",
                          "Findings not alerted again within the dedupe window");
  delivery_failures_.counter =
      Counter(r, "leakd_delivery_failures_total",
              "Alert or dead-letter delivery attempts that failed (retried, or refused for good)");
  producer_replacements_.counter =
      Counter(r, "leakd_producer_replacements_total",
              "Producer clients replaced after a fatal error; their records were sent again");
  dead_letters_ = Counters(r, "leakd_dead_letters_total",
                           "Messages parked on the dead-letter topic, by reason");
  scan_seconds_ = Latency(r, "leakd_scan_duration_seconds", "Time to decode and scan one message");
  push_to_alert_ = Latency(r, "leakd_push_to_alert_seconds",
                           "Kafka timestamp of the pushed message to the alert's acknowledgement");
  lag_ = Gauges(r, "leakd_consumer_lag_messages", "Messages behind the partition's high watermark");
  queue_depth_ =
      Gauge(r, "leakd_queue_depth_messages", "Messages waiting in the scan workers' queues");
  queue_bytes_ =
      Gauge(r, "leakd_queue_bytes", "Bytes of consumed messages not yet scanned (queued or held)");
  rejected_ = Counters(r, "leakd_records_rejected_total",
                       "Records the broker refused for good, by kind: an alert is then parked, a "
                       "dead letter sent without its value");
  crash_suspects_ =
      Counter(r, "leakd_crash_suspects_total",
              "Messages found in flight from a process that died; each now has a strike");
  worker_stalls_ = Counter(r, "leakd_worker_stalls_total",
                           "Times a scan worker was found stuck on one message past the bound");
  stalled_workers_ =
      Gauge(r, "leakd_stalled_workers", "Scan workers stuck on one message past the bound now");
  uploads_closed_ = Counters(r, "leakd_uploads_closed_total",
                             "Chunked uploads closed, by how (finished, gap, expired, evicted)");
  paused_ = Gauge(r, "leakd_paused_partitions", "Partitions paused for back-pressure");
  open_uploads_ = Gauge(r, "leakd_open_uploads", "Chunked uploads in progress");
  assigned_ = Gauge(r, "leakd_assigned_partitions",
                    "Partitions assigned to this member of the consumer group");
  db_info_ = Gauges(r, "leakd_pattern_database_info",
                    "The loaded pattern database (value 1), by content hash");
  db_rules_ = Gauge(r, "leakd_pattern_database_rules", "Rules in the loaded pattern database");
  db_load_time_ = Gauge(r, "leakd_pattern_database_load_timestamp_seconds",
                        "Unix time the pattern database was loaded");
  db_last_reload_success_ = Gauge(r, "leakd_pattern_database_last_reload_success",
                                  "1 if the last load of the pattern database succeeded");
  Gauges(r, "leakd_build_info", "leakd build (value 1)")->Add({{"version", LEAKD_VERSION}}).Set(1);
}

std::string Metrics::Scrape() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

void Metrics::MessageConsumed(const std::string& topic, const std::string& outcome) {
  std::lock_guard<std::mutex> lock(series_mu_);
  auto it = consumed_series_.find(std::pair<std::string_view, std::string_view>(topic, outcome));
  if (it == consumed_series_.end()) {
    it = consumed_series_
             .emplace(std::pair(topic, outcome),
                      &consumed_->Add({{"topic", topic}, {"outcome", outcome}}))
             .first;
  }
  it->second->Increment();
}

void Metrics::Finding(const Rule& rule, Confidence confidence, bool fixture) {
  // Bounds the cache across many reloads (it only saves Family::Add calls).
  constexpr size_t kMaxCachedSeries = 100000;
  std::lock_guard<std::mutex> lock(findings_mu_);
  auto [it, added] = finding_series_.try_emplace({&rule, confidence, fixture});
  FindingSeries& series = it->second;
  if (added || series.id != rule.id || series.provider != rule.provider) {
    series.id = rule.id;
    series.provider = rule.provider;
    series.counter = &findings_->Add({{"provider", rule.provider},
                                      {"rule", rule.id},
                                      {"confidence", ConfidenceName(confidence)},
                                      {"fixture", fixture ? "true" : "false"}});
  }
  series.counter->Increment();
  if (finding_series_.size() > kMaxCachedSeries) finding_series_.clear();
}

void Metrics::AlertProduced(const std::string& provider) {
  std::lock_guard<std::mutex> lock(series_mu_);
  auto it = alert_series_.find(provider);
  if (it == alert_series_.end()) {
    it = alert_series_.emplace(provider, &alerts_->Add({{"provider", provider}})).first;
  }
  it->second->Increment();
}

void CounterOfTotal::Follow(uint64_t total) {
  std::lock_guard<std::mutex> lock(mu);
  if (total > seen) {
    counter->Increment(static_cast<double>(total - seen));
    seen = total;
  }
}

void Metrics::DeadLetter(const std::string& reason) {
  dead_letters_->Add({{"reason", reason}}).Increment();
}

void Metrics::ConsumerLag(const std::string& topic, int32_t partition, int64_t lag) {
  lag_->Add({{"topic", topic}, {"partition", std::to_string(partition)}})
      .Set(static_cast<double>(lag));
}

void Metrics::ForgetConsumerLag(const std::string& topic, int32_t partition) {
  auto& gauge = lag_->Add({{"topic", topic}, {"partition", std::to_string(partition)}});
  lag_->Remove(&gauge);
}

void Metrics::PatternDatabaseLoaded(const PatternDatabase& db) {
  db_last_reload_success_->Set(1);
  {
    // One series: the hash of the database in use (a reload moves it).
    std::lock_guard<std::mutex> lock(db_info_mu_);
    prometheus::Gauge* info = &db_info_->Add({{"hash", db.content_hash().substr(0, 16)}});
    if (db_info_current_ && db_info_current_ != info) db_info_->Remove(db_info_current_);
    db_info_current_ = info;
    info->Set(1);
  }
  db_rules_->Set(static_cast<double>(db.size()));
  db_load_time_->Set(
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
}

}  // namespace leakd
