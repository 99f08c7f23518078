#include "alert/alert.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "scan/fingerprint.h"

namespace leakd {

bool ParseTokenMode(const std::string& text, TokenMode* out) {
  if (text == "plain")
    *out = TokenMode::kPlain;
  else if (text == "omit")
    *out = TokenMode::kOmit;
  else
    return false;
  return true;
}

std::string ExpandUrlTemplate(const std::string& url_template, const AlertContext& context) {
  std::string out;
  out.reserve(url_template.size() + 64);
  for (size_t i = 0; i < url_template.size();) {
    auto starts = [&](const char* name) {
      return url_template.compare(i, std::strlen(name), name) == 0;
    };
    if (starts("{repo}")) {
      out += context.repo;
      i += 6;
    } else if (starts("{commit}")) {
      out += context.commit;
      i += 8;
    } else if (starts("{path}")) {
      out += context.path;
      i += 6;
    } else if (starts("{line}")) {
      out += std::to_string(context.line);
      i += 6;
    } else {
      out += url_template[i++];
    }
  }
  return out;
}

std::string BuildAlertJson(const Finding& finding, const AlertContext& context, TokenMode mode,
                           const std::string& url_template, const std::string& detected_at) {
  nlohmann::json j = {{"schema", "leakd.alert.v1"},
                      {"type", finding.rule->id},
                      {"url", ExpandUrlTemplate(url_template, context)},
                      {"source", context.source},
                      {"provider", finding.rule->provider},
                      {"rule", finding.rule->id},
                      {"confidence", ConfidenceName(finding.confidence)},
                      {"fingerprint", finding.fingerprint},
                      {"redacted", Redact(finding.secret)},
                      {"repo", context.repo},
                      {"commit", context.commit},
                      {"path", context.path},
                      {"line", context.line},
                      {"column", context.column},
                      {"origin",
                       {{"topic", context.topic},
                        {"partition", context.partition},
                        {"offset", context.offset},
                        {"timestamp_ms", context.timestamp_ms}}},
                      {"detected_at", detected_at}};
  if (mode == TokenMode::kPlain) j["token"] = finding.secret;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string NowRfc3339() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

}  // namespace leakd
