#include "serve/serve_config.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <stdexcept>

#include "common/seal_key.h"
#include "common/settings.h"
#include "common/size_parse.h"

namespace leakd {
namespace {

uint64_t ParseNumber(const std::string& name, const std::string& value) {
  uint64_t n = 0;
  if (!ParseSize(value, &n)) throw std::invalid_argument(name + ": not a number: " + value);
  return n;
}

using Setter = std::function<void(ServeConfig&, const std::string&, const std::string&)>;

// A setting that is a plain number; below `min` it becomes `min`.
template <typename T>
Setter Number(T ServeConfig::*field, uint64_t min = 0) {
  return [field, min](ServeConfig& c, const std::string& n, const std::string& v) {
    c.*field = static_cast<T>(std::max(min, ParseNumber(n, v)));
  };
}

const std::map<std::string, Setter>& Setters() {
  static const std::map<std::string, Setter> setters = {
      {"brokers", [](ServeConfig& c, auto&, auto& v) { c.brokers = v; }},
      {"group_id", [](ServeConfig& c, auto&, auto& v) { c.group_id = v; }},
      {"commits_topic", [](ServeConfig& c, auto&, auto& v) { c.commits_topic = v; }},
      {"uploads_topic", [](ServeConfig& c, auto&, auto& v) { c.uploads_topic = v; }},
      {"alerts_topic", [](ServeConfig& c, auto&, auto& v) { c.alerts_topic = v; }},
      {"dlq_topic", [](ServeConfig& c, auto&, auto& v) { c.dlq_topic = v; }},
      {"workers", [](ServeConfig& c, auto& n,
                     auto& v) { c.workers = static_cast<unsigned>(ParseNumber(n, v)); }},
      {"queue_capacity", Number(&ServeConfig::queue_capacity, 1)},
      {"queue_max_bytes", Number(&ServeConfig::queue_max_bytes, 1)},
      {"max_open_uploads", Number(&ServeConfig::max_open_uploads, 1)},
      {"max_upload_bytes", Number(&ServeConfig::max_upload_bytes)},
      {"worker_stall_ms", Number(&ServeConfig::worker_stall_ms, 1)},
      {"upload_url_template", [](ServeConfig& c, auto&, auto& v) { c.upload_url_template = v; }},
      {"token_mode",
       [](ServeConfig& c, auto& n, auto& v) {
         if (!ParseTokenMode(v, &c.token_mode))
           throw std::invalid_argument(n + ": plain, omit or sealed, not " + v);
       }},
      {"seal_public_key",
       [](ServeConfig& c, auto&, auto& v) {
         c.seal_key.public_key = ParseSealPublicKey(v);
         c.seal_key.key_id = SealKeyId(c.seal_key.public_key);
       }},
      {"url_template", [](ServeConfig& c, auto&, auto& v) { c.url_template = v; }},
      {"dedupe_window_ms", Number(&ServeConfig::dedupe_window_ms)},
      {"dedupe_max_entries", Number(&ServeConfig::dedupe_max_entries)},
      {"max_message_bytes", Number(&ServeConfig::max_message_bytes)},
      {"max_decompressed_bytes", Number(&ServeConfig::max_decompressed_bytes)},
      {"max_files", Number(&ServeConfig::max_files)},
      {"upload_idle_timeout_ms", Number(&ServeConfig::upload_idle_timeout_ms)},
      {"shutdown_deadline_ms", Number(&ServeConfig::shutdown_deadline_ms)},
      {"commit_interval_ms", Number(&ServeConfig::commit_interval_ms, 1)},
      {"log_level", [](ServeConfig& c, auto&, auto& v) { c.log_level = v; }},
      {"rules_poll_ms", Number(&ServeConfig::rules_poll_ms)},
      {"metrics_address", [](ServeConfig& c, auto&, auto& v) { c.metrics_address = v; }},
      {"ignore_file", [](ServeConfig& c, auto&, auto& v) { c.ignore_file = v; }},
      {"rules", [](ServeConfig& c, auto&, auto& v) { c.engine.rules_path = v; }},
      {"cache_dir", [](ServeConfig& c, auto&, auto& v) { c.engine.cache_dir = v; }},
      {"identifiers",
       [](ServeConfig& c, auto& n, auto& v) {
         if (v != "true" && v != "false") throw std::invalid_argument(n + ": true or false");
         c.engine.identifiers = v == "true";
       }},
      {"state_dir", [](ServeConfig& c, auto&, auto& v) { c.state_dir = v; }},
      {"poison_after_crashes",
       [](ServeConfig& c, auto& n, auto& v) {
         const uint64_t crashes = ParseNumber(n, v);
         if (crashes < 1 || crashes > 100) throw std::invalid_argument(n + ": 1 to 100");
         c.poison_after_crashes = static_cast<unsigned>(crashes);
       }},
  };
  return setters;
}

}  // namespace

std::vector<std::string> ServeConfig::SettingNames() {
  std::vector<std::string> names;
  for (const auto& [name, setter] : Setters()) names.push_back(name);
  return names;
}

void ServeConfig::Validate() const {
  if (token_mode == TokenMode::kSealed && seal_key.public_key.empty()) {
    throw std::invalid_argument(
        "token_mode sealed needs seal_public_key (base64 of a 32-byte X25519 public key)");
  }
}

void ServeConfig::Set(const std::string& name, const std::string& value) {
  if (SetKafkaProperty(name, value, &kafka, &consumer, &producer)) return;
  auto it = Setters().find(name);
  if (it == Setters().end()) throw std::invalid_argument("unknown setting: " + name);
  it->second(*this, name, value);
}

void ServeConfig::LoadYamlFile(const std::string& path) {
  LoadYamlSettings(path, [this](const std::string& n, const std::string& v) { Set(n, v); });
}

void ServeConfig::LoadEnvironment(const std::vector<std::string>& environment) {
  // LEAKD_RULES and LEAKD_CACHE_DIR are read by the engine too; unknown
  // LEAKD_ variables belong to other tools and are ignored.
  LoadEnvironmentSettings(
      environment, [this](const std::string& n, const std::string& v) { Set(n, v); },
      [](const std::string& n) { return Setters().count(n) > 0; });
}

KafkaClientSettings ClientSettingsOf(const ServeConfig& config) {
  KafkaClientSettings settings = ClientSettingsFrom(config);
  settings.max_message_bytes = config.max_message_bytes;
  return settings;
}

}  // namespace leakd
