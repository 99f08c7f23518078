// Parking: puts an alert that cannot be forwarded for good on the forward DLQ
// (records.h BuildDeadLetter; `reason` a code, `detail` free text: fingerprint and redacted form,
// never the token), keyed by its fingerprint, with headers leakd-error (the reason) and
// leakd-status. `done` runs once the broker has acknowledged the record. A
// refusal (the topic missing or forbidden: the record itself is small) is
// retried until the topic takes it, so the alert's offset waits rather than
// the alert being lost (leakd_forward_records_refused_total counts refusals).
// Thread-safe.
#pragma once

#include <functional>
#include <string>

#include "forward/forward_item.h"
#include "forward/forward_metrics.h"
#include "kafka/record_producer.h"

namespace leakd {

class Parking {
 public:
  Parking(RecordProducer& producer, std::string topic, ForwardMetrics& metrics)
      : producer_(producer), topic_(std::move(topic)), metrics_(metrics) {}

  void Park(const ForwardItem& item, const std::string& route, int status,
            const std::string& reason, const std::string& detail, std::function<void()> done);

 private:
  RecordProducer& producer_;
  std::string topic_;
  ForwardMetrics& metrics_;
};

}  // namespace leakd
