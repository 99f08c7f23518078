#include "alert/alert.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "common/seal_key.h"
#include "scan/fingerprint.h"
#include "scan/fixture_path.h"

namespace leakd {

bool ParseTokenMode(const std::string& text, TokenMode* out) {
  if (text == "plain")
    *out = TokenMode::kPlain;
  else if (text == "omit")
    *out = TokenMode::kOmit;
  else if (text == "sealed")
    *out = TokenMode::kSealed;
  else
    return false;
  return true;
}

namespace {

bool Unreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// Percent-encodes `value` as a run of path segments ('/' kept between them).
void AppendPathEncoded(std::string_view value, std::string* out) {
  static const char* kHex = "0123456789ABCDEF";
  size_t segment_start = 0;
  for (size_t i = 0; i <= value.size(); ++i) {
    if (i < value.size() && value[i] != '/') continue;
    const std::string_view segment = value.substr(segment_start, i - segment_start);
    const bool dots = segment == "." || segment == "..";
    for (const char ch : segment) {
      const auto c = static_cast<unsigned char>(ch);
      if (Unreserved(c) && !(dots && c == '.')) {
        out->push_back(ch);
      } else {
        out->push_back('%');
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
      }
    }
    if (i < value.size()) out->push_back('/');
    segment_start = i + 1;
  }
}

}  // namespace

std::string ExpandUrlTemplate(const std::string& url_template, const Location& location) {
  std::string out;
  out.reserve(url_template.size() + 64);
  for (size_t i = 0; i < url_template.size();) {
    auto starts = [&](const char* name) {
      return url_template.compare(i, std::strlen(name), name) == 0;
    };
    if (starts("{repo}")) {
      AppendPathEncoded(location.repo, &out);
      i += 6;
    } else if (starts("{commit}")) {
      AppendPathEncoded(location.commit, &out);
      i += 8;
    } else if (starts("{path}")) {
      AppendPathEncoded(location.path, &out);
      i += 6;
    } else if (starts("{line}")) {
      out += std::to_string(location.line);
      i += 6;
    } else {
      out += url_template[i++];
    }
  }
  return out;
}

std::string BuildAlertJson(const Finding& finding, const AlertContext& context, TokenMode mode,
                           const std::string& url_template, const std::string& detected_at,
                           const AlertSealKey* seal) {
  nlohmann::json j = {{"schema", "leakd.alert.v1"},
                      {"type", finding.rule->id},
                      {"url", ExpandUrlTemplate(url_template, context.location)},
                      {"source", context.source},
                      {"provider", finding.rule->provider},
                      {"rule", finding.rule->id},
                      {"confidence", ConfidenceName(finding.confidence)},
                      {"fingerprint", finding.fingerprint},
                      {"redacted", Redact(finding.secret)},
                      {"repo", context.location.repo},
                      {"commit", context.location.commit},
                      {"path", context.location.path},
                      {"line", context.location.line},
                      {"column", context.location.column},
                      {"origin",
                       {{"topic", context.origin.topic},
                        {"partition", context.origin.partition},
                        {"offset", context.origin.offset},
                        {"timestamp_ms", context.origin.timestamp_ms}}},
                      {"detected_at", detected_at}};
  // Only when true, so consumers of leakd.alert.v1 see no change otherwise.
  if (finding.fixture || IsFixturePath(context.location.path)) j["fixture"] = true;
  if (mode == TokenMode::kPlain) j["token"] = finding.secret;
  if (mode == TokenMode::kSealed) {
    if (!seal) throw std::invalid_argument("token_mode sealed without a seal_public_key");
    j["token_sealed"] = SealForKey(finding.secret, seal->public_key);
    j["seal_key_id"] = seal->key_id;
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace leakd
