#include "forward/forward_metrics.h"

#include <prometheus/text_serializer.h>

namespace leakd {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;

const prometheus::Histogram::BucketBoundaries kSeconds = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
const prometheus::Histogram::BucketBoundaries kSizes = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

}  // namespace

ForwardMetrics::ForwardMetrics() : registry_(std::make_shared<prometheus::Registry>()) {
  auto& r = *registry_;
  requests_ = &BuildCounter()
                   .Name("leakd_forward_requests_total")
                   .Help("POSTs to issuer endpoints, by route and status (code, timeout, error)")
                   .Register(r);
  latency_ = &BuildHistogram()
                  .Name("leakd_forward_request_seconds")
                  .Help("Time of one POST, connect to last response byte, by route")
                  .Register(r);
  retries_ = &BuildCounter()
                  .Name("leakd_forward_retries_total")
                  .Help("POSTs sent again after a 5xx, a timeout or a connection error")
                  .Register(r);
  batch_size_ = &BuildHistogram()
                     .Name("leakd_forward_batch_size")
                     .Help("Tokens per POST, by route")
                     .Register(r);
  breaker_ = &BuildGauge()
                  .Name("leakd_forward_breaker_state")
                  .Help("Circuit breaker of each route: 0 closed, 1 half-open, 2 open")
                  .Register(r);
  alerts_ = &BuildCounter()
                 .Name("leakd_forward_alerts_total")
                 .Help("Alerts done, by outcome (forwarded, dead_letter, unrouted)")
                 .Register(r);
  dead_letters_ = &BuildCounter()
                       .Name("leakd_forward_dead_letters_total")
                       .Help("Alerts parked on the forward DLQ, by reason")
                       .Register(r);
  revocations_ = &BuildCounter()
                      .Name("leakd_forward_revocations_total")
                      .Help("Feedback entries published to the revocations topic")
                      .Register(r)
                      .Add({});
  refused_.counter = &BuildCounter()
                          .Name("leakd_forward_records_refused_total")
                          .Help(
                              "DLQ or revocation records the broker refused; each is retried "
                              "until taken, its alert's offset held")
                          .Register(r)
                          .Add({});
  alert_to_post_ = &BuildHistogram()
                        .Name("leakd_forward_alert_to_post_seconds")
                        .Help("Alert consumed to its POST's 2xx answer")
                        .Register(r)
                        .Add({}, kSeconds);
  lag_ = &BuildGauge()
              .Name("leakd_consumer_lag_messages")
              .Help("Messages behind the partition's high watermark")
              .Register(r);
  pending_ = &BuildGauge()
                  .Name("leakd_forward_pending_alerts")
                  .Help("Alerts consumed and not yet done (forwarded or parked)")
                  .Register(r)
                  .Add({});
  paused_ = &BuildGauge()
                 .Name("leakd_forward_paused")
                 .Help("1 while consumption is paused (too many alerts pending)")
                 .Register(r)
                 .Add({});
}

std::string ForwardMetrics::Scrape() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

void ForwardMetrics::Request(const std::string& route, const std::string& status, double seconds) {
  requests_->Add({{"route", route}, {"status", status}}).Increment();
  latency_->Add({{"route", route}}, kSeconds).Observe(seconds);
}

void ForwardMetrics::BatchSize(const std::string& route, size_t n) {
  batch_size_->Add({{"route", route}}, kSizes).Observe(static_cast<double>(n));
}

void ForwardMetrics::BreakerState(const std::string& route, int state) {
  breaker_->Add({{"route", route}}).Set(state);
}

void ForwardMetrics::ConsumerLag(const std::string& topic, int32_t partition, int64_t lag) {
  lag_->Add({{"topic", topic}, {"partition", std::to_string(partition)}})
      .Set(static_cast<double>(lag));
}

}  // namespace leakd
