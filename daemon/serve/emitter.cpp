#include "serve/emitter.h"

#include <algorithm>
#include <chrono>

#include "common/log.h"
#include "kafka/message_headers.h"

namespace leakd {
namespace {

// Room left in a record for Kafka's own framing beyond ApproximateSize().
constexpr size_t kFramingReserve = 1024;
// A dead letter this small (a parked alert, most hostile messages) is its own
// last resort: retried whole while the topic refuses it, at a bounded cost in
// memory (RecordProducer::RetryBound).
constexpr size_t kRetriedWholeBytes = 4096;
constexpr size_t kMaxKeptKey = 1024;

bool IsLeakdHeader(const std::string& name) {
  return name.rfind("leakd-", 0) == 0;
}

// The same record without the original value and headers (and key, when
// large): what is always small enough to write.
OutRecord Shrunk(const OutRecord& record, size_t original_size) {
  OutRecord small;
  small.topic = record.topic;
  if (record.key && record.key->size() <= kMaxKeptKey) small.key = record.key;
  for (const auto& h : record.headers) {
    if (IsLeakdHeader(h.first)) small.headers.push_back(h);
  }
  small.headers.emplace_back("leakd-original-size", std::to_string(original_size));
  return small;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Emitter::Emitter(const ServeConfig& config, RecordProducer& producer, Metrics& metrics)
    : config_(config), producer_(producer), metrics_(metrics), maker_(config, metrics) {
  // Every reason's series exists from the start at 0, so that increase() in an
  // alert sees the first dead letter of a reason (a series born at 1 shows none).
  for (int e = static_cast<int>(DecodeError::kNone) + 1; e <= static_cast<int>(kLastDecodeError);
       ++e) {
    metrics_.DeclareDeadLetterReason(DecodeErrorCode(static_cast<DecodeError>(e)));
  }
}

void Emitter::Alert(const Finding& f, const AlertContext& ctx, const CompletionPtr& owner) {
  std::optional<std::string> json = maker_.Make(f, ctx);
  if (!json) return;
  owner->Hold();
  producer_.Produce({config_.alerts_topic, f.rule->provider, *json, {}},
                    [this, owner, json = *json, origin = ctx.origin, provider = f.rule->provider,
                     fingerprint = f.fingerprint](const Delivery& d) {
                      if (d.status == DeliveryStatus::kAborted)
                        return;  // stays uncommitted: redelivered
                      if (d.status == DeliveryStatus::kAcked) {
                        metrics_.AlertProduced(provider);
                        if (origin.timestamp_ms > 0) {
                          metrics_.PushToAlertSeconds(
                              std::max<int64_t>(0, NowMs() - origin.timestamp_ms) / 1000.0);
                        }
                      } else {
                        metrics_.RecordRejected("alert");
                        Log(LogLevel::kError, "alert-rejected",
                            {{"fingerprint", fingerprint},
                             {"provider", provider},
                             {"error", d.reason},
                             {"origin", OriginText(origin)}});
                        Park(json, origin, d.reason, owner);
                      }
                      owner->Release();
                    });
}

void Emitter::Park(std::string alert_json, const Origin& origin, const std::string& broker_error,
                   const CompletionPtr& owner) {
  OutRecord record;
  record.value = std::move(alert_json);
  record.headers = {{"leakd-broker-error", broker_error}};
  ParkRecord(std::move(record), origin, DecodeError::kAlertRejected, owner, "parked_alert");
}

void Emitter::DeadLetter(RdKafka::Message& m, const Origin& origin, DecodeError reason,
                         const CompletionPtr& owner) {
  OutRecord record;
  if (m.key_pointer()) {
    record.key.emplace(static_cast<const char*>(m.key_pointer()), m.key_len());
  }
  if (m.payload()) record.value.emplace(static_cast<const char*>(m.payload()), m.len());
  for (auto& header : HeadersOf(m)) {
    if (IsLeakdHeader(header.first)) continue;  // ours are set by ParkRecord, once
    record.headers.push_back(std::move(header));
  }
  ParkRecord(std::move(record), origin, reason, owner, "dead_letter");
}

void Emitter::DeadLetterNotice(MessageHeaders headers, const Origin& origin, DecodeError reason,
                               const CompletionPtr& owner) {
  OutRecord record;
  record.headers = std::move(headers);
  ParkRecord(std::move(record), origin, reason, owner, "dead_letter");
}

void Emitter::ParkRecord(OutRecord record, const Origin& origin, DecodeError reason,
                         const CompletionPtr& owner, const char* kind) {
  record.topic = config_.dlq_topic;
  record.headers.emplace_back("leakd-error", DecodeErrorCode(reason));
  record.headers.emplace_back("leakd-origin", OriginText(origin));
  metrics_.DeadLetter(DecodeErrorCode(reason));
  Log(LogLevel::kWarn, "dead-letter",
      {{"reason", DecodeErrorCode(reason)}, {"origin", OriginText(origin)}});
  SendDeadLetter(std::move(record), origin, DecodeErrorCode(reason), owner, kind);
}

void Emitter::SendDeadLetter(OutRecord record, const Origin& origin, const std::string& reason,
                             const CompletionPtr& owner, const char* kind) {
  const size_t size = record.ApproximateSize();
  // Prepared now: the fallback must not need the record once it is sent.
  OutRecord shrunk = Shrunk(record, record.value ? record.value->size() : 0);
  const DeadLetterLabel label{origin, reason, kind};
  owner->Hold();
  if (size + kFramingReserve > producer_.max_record_bytes()) {
    return Send(std::move(shrunk), std::nullopt, OnRefusal::kRetry, label, owner);
  }
  // A large record waits for a refused topic only in its shrunk form.
  const OnRefusal on_refusal = size <= kRetriedWholeBytes ? OnRefusal::kRetry : OnRefusal::kReport;
  Send(std::move(record), std::move(shrunk), on_refusal, label, owner);
}

void Emitter::Send(OutRecord record, std::optional<OutRecord> shrunk, OnRefusal on_refusal,
                   const DeadLetterLabel& label, const CompletionPtr& owner) {
  // The shrunk form is always sent with kRetry, so no offset is committed
  // without a record of its message (kafka/record_producer.h, OnRefusal).
  producer_.Produce(
      std::move(record),
      [this, owner, label, shrunk = std::move(shrunk)](const Delivery& d) {
        if (d.status == DeliveryStatus::kAborted) return;
        if (d.status == DeliveryStatus::kRejected) {
          metrics_.RecordRejected(label.kind);
          const LogFields fields = LogFields()
                                       .Add("reason", label.reason)
                                       .Add("origin", OriginText(label.origin))
                                       .Add("error", d.reason);
          if (shrunk) {
            LogLine(LogLevel::kWarn, "dead-letter-shrunk", fields);
            return Send(*shrunk, std::nullopt, OnRefusal::kRetry, label, owner);
          }
          // Even its headers alone: the broker's limits are below any dead letter.
          LogLine(LogLevel::kError, "dead-letter-refused", fields);
        }
        owner->Release();
      },
      on_refusal);
}

}  // namespace leakd
