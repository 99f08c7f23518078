#include "alert/alert.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "common/json_text.h"
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
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
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

const Location& PublishedLocation(const Location& location, Location* storage) {
  const auto too_long = [](const std::string& text) { return text.size() > kMaxLocationBytes; };
  if (!too_long(location.repo) && !too_long(location.commit) && !too_long(location.path)) {
    return location;  // almost always: no copy
  }
  *storage = location;
  for (std::string* text : {&storage->repo, &storage->commit, &storage->path}) {
    if (too_long(*text)) *text = ClipText(*text);
  }
  return *storage;
}

std::string ExpandUrlTemplate(const std::string& url_template, const Location& location) {
  std::string out;
  out.reserve(url_template.size() + location.repo.size() + location.path.size() + 64);
  const std::string_view tpl = url_template;
  size_t i = 0;
  while (i < tpl.size()) {
    const size_t brace = std::min(tpl.find('{', i), tpl.size());
    out.append(tpl.substr(i, brace - i));  // text up to the next '{' is kept as is
    i = brace;
    if (i == tpl.size()) break;
    const std::string_view rest = tpl.substr(i);
    auto starts = [&](std::string_view name) { return rest.substr(0, name.size()) == name; };
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
      out += tpl[i++];
    }
  }
  return out;
}

namespace {

void Field(std::string_view key, std::string_view value, std::string* out) {
  AppendJsonKey(key, out);
  AppendJsonString(value, out);
  out->push_back(',');
}

template <typename Number>
void NumberField(std::string_view key, Number value, std::string* out) {
  AppendJsonKey(key, out);
  AppendJsonNumber(value, out);
  out->push_back(',');
}

// {"offset":…,"partition":…,"timestamp_ms":…,"topic":…}
void AppendOrigin(const Origin& origin, std::string* out) {
  AppendJsonKey("origin", out);
  out->push_back('{');
  NumberField("offset", static_cast<int64_t>(origin.offset), out);
  NumberField("partition", static_cast<int64_t>(origin.partition), out);
  NumberField("timestamp_ms", static_cast<int64_t>(origin.timestamp_ms), out);
  AppendJsonKey("topic", out);
  AppendJsonString(origin.topic, out);
  *out += "},";
}

}  // namespace

std::string BuildAlertJson(const Finding& finding, const AlertContext& context, TokenMode mode,
                           const std::string& url_template, const std::string& detected_at,
                           const AlertSealKey* seal) {
  return BuildAlertJson(finding, context, finding.fixture || IsFixturePath(context.location.path),
                        mode, url_template, detected_at, seal);
}

// Written directly, keys in the order nlohmann::json (a std::map) writes
// them, so the bytes are those of its dump() (tests/unit/alert_test.cpp).
std::string BuildAlertJson(const Finding& finding, const AlertContext& context, bool fixture,
                           TokenMode mode, const std::string& url_template,
                           const std::string& detected_at, const AlertSealKey* seal) {
  if (mode == TokenMode::kSealed && !seal) {
    throw std::invalid_argument("token_mode sealed without a seal_public_key");
  }
  Location clipped;
  const Location& at = PublishedLocation(context.location, &clipped);
  std::string out;
  out.reserve(512 + finding.secret.size() + at.repo.size() + 2 * at.path.size());
  out.push_back('{');
  NumberField("column", at.column, &out);
  Field("commit", at.commit, &out);
  Field("confidence", ConfidenceName(finding.confidence), &out);
  Field("detected_at", detected_at, &out);
  Field("fingerprint", finding.fingerprint, &out);
  // Only when true, so consumers of leakd.alert.v1 see no change otherwise.
  if (fixture) out += "\"fixture\":true,";
  NumberField("line", at.line, &out);
  AppendOrigin(context.origin, &out);
  Field("path", at.path, &out);
  Field("provider", finding.rule->provider, &out);
  Field("redacted", Redact(finding.secret), &out);
  Field("repo", at.repo, &out);
  Field("rule", finding.rule->id, &out);
  Field("schema", "leakd.alert.v1", &out);
  if (mode == TokenMode::kSealed) Field("seal_key_id", seal->key_id, &out);
  Field("source", context.source, &out);
  if (mode == TokenMode::kPlain) Field("token", finding.secret, &out);
  if (mode == TokenMode::kSealed) {
    Field("token_sealed", SealForKey(finding.secret, seal->public_key), &out);
  }
  Field("type", finding.rule->id, &out);
  AppendJsonKey("url", &out);
  AppendJsonString(ExpandUrlTemplate(url_template, at), &out);
  out.push_back('}');
  return out;
}

std::string OriginText(const Origin& origin) {
  return origin.topic + "/" + std::to_string(origin.partition) + "/" +
         std::to_string(origin.offset);
}

}  // namespace leakd
