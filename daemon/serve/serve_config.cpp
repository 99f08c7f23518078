#include "serve/serve_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <stdexcept>

#include "common/size_parse.h"

namespace leakd {
namespace {

uint64_t ParseNumber(const std::string& name, const std::string& value) {
  uint64_t n = 0;
  if (!ParseSize(value, &n)) throw std::invalid_argument(name + ": not a number: " + value);
  return n;
}

using Setter = std::function<void(ServeConfig&, const std::string&, const std::string&)>;

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
      {"queue_capacity",
       [](ServeConfig& c, auto& n, auto& v) {
         c.queue_capacity = std::max<uint64_t>(1, ParseNumber(n, v));
       }},
      {"queue_max_bytes",
       [](ServeConfig& c, auto& n, auto& v) {
         c.queue_max_bytes = std::max<uint64_t>(1, ParseNumber(n, v));
       }},
      {"max_open_uploads",
       [](ServeConfig& c, auto& n, auto& v) {
         c.max_open_uploads = std::max<uint64_t>(1, ParseNumber(n, v));
       }},
      {"max_upload_bytes",
       [](ServeConfig& c, auto& n, auto& v) { c.max_upload_bytes = ParseNumber(n, v); }},
      {"worker_stall_ms",
       [](ServeConfig& c, auto& n, auto& v) {
         c.worker_stall_ms = std::max<uint64_t>(1, ParseNumber(n, v));
       }},
      {"upload_url_template", [](ServeConfig& c, auto&, auto& v) { c.upload_url_template = v; }},
      {"token_mode",
       [](ServeConfig& c, auto& n, auto& v) {
         if (!ParseTokenMode(v, &c.token_mode))
           throw std::invalid_argument(n + ": plain or omit, not " + v);
       }},
      {"url_template", [](ServeConfig& c, auto&, auto& v) { c.url_template = v; }},
      {"dedupe_window_ms",
       [](ServeConfig& c, auto& n, auto& v) { c.dedupe_window_ms = ParseNumber(n, v); }},
      {"dedupe_max_entries",
       [](ServeConfig& c, auto& n, auto& v) { c.dedupe_max_entries = ParseNumber(n, v); }},
      {"max_message_bytes",
       [](ServeConfig& c, auto& n, auto& v) { c.max_message_bytes = ParseNumber(n, v); }},
      {"max_decompressed_bytes",
       [](ServeConfig& c, auto& n, auto& v) { c.max_decompressed_bytes = ParseNumber(n, v); }},
      {"max_files", [](ServeConfig& c, auto& n, auto& v) { c.max_files = ParseNumber(n, v); }},
      {"upload_idle_timeout_ms",
       [](ServeConfig& c, auto& n, auto& v) { c.upload_idle_timeout_ms = ParseNumber(n, v); }},
      {"shutdown_deadline_ms",
       [](ServeConfig& c, auto& n, auto& v) { c.shutdown_deadline_ms = ParseNumber(n, v); }},
      {"commit_interval_ms",
       [](ServeConfig& c, auto& n, auto& v) {
         c.commit_interval_ms = std::max<uint64_t>(1, ParseNumber(n, v));
       }},
      {"log_level", [](ServeConfig& c, auto&, auto& v) { c.log_level = v; }},
      {"metrics_address", [](ServeConfig& c, auto&, auto& v) { c.metrics_address = v; }},
      {"rules", [](ServeConfig& c, auto&, auto& v) { c.engine.rules_path = v; }},
      {"cache_dir", [](ServeConfig& c, auto&, auto& v) { c.engine.cache_dir = v; }},
  };
  return setters;
}

}  // namespace

std::vector<std::string> ServeConfig::SettingNames() {
  std::vector<std::string> names;
  for (const auto& [name, setter] : Setters()) names.push_back(name);
  return names;
}

void ServeConfig::Set(const std::string& name, const std::string& value) {
  for (auto [prefix, target] : {std::pair<const char*, KafkaProperties*>{"kafka.", &kafka},
                                {"consumer.", &consumer},
                                {"producer.", &producer}}) {
    const std::string p = prefix;
    if (name.rfind(p, 0) == 0 && name.size() > p.size()) {
      (*target)[name.substr(p.size())] = value;
      return;
    }
  }
  auto it = Setters().find(name);
  if (it == Setters().end()) throw std::invalid_argument("unknown setting: " + name);
  it->second(*this, name, value);
}

void ServeConfig::LoadYamlFile(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw std::invalid_argument(path + ": " + e.what());
  }
  if (!root.IsMap()) throw std::invalid_argument(path + ": expected a mapping");
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    if (key == "kafka" || key == "consumer" || key == "producer") {
      if (!entry.second.IsMap())
        throw std::invalid_argument(path + ": " + key + " must be a mapping");
      for (const auto& prop : entry.second) {
        Set(key + "." + prop.first.as<std::string>(), prop.second.as<std::string>());
      }
    } else {
      if (!entry.second.IsScalar())
        throw std::invalid_argument(path + ": " + key + " must be a scalar");
      Set(key, entry.second.as<std::string>());
    }
  }
}

void ServeConfig::LoadEnvironment(const std::vector<std::string>& environment) {
  for (const std::string& var : environment) {
    if (var.rfind("LEAKD_", 0) != 0) continue;
    const size_t eq = var.find('=');
    if (eq == std::string::npos) continue;
    std::string name = var.substr(6, eq - 6);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    const std::string value = var.substr(eq + 1);
    for (const char* group : {"kafka_", "consumer_", "producer_"}) {
      const std::string g = group;
      if (name.rfind(g, 0) == 0) {
        std::string prop = name.substr(g.size());
        std::replace(prop.begin(), prop.end(), '_', '.');
        Set(g.substr(0, g.size() - 1) + "." + prop, value);
        name.clear();
        break;
      }
    }
    // LEAKD_RULES and LEAKD_CACHE_DIR are read by the engine too; unknown
    // LEAKD_ variables belong to other tools and are ignored.
    if (!name.empty() && Setters().count(name)) Set(name, value);
  }
}

KafkaClientSettings ClientSettingsOf(const ServeConfig& config) {
  KafkaClientSettings settings;
  settings.brokers = config.brokers;
  settings.group_id = config.group_id;
  settings.max_message_bytes = config.max_message_bytes;
  settings.common = config.kafka;
  settings.consumer = config.consumer;
  settings.producer = config.producer;
  return settings;
}

}  // namespace leakd
