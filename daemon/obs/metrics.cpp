#include "obs/metrics.h"

#include <prometheus/text_serializer.h>

#include <chrono>

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

}  // namespace

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()) {
  auto& r = *registry_;
  consumed_ = &BuildCounter()
                   .Name("leakd_messages_consumed_total")
                   .Help("Messages consumed, by topic and outcome (ok, dead_letter)")
                   .Register(r);
  bytes_scanned_ = &BuildCounter()
                        .Name("leakd_scanned_bytes_total")
                        .Help("Bytes scanned (decoded: added diff lines, file contents)")
                        .Register(r)
                        .Add({});
  findings_ = &BuildCounter()
                   .Name("leakd_findings_total")
                   .Help("Secrets found, by provider, rule and confidence")
                   .Register(r);
  alerts_ = &BuildCounter()
                 .Name("leakd_alerts_produced_total")
                 .Help("Alerts acknowledged by the broker, by provider")
                 .Register(r);
  deduplicated_ = &BuildCounter()
                       .Name("leakd_alerts_deduplicated_total")
                       .Help("Findings not alerted again within the dedupe window")
                       .Register(r)
                       .Add({});
  delivery_failures_ =
      &BuildCounter()
           .Name("leakd_delivery_failures_total")
           .Help(
               "Alert or dead-letter delivery attempts that failed (retried, or refused for good)")
           .Register(r)
           .Add({});
  dead_letters_ = &BuildCounter()
                       .Name("leakd_dead_letters_total")
                       .Help("Messages parked on the dead-letter topic, by reason")
                       .Register(r);
  scan_seconds_ = &BuildHistogram()
                       .Name("leakd_scan_duration_seconds")
                       .Help("Time to decode and scan one message")
                       .Register(r)
                       .Add({}, kLatencyBuckets);
  push_to_alert_ =
      &BuildHistogram()
           .Name("leakd_push_to_alert_seconds")
           .Help("Kafka timestamp of the pushed message to the alert's acknowledgement")
           .Register(r)
           .Add({}, kLatencyBuckets);
  lag_ = &BuildGauge()
              .Name("leakd_consumer_lag_messages")
              .Help("Messages behind the partition's high watermark")
              .Register(r);
  queue_depth_ = &BuildGauge()
                      .Name("leakd_queue_depth_messages")
                      .Help("Messages waiting in the scan workers' queues")
                      .Register(r)
                      .Add({});
  queue_bytes_ = &BuildGauge()
                      .Name("leakd_queue_bytes")
                      .Help("Bytes of consumed messages not yet scanned (queued or held)")
                      .Register(r)
                      .Add({});
  rejected_ = &BuildCounter()
                   .Name("leakd_records_rejected_total")
                   .Help("Records the broker refused for good (never retried), by kind")
                   .Register(r);
  lost_ = &BuildCounter()
               .Name("leakd_records_lost_total")
               .Help("Refused records that could not be parked either: given up, by kind")
               .Register(r);
  worker_stalls_ = &BuildCounter()
                        .Name("leakd_worker_stalls_total")
                        .Help("Times a scan worker was found stuck on one message past the bound")
                        .Register(r)
                        .Add({});
  stalled_workers_ = &BuildGauge()
                          .Name("leakd_stalled_workers")
                          .Help("Scan workers stuck on one message past the bound now")
                          .Register(r)
                          .Add({});
  uploads_closed_ = &BuildCounter()
                         .Name("leakd_uploads_closed_total")
                         .Help("Chunked uploads closed, by how (finished, gap, expired, evicted)")
                         .Register(r);
  paused_ = &BuildGauge()
                 .Name("leakd_paused_partitions")
                 .Help("Partitions paused for back-pressure")
                 .Register(r)
                 .Add({});
  open_uploads_ = &BuildGauge()
                       .Name("leakd_open_uploads")
                       .Help("Chunked uploads in progress")
                       .Register(r)
                       .Add({});
  assigned_ = &BuildGauge()
                   .Name("leakd_assigned_partitions")
                   .Help("Partitions assigned to this member of the consumer group")
                   .Register(r)
                   .Add({});
  db_info_ = &BuildGauge()
                  .Name("leakd_pattern_database_info")
                  .Help("The loaded pattern database (value 1), by content hash")
                  .Register(r);
  db_rules_ = &BuildGauge()
                   .Name("leakd_pattern_database_rules")
                   .Help("Rules in the loaded pattern database")
                   .Register(r)
                   .Add({});
  db_load_time_ = &BuildGauge()
                       .Name("leakd_pattern_database_load_timestamp_seconds")
                       .Help("Unix time the pattern database was loaded")
                       .Register(r)
                       .Add({});
  db_last_reload_success_ = &BuildGauge()
                                 .Name("leakd_pattern_database_last_reload_success")
                                 .Help("1 if the last load of the pattern database succeeded")
                                 .Register(r)
                                 .Add({});
  BuildGauge()
      .Name("leakd_build_info")
      .Help("leakd build (value 1)")
      .Register(r)
      .Add({{"version", LEAKD_VERSION}})
      .Set(1);
}

std::string Metrics::Scrape() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

void Metrics::MessageConsumed(const std::string& topic, const std::string& outcome) {
  consumed_->Add({{"topic", topic}, {"outcome", outcome}}).Increment();
}

void Metrics::Finding(const Rule& rule, Confidence confidence) {
  findings_
      ->Add({{"provider", rule.provider},
             {"rule", rule.id},
             {"confidence", ConfidenceName(confidence)}})
      .Increment();
}

void Metrics::AlertProduced(const std::string& provider) {
  alerts_->Add({{"provider", provider}}).Increment();
}

void Metrics::AddDeliveryFailures(uint64_t total) {
  std::lock_guard<std::mutex> lock(delivery_failures_mu_);
  if (total > delivery_failures_seen_) {
    delivery_failures_->Increment(static_cast<double>(total - delivery_failures_seen_));
    delivery_failures_seen_ = total;
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
