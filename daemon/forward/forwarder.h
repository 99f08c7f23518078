// Forwarder: `leakd forward`'s wiring. An alert walks:
//
//   consumer (this file, own group on the alert topic) → alert_reader →
//   RouteSender of its provider (batch, sign, POST, retry, breaker) →
//   2xx: revocation records acknowledged | 4xx: DLQ record acknowledged →
//   OffsetTracker → commits (this file)
//
// Invariants:
// - At-least-once: an alert's offset is committed only after its batch got
//   a 2xx (and its feedback was published) or it was parked on the forward
//   DLQ and acknowledged, and every earlier alert of its partition too.
// - Alerts that cannot be forwarded (not JSON, no token, sealed without the
//   key) are parked on the DLQ; alerts of providers with no route are done
//   at once (counted as unrouted).
// - Bounded memory: above max_pending_alerts undone alerts, every partition
//   is paused until half of them are done.
// - No token is logged, put in a metric, or written to Kafka: only the POST
//   body carries it.
//
// Threads: Run() is the consumer thread; each RouteSender has its own.
// Ready() and Alive() are safe from any thread (HTTP).
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "common/seal_key.h"
#include "forward/forward_config.h"
#include "forward/forward_metrics.h"
#include "forward/signer.h"

namespace leakd {

class Forwarder {
 public:
  // `seal_key`: nullptr when no secret_key_file is configured.
  Forwarder(ForwardConfig config, const Signer& signer, const SealKeyPair* seal_key,
            ForwardMetrics& metrics);
  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  // Forwards until `stop` is set, then flushes what is pending within the
  // shutdown deadline. True when everything consumed was done and committed.
  // Throws KafkaError when a client cannot be created.
  bool Run(const std::atomic<bool>& stop);

  // Run() left the consumer undestroyed: it had not closed by the shutdown
  // deadline (no broker), or destroying it would abort
  // (kafka/group_offsets.h). The process must exit without running destructors.
  bool consumer_kept_open() const;
  bool Ready(std::string* why) const;
  bool Alive(std::string* why) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leakd
