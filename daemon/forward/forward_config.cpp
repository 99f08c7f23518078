#include "forward/forward_config.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

#include "common/settings.h"
#include "common/size_parse.h"
#include "forward/url.h"

namespace leakd {
namespace {

uint64_t Number(const std::string& name, const std::string& value) {
  uint64_t n = 0;
  if (!ParseSize(value, &n)) throw std::invalid_argument(name + ": not a number: " + value);
  return n;
}

uint64_t Positive(const std::string& name, const std::string& value) {
  return std::max<uint64_t>(1, Number(name, value));
}

using Setter = std::function<void(ForwardConfig&, const std::string&, const std::string&)>;

#define LEAKD_TEXT(field)                                          \
  {                                                                \
#field, [](ForwardConfig & c, auto&, auto& v) { c.field = v; } \
  }
#define LEAKD_NUMBER(field, parse)                                             \
  {                                                                            \
#field, [](ForwardConfig & c, auto& n, auto& v) { c.field = parse(n, v); } \
  }

const std::map<std::string, Setter>& Setters() {
  static const std::map<std::string, Setter> setters = {
      LEAKD_TEXT(brokers),
      LEAKD_TEXT(group_id),
      LEAKD_TEXT(alerts_topic),
      LEAKD_TEXT(dlq_topic),
      LEAKD_TEXT(revocations_topic),
      LEAKD_TEXT(signing_key),
      LEAKD_TEXT(secret_key_file),
      LEAKD_TEXT(ca_file),
      LEAKD_TEXT(key_id_header),
      LEAKD_TEXT(signature_header),
      LEAKD_NUMBER(request_timeout_ms, Positive),
      LEAKD_NUMBER(max_attempts, Number),
      LEAKD_NUMBER(backoff_base_ms, Positive),
      LEAKD_NUMBER(backoff_max_ms, Positive),
      LEAKD_NUMBER(breaker_failures, Positive),
      LEAKD_NUMBER(breaker_open_ms, Positive),
      LEAKD_NUMBER(max_pending_alerts, Positive),
      LEAKD_NUMBER(commit_interval_ms, Positive),
      LEAKD_NUMBER(shutdown_deadline_ms, Number),
      LEAKD_TEXT(log_level),
      LEAKD_TEXT(metrics_address),
  };
  return setters;
}

#undef LEAKD_TEXT
#undef LEAKD_NUMBER

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

// "routes.N.field": the route's field.
void SetRouteField(ForwardConfig& c, const std::string& name, const std::string& value) {
  const size_t dot = name.find('.', 7);
  const std::string index_text = name.substr(7, dot == std::string::npos ? 0 : dot - 7);
  uint64_t index = 0;
  if (dot == std::string::npos || !ParseSize(index_text, &index) || index > 255)
    throw std::invalid_argument("unknown setting: " + name + " (routes.N.field)");
  if (c.routes.size() <= index) c.routes.resize(index + 1);
  RouteConfig& r = c.routes[index];
  const std::string field = name.substr(dot + 1);
  if (field == "name") {
    r.name = value;
  } else if (field == "providers") {
    r.providers = SplitList(value);
  } else if (field == "url") {
    r.url = value;
  } else if (field == "batch_max") {
    r.batch_max = Positive(name, value);
  } else if (field == "batch_delay_ms") {
    r.batch_delay_ms = Number(name, value);
  } else if (field == "max_in_flight") {
    r.max_in_flight = static_cast<unsigned>(std::min<uint64_t>(256, Positive(name, value)));
  } else {
    throw std::invalid_argument("unknown setting: " + name);
  }
}

}  // namespace

std::vector<std::string> ForwardConfig::SettingNames() {
  std::vector<std::string> names;
  for (const auto& [name, setter] : Setters()) names.push_back(name);
  return names;
}

void ForwardConfig::Set(const std::string& name, const std::string& value) {
  if (SetKafkaProperty(name, value, &kafka, &consumer, &producer)) return;
  if (name.rfind("routes.", 0) == 0) return SetRouteField(*this, name, value);
  auto it = Setters().find(name);
  if (it == Setters().end()) throw std::invalid_argument("unknown setting: " + name);
  it->second(*this, name, value);
}

void ForwardConfig::LoadYamlFile(const std::string& path) {
  LoadYamlSettings(path, [this](const std::string& n, const std::string& v) { Set(n, v); });
}

void ForwardConfig::LoadEnvironment(const std::vector<std::string>& environment) {
  LoadEnvironmentSettings(
      environment, [this](const std::string& n, const std::string& v) { Set(n, v); },
      [](const std::string& n) { return Setters().count(n) > 0; });
}

void ForwardConfig::Validate() {
  if (routes.empty()) throw std::invalid_argument("routes: at least one route is needed");
  std::set<std::string> seen, names;
  for (size_t i = 0; i < routes.size(); ++i) {
    RouteConfig& r = routes[i];
    const std::string where = "routes." + std::to_string(i);
    if (r.url.empty()) throw std::invalid_argument(where + ".url: missing");
    const Url url = ParseUrl(r.url);  // throws, naming what is wrong
    if (r.providers.empty()) throw std::invalid_argument(where + ".providers: missing");
    for (const auto& p : r.providers) {
      if (!seen.insert(p).second)
        throw std::invalid_argument(where + ".providers: " + p + " is routed twice");
    }
    if (r.name.empty()) r.name = url.host;
    if (!names.insert(r.name).second) r.name += "-" + std::to_string(i);  // one metric label each
  }
  if (signing_key.empty()) throw std::invalid_argument("signing_key: missing (a PEM file)");
}

}  // namespace leakd
