#include "forward/route_sender.h"

#include "common/log.h"
#include "common/thread_name.h"
#include "forward/records.h"

namespace leakd {
namespace {

using std::chrono::milliseconds;

bool Retryable(const HttpResult& r) {
  return r.status == 0 || r.status == 408 || r.status == 429 || r.status >= 500;
}

std::string StatusLabel(const HttpResult& r) {
  if (r.status != 0) return std::to_string(r.status);
  return r.timed_out ? "timeout" : "error";
}

// The response's reason for the DLQ record: the body's first 200 bytes as
// text. A receiver's error text, not ours; it never holds our tokens unless
// the receiver echoes them, so anything that looks like one of the batch's
// tokens is cut out.
std::string ReasonFrom(const HttpResult& r, const Batch& batch) {
  std::string text = r.body.substr(0, 200);
  for (const ForwardItem& item : batch) {
    for (size_t at; !item.token.empty() && (at = text.find(item.token)) != std::string::npos;)
      text.replace(at, item.token.size(), item.redacted);
  }
  return "http " + std::to_string(r.status) + (text.empty() ? "" : ": " + text);
}

}  // namespace

RouteSender::RouteSender(const RouteConfig& route, SenderContext context)
    : route_(route),
      ctx_(std::move(context)),
      url_(ParseUrl(route.url)),
      backoff_(milliseconds(ctx_.config.backoff_base_ms), milliseconds(ctx_.config.backoff_max_ms)),
      breaker_(ctx_.config.breaker_failures, milliseconds(ctx_.config.breaker_open_ms)),
      batcher_(route.batch_max, milliseconds(route.batch_delay_ms)) {}

RouteSender::~RouteSender() {
  Abort();
}

void RouteSender::Start() {
  UpdateBreakerGauge();
  for (unsigned i = 0; i < route_.max_in_flight; ++i)
    threads_.emplace_back([this] {
      NameThisThread("leakd-forward");
      Loop();
    });
}

void RouteSender::Add(ForwardItem item) {
  std::lock_guard<std::mutex> lock(mu_);
  batcher_.Add(std::move(item), Clock::now());
  cv_.notify_one();
}

void RouteSender::Flush() {
  std::lock_guard<std::mutex> lock(mu_);
  flush_ = true;
  cv_.notify_all();
}

void RouteSender::Abort() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    abort_ = true;
    cv_.notify_all();
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
}

bool RouteSender::Next(Batch* batch) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!abort_) {
    if (auto b = batcher_.Take(Clock::now(), flush_)) {
      *batch = std::move(*b);
      return true;
    }
    const auto next = batcher_.NextReady();
    if (next == Clock::time_point::max()) {
      cv_.wait(lock);
    } else {
      cv_.wait_until(lock, next);
    }
  }
  return false;
}

void RouteSender::Loop() {
  Batch batch;
  while (Next(&batch)) Deliver(std::make_shared<Batch>(std::move(batch)));
}

bool RouteSender::Sleep(milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  return !cv_.wait_for(lock, d, [this] { return abort_; });
}

bool RouteSender::WaitForBreaker() {
  for (;;) {
    Clock::time_point retry_at;
    if (breaker_.Allow(Clock::now(), &retry_at)) return true;
    UpdateBreakerGauge();
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_until(lock, retry_at, [this] { return abort_; })) return false;
  }
}

void RouteSender::UpdateBreakerGauge() {
  ctx_.metrics.BreakerState(route_.name, static_cast<int>(breaker_.state(Clock::now())));
}

void RouteSender::Deliver(std::shared_ptr<Batch> batch) {
  const std::string body = BuildPostBody(*batch);
  const HttpHeaders headers = {{ctx_.config.key_id_header, ctx_.signer.key_identifier()},
                               {ctx_.config.signature_header, ctx_.signer.Sign(body)}};
  ctx_.metrics.BatchSize(route_.name, batch->size());
  thread_local std::mt19937_64 random{std::random_device{}()};
  for (uint64_t attempt = 0;; ++attempt) {
    if (!WaitForBreaker()) return;  // aborted: not done, redelivered after restart
    const auto start = Clock::now();
    const HttpResult r = ctx_.http.Post(url_, body, headers);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    ctx_.metrics.Request(route_.name, StatusLabel(r), seconds);
    if (!Retryable(r)) {
      breaker_.Succeeded();  // the endpoint answered: it is up
      UpdateBreakerGauge();
      if (r.status >= 200 && r.status < 300) return Accepted(batch, r);
      return Rejected(batch, r.status, "rejected", ReasonFrom(r, *batch));
    }
    breaker_.Failed(Clock::now());
    UpdateBreakerGauge();
    Log(LogLevel::kWarn, "forward-retry",
        {{"route", route_.name},
         {"status", StatusLabel(r)},
         {"error", r.error},
         {"attempt", attempt + 1},
         {"tokens", batch->size()}});
    if (ctx_.config.max_attempts != 0 && attempt + 1 >= ctx_.config.max_attempts) {
      return Rejected(batch, r.status, "retries-exhausted", StatusLabel(r) + ": " + r.error);
    }
    ctx_.metrics.Retry(route_.name);
    if (!Sleep(backoff_.Delay(attempt, random))) return;
  }
}

void RouteSender::Accepted(const std::shared_ptr<Batch>& batch, const HttpResult& result) {
  const auto now = Clock::now();
  for (const ForwardItem& item : *batch)
    ctx_.metrics.AlertToPostSeconds(std::chrono::duration<double>(now - item.consumed_at).count());
  Log(LogLevel::kDebug, "forward-posted",
      {{"route", route_.name}, {"status", result.status}, {"tokens", batch->size()}});
  auto records = BuildRevocations(result.body, *batch, route_.name);
  if (records.empty()) {
    for (const ForwardItem& item : *batch) ctx_.done(item, "forwarded");
    return;
  }
  auto remaining = std::make_shared<std::atomic<size_t>>(records.size());
  for (auto& rec : records) {
    // Retried through refusals (the topic missing or forbidden) until taken:
    // the batch's alerts are done only when the service can learn of them.
    ctx_.producer.Produce(
        {ctx_.config.revocations_topic, rec.key, std::move(rec.value), {}},
        [this, batch, remaining](const Delivery& d) {
          if (d.status == DeliveryStatus::kAborted) return;  // shutdown: redelivered
          if (d.status == DeliveryStatus::kRejected) {  // the record itself (records.h clips it)
            Log(LogLevel::kError, "revocation-refused",
                {{"route", route_.name}, {"error", d.reason}});
          } else {
            ctx_.metrics.Revocations(1);
          }
          if (--*remaining == 0) {
            for (const ForwardItem& item : *batch) ctx_.done(item, "forwarded");
          }
        },
        OnRefusal::kRetry);
  }
}

void RouteSender::Rejected(const std::shared_ptr<Batch>& batch, int status,
                           const std::string& reason, const std::string& detail) {
  for (const ForwardItem& item : *batch) {
    ctx_.parking.Park(item, route_.name, status, reason, detail,
                      [this, batch, &item] { ctx_.done(item, "dead_letter"); });
  }
}

}  // namespace leakd
