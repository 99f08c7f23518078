#include "serve/alert_maker.h"

#include "common/log.h"
#include "scan/fingerprint.h"
#include "scan/fixture_path.h"
#include "serve/emitter.h"

namespace leakd {

AlertMaker::AlertMaker(const ServeConfig& config, Metrics& metrics)
    : config_(config),
      metrics_(metrics),
      dedupe_(std::chrono::milliseconds(config.dedupe_window_ms), config.dedupe_max_entries) {}

std::optional<std::string> AlertMaker::Make(const Finding& f, const AlertContext& ctx) {
  const bool fixture = f.fixture || IsFixturePath(ctx.location.path);
  metrics_.Finding(*f.rule, f.confidence, fixture);
  if (const IgnoreList* ignore = config_.ignore.get()) {
    if (ignore->IgnoresFingerprint(f.fingerprint)) {
      metrics_.FindingIgnored("fingerprint");
      return std::nullopt;
    }
    if (ignore->IgnoresPath(ctx.location.path)) {
      metrics_.FindingIgnored("path");
      return std::nullopt;
    }
  }
  if (!dedupe_.FirstSeen(f.fingerprint, ctx.location.repo, ctx.location.path)) {
    metrics_.AlertDeduplicated();
    return std::nullopt;
  }
  const std::string& url_template =
      ctx.source == "upload" ? config_.upload_url_template : config_.url_template;
  const AlertSealKey* seal = config_.token_mode == TokenMode::kSealed ? &config_.seal_key : nullptr;
  std::string json =
      BuildAlertJson(f, ctx, fixture, config_.token_mode, url_template, NowRfc3339(), seal);
  if (LogEnabled(LogLevel::kInfo)) {
    Location clipped;
    const Location& at = PublishedLocation(ctx.location, &clipped);
    LogLine(LogLevel::kInfo, "alert",
            LogFields()
                .Add("rule", f.rule->id)
                .Add("provider", f.rule->provider)
                .Add("confidence", ConfidenceName(f.confidence))
                .Add("fingerprint", f.fingerprint)
                .Add("redacted", Redact(f.secret))
                .Add("repo", at.repo)
                .Add("path", at.path)
                .Add("line", at.line)
                .Add("origin", OriginText(ctx.origin)));
  }
  return json;
}

}  // namespace leakd
