// ForwardConfig: every setting of `leakd forward`, with the conventions of
// `leakd serve` (common/settings.h): defaults, a YAML file, LEAKD_* variables,
// --set key=value. Routes are a YAML list; each field is also a dotted
// setting, e.g. --set routes.0.url=https://… or routes.1.batch_max=10.
// librdkafka properties pass through under kafka./consumer./producer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kafka/kafka_error.h"

namespace leakd {

struct RouteConfig {
  std::string name;                    // metric label; default: the URL's host
  std::vector<std::string> providers;  // alert `provider` values; "*" = any other
  std::string url;                     // http:// or https://
  size_t batch_max = 100;              // tokens per POST
  uint64_t batch_delay_ms = 50;        // wait at most this long to fill a batch
  unsigned max_in_flight = 4;          // concurrent POSTs to this endpoint
};

struct ForwardConfig {
  std::string brokers = "localhost:9092";
  std::string group_id = "leakd-forward";
  std::string alerts_topic = "leakd.alerts";
  std::string dlq_topic = "leakd.forward.dlq";
  std::string revocations_topic = "leakd.revocations";
  std::vector<RouteConfig> routes;
  std::string signing_key;      // EC P-256 private key, PEM (PKCS#8 or SEC1)
  std::string secret_key_file;  // X25519 secret key (common/seal_key.h), optional
  std::string ca_file;          // PEM bundle; empty = the system CAs
  std::string key_id_header = "Github-Public-Key-Identifier";
  std::string signature_header = "Github-Public-Key-Signature";
  uint64_t request_timeout_ms = 10000;  // connect + TLS + request + response
  uint64_t max_attempts = 0;            // per batch on 5xx/timeouts; 0 = until it succeeds
  uint64_t backoff_base_ms = 100;
  uint64_t backoff_max_ms = 30000;
  uint64_t breaker_failures = 5;      // consecutive failures that open the breaker
  uint64_t breaker_open_ms = 10000;   // then one probe request after this long
  size_t max_pending_alerts = 10000;  // consumed, not yet done: partitions pause above
  uint64_t commit_interval_ms = 200;
  uint64_t shutdown_deadline_ms = 20000;
  std::string log_level = "info";
  std::string metrics_address = "0.0.0.0:9465";  // /meta/public_keys /metrics /healthz /readyz
  KafkaProperties kafka, consumer, producer;

  // Applies one setting by name. Throws std::invalid_argument naming it.
  void Set(const std::string& name, const std::string& value);
  void LoadYamlFile(const std::string& path);
  void LoadEnvironment(const std::vector<std::string>& environment);
  // Checks what no single setting can: at least one route, each with a URL
  // and providers, no provider routed twice, a signing key. Fills default
  // route names. Throws std::invalid_argument saying what is wrong.
  void Validate();

  static std::vector<std::string> SettingNames();
};

}  // namespace leakd
