// ServeConfig: every setting of `leakd serve`, from (lowest to highest
// precedence) built-in defaults, a YAML file, LEAKD_* environment variables
// and command-line --set key=value. librdkafka properties pass through
// unchanged: the YAML maps `kafka:` (both clients), `consumer:` and
// `producer:`, or LEAKD_KAFKA_<NAME> (dots written as underscores) — so SASL
// and TLS work without leakd knowing about them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "alert/alert.h"
#include "kafka/kafka_clients.h"
#include "kafka/kafka_error.h"
#include "scan/engine_config.h"
#include "scan/ignore_list.h"

namespace leakd {

struct ServeConfig {
  std::string brokers = "localhost:9092";
  std::string group_id = "leakd";
  std::string commits_topic = "leakd.commits";
  std::string uploads_topic = "leakd.uploads";
  std::string alerts_topic = "leakd.alerts";
  std::string dlq_topic = "leakd.dlq";
  unsigned workers = 0;                 // 0 = cores
  size_t queue_capacity = 256;          // messages per worker before partitions pause
  size_t queue_max_bytes = 64u << 20;   // bytes consumed and not yet scanned, all workers
  size_t max_open_uploads = 1000;       // per worker; the least recently active is evicted
  size_t max_upload_bytes = 64u << 20;  // stream state of open uploads, per worker
  uint64_t worker_stall_ms = 30000;     // one message longer than this: /healthz fails
  TokenMode token_mode = TokenMode::kPlain;
  // token_mode sealed: the key tokens are sealed to (set from base64 of the
  // 32-byte X25519 public key; a malformed key is refused by Set()).
  AlertSealKey seal_key;
  std::string url_template = "https://huggingface.co/{repo}/blob/{commit}/{path}#L{line}";
  // Uploads have no commit: their links point at the default branch.
  std::string upload_url_template = "https://huggingface.co/{repo}/blob/main/{path}#L{line}";
  uint64_t dedupe_window_ms = 600000;
  size_t dedupe_max_entries = 1000000;
  size_t max_message_bytes = 10u << 20;
  size_t max_decompressed_bytes = 64u << 20;
  size_t max_files = 10000;
  uint64_t upload_idle_timeout_ms = 300000;
  uint64_t shutdown_deadline_ms = 20000;
  uint64_t commit_interval_ms = 200;
  uint64_t rules_poll_ms = 2000;  // look for changed rule files this often; 0 = only on SIGHUP
  // Where the in-flight journal and the strike book live (serve/poison_guard.h):
  // a message in flight at `poison_after_crashes` process deaths is
  // dead-lettered as poison-message instead of being processed. "" = off.
  // Must survive a container restart (a pod's emptyDir does).
  std::string state_dir;
  unsigned poison_after_crashes = 2;
  std::string log_level = "info";
  std::string metrics_address = "0.0.0.0:9464";  // /metrics /healthz /readyz; "off" disables
  // Fingerprints and path globs never alerted (scan/ignore_list.h); "" = none.
  // Read once at start into `ignore`; unreadable is a start-up error.
  std::string ignore_file;
  std::shared_ptr<const IgnoreList> ignore;
  EngineConfig engine;
  KafkaProperties kafka, consumer, producer;

  // Applies one setting by name ("workers", "kafka.sasl.mechanism", …).
  // Throws std::invalid_argument naming the setting on an unknown name or bad value.
  void Set(const std::string& name, const std::string& value);
  // Reads a YAML file (common/settings.h): top-level scalars are settings,
  // `kafka`/`consumer`/`producer` maps.
  void LoadYamlFile(const std::string& path);
  // Applies LEAKD_* variables from `environ`-style "NAME=value" strings.
  void LoadEnvironment(const std::vector<std::string>& environment);

  // Checks what no single setting can: token_mode sealed needs seal_public_key.
  // Throws std::invalid_argument.
  void Validate() const;

  static std::vector<std::string> SettingNames();
};

// What the daemon's Kafka clients are built from (kafka/kafka_clients.h): the
// one mapping, used by the pipeline and by the benchmark's relay alike.
KafkaClientSettings ClientSettingsOf(const ServeConfig& config);

}  // namespace leakd
