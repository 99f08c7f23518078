// AlertMaker: everything the Emitter does for a finding before it produces the
// alert record: count it, drop it when the ignore file names its fingerprint
// or path or the dedupe window saw it, build the alert JSON
// (alert/alert.h) and log it. Apart from Kafka, so that a benchmark times the
// same code the daemon runs (bench/worker_bench.cpp).
//
// Logs carry fingerprints and redacted forms, never a secret. Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "alert/alert.h"
#include "alert/dedupe_window.h"
#include "obs/metrics.h"
#include "scan/finding.h"
#include "serve/serve_config.h"

namespace leakd {

class AlertMaker {
 public:
  AlertMaker(const ServeConfig& config, Metrics& metrics);

  // The alert record's value for `finding`, or nullopt when it is not to be
  // alerted (ignored or deduplicated).
  std::optional<std::string> Make(const Finding& finding, const AlertContext& context);

 private:
  const ServeConfig& config_;
  Metrics& metrics_;
  DedupeWindow dedupe_;
};

}  // namespace leakd
