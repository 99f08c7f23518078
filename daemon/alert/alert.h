// Alert records (topic leakd.alerts, schema leakd.alert.v1): what a revocation
// service receives. `token`, `type`, `url` and `source` are exactly the fields
// of GitHub's secret-scanning partner protocol, so an alert can be forwarded
// to an issuer unchanged. Pure; any thread.
#pragma once

#include <cstdint>
#include <string>

#include "scan/finding.h"

namespace leakd {

// How the secret itself travels in an alert.
enum class TokenMode { kPlain, kOmit };
bool ParseTokenMode(const std::string& text, TokenMode* out);

// Where a finding came from.
struct AlertContext {
  std::string source;  // "commit" or "upload"
  std::string repo, commit, path;
  uint64_t line = 0, column = 0;
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  int64_t timestamp_ms = 0;
};

// Expands {repo}, {commit}, {path} and {line} in `url_template`; other text is
// kept as is. Values are inserted verbatim (they come from the push pipeline).
std::string ExpandUrlTemplate(const std::string& url_template, const AlertContext& context);

// The alert JSON. Its Kafka key is the finding's provider.
std::string BuildAlertJson(const Finding& finding, const AlertContext& context, TokenMode mode,
                           const std::string& url_template, const std::string& detected_at);

// Current UTC time as RFC 3339 with milliseconds, e.g. 2026-11-25T17:20:42.123Z.
std::string NowRfc3339();

}  // namespace leakd
