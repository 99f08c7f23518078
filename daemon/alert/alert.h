// Alert records (topic leakd.alerts, schema leakd.alert.v1): what a revocation
// service receives. `token`, `type`, `url` and `source` are exactly the fields
// of GitHub's secret-scanning partner protocol, so an alert can be forwarded
// to an issuer unchanged. Pure; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clip_text.h"
#include "common/clock.h"
#include "scan/finding.h"

namespace leakd {

// How the secret itself travels in an alert: `token` in plain text, no token at
// all, or `token_sealed` (base64 of crypto_box_seal to the configured public
// key) with `seal_key_id` (common/seal_key.h).
enum class TokenMode { kPlain, kOmit, kSealed };

// The key sealed tokens are sealed to (formats: common/seal_key.h).
struct AlertSealKey {
  std::string public_key;  // the 32 bytes of an X25519 public key
  std::string key_id;      // SealKeyId(public_key)
};
bool ParseTokenMode(const std::string& text, TokenMode* out);

// The Kafka message a finding was read from.
struct Origin {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  int64_t timestamp_ms = 0;  // the message's timestamp: push time
};

// "topic/partition/offset": how logs and the `leakd-origin` header name a message.
std::string OriginText(const Origin& origin);

// Where the secret is in the repository.
struct Location {
  std::string repo, commit, path;  // commit is empty for uploads
  uint64_t line = 0, column = 0;   // 1-based
};

struct AlertContext {
  std::string source;  // "commit" or "upload"
  Location location;
  Origin origin;
};

// The location an alert carries: `location` itself, or when one of its texts
// is longer than kMaxLocationBytes, a copy in `*storage` with them clipped
// (common/clip_text.h): a longer one would make the alert too large to
// publish, and its token one no revocation service hears of.
const Location& PublishedLocation(const Location& location, Location* storage);

// Expands {repo}, {commit}, {path} and {line} in `url_template`; other text is
// kept as is. Values come from pushers, so they are percent-encoded (RFC 3986)
// to stay inside their URL component: '/' is kept between path segments, but
// a segment "." or ".." is encoded, as is every '?', '#', '%', space or control
// byte, so no value can change the URL's host, query or fragment or climb out
// of its path.
std::string ExpandUrlTemplate(const std::string& url_template, const Location& location);

// The alert JSON. Its Kafka key is the finding's provider. Carries
// "fixture": true when the finding is a published sample or its path is a
// fixture path (scan/fixture_path.h); no "fixture" field otherwise.
// `seal` is the key for TokenMode::kSealed (required then, ignored otherwise).
std::string BuildAlertJson(const Finding& finding, const AlertContext& context, TokenMode mode,
                           const std::string& url_template, const std::string& detected_at,
                           const AlertSealKey* seal = nullptr);
// The same, with `fixture` (the finding's, or its path's) already known.
std::string BuildAlertJson(const Finding& finding, const AlertContext& context, bool fixture,
                           TokenMode mode, const std::string& url_template,
                           const std::string& detected_at, const AlertSealKey* seal = nullptr);

}  // namespace leakd
