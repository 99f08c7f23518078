// ForwardMetrics: the Prometheus metrics of `leakd forward` (prometheus-cpp,
// the conventions of obs/metrics.h). Label values are route names (from the
// configuration), HTTP status classes, outcome and reason codes: a fixed
// vocabulary, never anything from an alert or a response. Thread-safe.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>

#include "obs/metrics.h"

namespace leakd {

class ForwardMetrics {
 public:
  ForwardMetrics();
  std::string Scrape() const;

  // status: the HTTP status code ("200", "503"), or "timeout" / "error".
  void Request(const std::string& route, const std::string& status, double seconds);
  void Retry(const std::string& route) { retries_->Add({{"route", route}}).Increment(); }
  void BatchSize(const std::string& route, size_t n);
  // 0 closed, 1 half-open, 2 open.
  void BreakerState(const std::string& route, int state);
  // outcome: forwarded, dead_letter, unrouted; one per alert consumed.
  void Alert(const std::string& outcome) { alerts_->Add({{"outcome", outcome}}).Increment(); }
  void DeadLetter(const std::string& reason) {
    dead_letters_->Add({{"reason", reason}}).Increment();
  }
  void Revocations(size_t n) { revocations_->Increment(static_cast<double>(n)); }
  // The producer's running total of refusals (retried until taken).
  void RecordsRefused(uint64_t total) { refused_.Follow(total); }
  void AlertToPostSeconds(double seconds) { alert_to_post_->Observe(seconds); }
  void ConsumerLag(const std::string& topic, int32_t partition, int64_t lag);
  void Pending(size_t n) { pending_->Set(static_cast<double>(n)); }
  void Paused(bool paused) { paused_->Set(paused ? 1 : 0); }

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* latency_;
  prometheus::Family<prometheus::Counter>* retries_;
  prometheus::Family<prometheus::Histogram>* batch_size_;
  prometheus::Family<prometheus::Gauge>* breaker_;
  prometheus::Family<prometheus::Counter>* alerts_;
  prometheus::Family<prometheus::Counter>* dead_letters_;
  prometheus::Counter* revocations_;
  CounterOfTotal refused_;
  prometheus::Histogram* alert_to_post_;
  prometheus::Family<prometheus::Gauge>* lag_;
  prometheus::Gauge* pending_;
  prometheus::Gauge* paused_;
};

}  // namespace leakd
