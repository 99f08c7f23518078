// DemoTraffic: sample pushes for `leakd serve --embedded-broker --demo`, and a
// watcher that prints the alerts and dead letters they cause. The secrets are
// made up at run time (random, GitHub ones with a valid checksum); what is
// printed is redacted, as everywhere.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "serve/serve_config.h"

namespace leakd {

struct DemoResult {
  int alerts = 0;
  int dead_letters = 0;
  int expected_alerts = 0;
  int expected_dead_letters = 0;
  bool complete() const {
    return alerts >= expected_alerts && dead_letters >= expected_dead_letters;
  }
};

// Produces the sample traffic, then watches the alert and dead-letter topics
// until everything expected arrived or `timeout_ms` passed. Prints to stdout.
// `consumed`: how many messages the daemon has consumed; a first push without
// secrets is waited for on it, so that the latencies printed are not a cold start's.
DemoResult RunDemoTraffic(const ServeConfig& config, uint64_t timeout_ms,
                          const std::function<uint64_t()>& consumed);

}  // namespace leakd
