// Emitter: everything the pipeline writes to Kafka for a message: alerts, and
// dead-letter records that park what cannot be processed.
//
// Guarantees:
// - The owner (a message's or an upload's Completion) is held until the
//   record is acknowledged, so its offset is never committed before.
// - No record can wedge a worker, and none is given up. A dead-letter record
//   larger than the producer accepts is sent without its value
//   (`leakd-original-size` says how large it was); one the broker refuses for
//   good is sent again the same way. An alert the broker refuses for good is
//   parked on the dead-letter topic (reason `alert-rejected`, the alert as
//   value). A small dead letter (at most 4 KiB: a parked alert, most hostile
//   messages) or the shrunk form of a larger one is the last resort: if the
//   broker refuses it (the dead-letter topic missing or forbidden), it is
//   retried in the background until it is taken, and its owner held: the
//   offset waits, the worker does not.
// - Logs carry fingerprints and redacted forms, never a secret.
//
// Thread-safe: called from workers; callbacks run on the producer's thread.
#pragma once

#include <optional>
#include <string>

#include "alert/alert.h"
#include "ingest/decode_error.h"
#include "ingest/upload_headers.h"
#include "kafka/record_producer.h"
#include "obs/metrics.h"
#include "scan/finding.h"
#include "serve/alert_maker.h"
#include "serve/message_state.h"
#include "serve/serve_config.h"

namespace leakd {

class Emitter {
 public:
  Emitter(const ServeConfig& config, RecordProducer& producer, Metrics& metrics);

  // Publishes the alert for `finding` unless the ignore file names its
  // fingerprint or path, or the dedupe window saw it.
  void Alert(const Finding& finding, const AlertContext& context, const CompletionPtr& owner);
  // Parks `message` (value, key and headers as consumed) with `reason`.
  void DeadLetter(RdKafka::Message& message, const Origin& origin, DecodeError reason,
                  const CompletionPtr& owner);
  // A dead-letter record for something whose bytes are gone (an evicted
  // upload): no value, the given headers and the reason.
  void DeadLetterNotice(MessageHeaders headers, const Origin& origin, DecodeError reason,
                        const CompletionPtr& owner);

 private:
  // Adds the leakd-* headers, counts, logs and sends a dead-letter record.
  void ParkRecord(OutRecord record, const Origin& origin, DecodeError reason,
                  const CompletionPtr& owner, const char* kind);
  void SendDeadLetter(OutRecord record, const Origin& origin, const std::string& reason,
                      const CompletionPtr& owner, const char* kind);
  // What a dead letter's refusals are counted and logged as.
  struct DeadLetterLabel {
    Origin origin;
    std::string reason;
    const char* kind;
  };
  // Sends a dead letter; refused for good (as `on_refusal` decides), it is
  // sent again as `shrunk` (with kRetry) if there is one. Releases `owner`
  // (held by the caller) once the last form sent is acknowledged or refused.
  void Send(OutRecord record, std::optional<OutRecord> shrunk, OnRefusal on_refusal,
            const DeadLetterLabel& label, const CompletionPtr& owner);
  void Park(std::string alert_json, const Origin& origin, const std::string& broker_error,
            const CompletionPtr& owner);

  const ServeConfig& config_;
  RecordProducer& producer_;
  Metrics& metrics_;
  AlertMaker maker_;
};

}  // namespace leakd
