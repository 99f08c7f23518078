// RouteSender: one issuer endpoint. Alerts added by the consumer thread are
// batched (batcher.h); `max_in_flight` sender threads take ready batches, so
// at most that many POSTs are in flight to the endpoint. Each batch is signed
// (signer.h) and POSTed (http_client.h):
//   2xx        feedback → revocation records; the items are done once those
//              are acknowledged (at once when there is no feedback)
//   5xx, 408, 429, timeout, connection error
//              retried with backoff and jitter (backoff.h), behind the
//              circuit breaker (breaker.h), until it succeeds or max_attempts
//   other 4xx (and 3xx)
//              permanent: every item parked on the forward DLQ with the status
// An item is "done" (the callback) only after one of those ends, which is what
// lets the consumer commit its offset. On Abort() whatever is not done stays
// undone: redelivered after the restart (at least once).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "forward/backoff.h"
#include "forward/batcher.h"
#include "forward/breaker.h"
#include "forward/forward_config.h"
#include "forward/forward_metrics.h"
#include "forward/http_client.h"
#include "forward/parking.h"
#include "forward/signer.h"
#include "forward/url.h"
#include "kafka/record_producer.h"

namespace leakd {

struct SenderContext {
  const ForwardConfig& config;
  const Signer& signer;
  HttpClient& http;
  RecordProducer& producer;
  Parking& parking;
  ForwardMetrics& metrics;
  // An item is done: `outcome` forwarded or dead_letter.
  std::function<void(const ForwardItem&, const char* outcome)> done;
};

class RouteSender {
 public:
  RouteSender(const RouteConfig& route, SenderContext context);
  ~RouteSender();  // Abort() and join
  RouteSender(const RouteSender&) = delete;
  RouteSender& operator=(const RouteSender&) = delete;

  void Start();
  void Add(ForwardItem item);
  // Send what is pending now, without waiting for batch_delay_ms (shutdown).
  void Flush();
  // Stop: no new request, retries abandoned; returns once the threads ended.
  void Abort();
  const std::string& name() const { return route_.name; }

 private:
  using Clock = std::chrono::steady_clock;
  void Loop();
  bool Next(Batch* batch);
  void Deliver(std::shared_ptr<Batch> batch);
  bool WaitForBreaker();
  bool Sleep(std::chrono::milliseconds d);
  void Accepted(const std::shared_ptr<Batch>& batch, const HttpResult& result);
  void Rejected(const std::shared_ptr<Batch>& batch, int status, const std::string& reason,
                const std::string& detail);
  void UpdateBreakerGauge();

  RouteConfig route_;
  SenderContext ctx_;
  Url url_;
  Backoff backoff_;
  CircuitBreaker breaker_;
  std::mutex mu_;
  std::condition_variable cv_;
  Batcher batcher_;     // guarded by mu_
  bool flush_ = false;  // guarded by mu_
  bool abort_ = false;  // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace leakd
