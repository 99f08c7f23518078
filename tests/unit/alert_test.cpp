#include "alert/alert.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "alert/dedupe_window.h"
#include "scan/fingerprint.h"
#include "scan/fixture_path.h"

using namespace leakd;

namespace {
Finding MakeFinding(const Rule* rule, const std::string& secret) {
  Finding f;
  f.rule = rule;
  f.secret = secret;
  f.length = static_cast<uint32_t>(secret.size());
  f.fingerprint = Sha256Hex(secret);
  f.confidence = Confidence::kChecksum;
  return f;
}
}  // namespace

TEST_CASE("the alert carries the partner-protocol fields and the v1 contract", "[alert]") {
  Rule rule;
  rule.id = "huggingface.user-token";
  rule.provider = "huggingface";
  const std::string secret = "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";
  AlertContext ctx;
  ctx.source = "commit";
  ctx.location = {"org/model", "abc123", "src/app.py", 12, 9};
  ctx.origin = {"leakd.commits", 2, 42, 1700000000000};
  const auto j = nlohmann::json::parse(BuildAlertJson(
      MakeFinding(&rule, secret), ctx, TokenMode::kPlain,
      "https://hub.example/{repo}/blob/{commit}/{path}#L{line}", "2026-11-25T00:00:00.000Z"));
  CHECK(j["schema"] == "leakd.alert.v1");
  CHECK(j["token"] == secret);
  CHECK(j["type"] == "huggingface.user-token");
  CHECK(j["url"] == "https://hub.example/org/model/blob/abc123/src/app.py#L12");
  CHECK(j["source"] == "commit");
  CHECK(j["provider"] == "huggingface");
  CHECK(j["confidence"] == "checksum");
  CHECK(j["fingerprint"] == Sha256Hex(secret));
  CHECK(j["redacted"] == "hf_Qb\xE2\x80\xA6(37)");
  CHECK(j["line"] == 12);
  CHECK(j["column"] == 9);
  CHECK(j["origin"]["partition"] == 2);
  CHECK(j["origin"]["offset"] == 42);
  CHECK(j["origin"]["timestamp_ms"] == 1700000000000);
}

TEST_CASE("the alert says fixture only for a published sample or a fixture path", "[alert]") {
  Rule rule;
  rule.id = "github.pat";
  rule.provider = "github";
  const std::string secret = "ghp_QbTnVhCkWcPqLzAmXjRyDsEgUoIfBtNvKaXy";
  AlertContext ctx;
  ctx.location.path = "src/app.py";
  auto alert = [&](const Finding& f) {
    return nlohmann::json::parse(BuildAlertJson(f, ctx, TokenMode::kOmit, "{path}", "t"));
  };
  CHECK_FALSE(alert(MakeFinding(&rule, secret)).contains("fixture"));
  ctx.location.path = "internal/auth/token_test.go";
  CHECK(alert(MakeFinding(&rule, secret))["fixture"] == true);
  ctx.location.path = "src/app.py";
  Finding sample = MakeFinding(&rule, secret);
  sample.fixture = true;
  CHECK(alert(sample)["fixture"] == true);
}

TEST_CASE("token mode omit leaves the secret out of the alert entirely", "[alert]") {
  Rule rule;
  rule.id = "r";
  rule.provider = "p";
  const std::string secret = "sk_live_SECRETSECRETSECRETSECRET";
  const std::string json =
      BuildAlertJson(MakeFinding(&rule, secret), {}, TokenMode::kOmit, "{path}", "t");
  CHECK(json.find(secret) == std::string::npos);
  CHECK_FALSE(nlohmann::json::parse(json).contains("token"));
  TokenMode m;
  CHECK(ParseTokenMode("omit", &m));
  CHECK_FALSE(ParseTokenMode("sealed-later", &m));
}

TEST_CASE("URL templates expand known placeholders and keep everything else", "[alert]") {
  Location where;
  where.repo = "a/b";
  where.line = 3;
  CHECK(ExpandUrlTemplate("{repo}#L{line}{unknown}{", where) == "a/b#L3{unknown}{");
}

TEST_CASE("URL values are percent-encoded and cannot leave their path component", "[alert]") {
  Location where;
  where.repo = "org/../x?y=1";
  where.commit = "";
  where.path = "dir/a b#c.py";
  where.line = 7;
  CHECK(ExpandUrlTemplate("https://hub/{repo}/blob/{path}#L{line}", where) ==
        "https://hub/org/%2E%2E/x%3Fy%3D1/blob/dir/a%20b%23c.py#L7");
  where.path = "%2e/\x01\n";
  CHECK(ExpandUrlTemplate("{path}", where) == "%252e/%01%0A");
  where.path = std::string("a\x01\n", 3);
  CHECK(ExpandUrlTemplate("{path}", where) == "a%01%0A");
}

TEST_CASE("dedupe: one alert per fingerprint, repo and path within the window", "[alert]") {
  using namespace std::chrono_literals;
  DedupeWindow window(1000ms, 100);
  const auto t0 = DedupeWindow::Clock::time_point{} + 10s;
  CHECK(window.FirstSeen("fp", "r", "p", t0));
  CHECK_FALSE(window.FirstSeen("fp", "r", "p", t0 + 500ms));
  CHECK(window.FirstSeen("fp", "r", "other", t0 + 500ms));
  CHECK(window.FirstSeen("fp", "r2", "p", t0 + 500ms));
  CHECK(window.FirstSeen("fp", "r", "p", t0 + 1500ms));  // window passed

  DedupeWindow tiny(1000s, 2);  // bounded memory: the oldest key is forgotten first
  CHECK(tiny.FirstSeen("a", "r", "p", t0));
  CHECK(tiny.FirstSeen("b", "r", "p", t0));
  CHECK(tiny.FirstSeen("c", "r", "p", t0));
  CHECK(tiny.FirstSeen("a", "r", "p", t0));  // forgotten: alerted again (never lost)
  CHECK_FALSE(tiny.FirstSeen("c", "r", "p", t0));

  DedupeWindow off(0ms, 10);
  CHECK(off.FirstSeen("x", "r", "p", t0));
  CHECK(off.FirstSeen("x", "r", "p", t0));
}

TEST_CASE("dedupe: long repos and paths are told apart in bounded memory", "[alert]") {
  using namespace std::chrono_literals;
  const auto t0 = DedupeWindow::Clock::time_point{} + 10s;
  DedupeWindow window(1000s, 1000);
  const std::string long_path(1 << 20, 'p');
  CHECK(window.FirstSeen("fp", "r", long_path, t0));
  CHECK_FALSE(window.FirstSeen("fp", "r", long_path, t0));
  CHECK(window.FirstSeen("fp", "r", long_path + "x", t0));  // one byte more: another file
  CHECK(window.FirstSeen("fp", "r", "x" + long_path, t0));
  CHECK(window.FirstSeen("fp2", "r", long_path, t0));
  CHECK(window.FirstSeen("fp", std::string(1 << 20, 'r'), "p", t0));
  CHECK(window.remembered_bytes() <= 5 * DedupeWindow::kMaxKeyBytes);
  // Short keys are kept as they are (no hashing on the common path).
  DedupeWindow plain(1000s, 10);
  CHECK(plain.FirstSeen("fp", "org/r", "a.py", t0));
  CHECK(plain.remembered_bytes() == std::string("fp|org/r|a.py").size());
}

namespace {
// The alert as it was built before it was written directly: a nlohmann::json
// object, dumped. The direct writer must give the same bytes.
std::string ReferenceAlert(const Finding& finding, const AlertContext& context, TokenMode mode,
                           const std::string& url_template, const std::string& detected_at) {
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
  if (finding.fixture || IsFixturePath(context.location.path)) j["fixture"] = true;
  if (mode == TokenMode::kPlain) j["token"] = finding.secret;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
}  // namespace

TEST_CASE("the alert's bytes are those of the nlohmann::json dump, hostile values too", "[alert]") {
  Rule rule;
  rule.id = "generic.\"password\"";
  rule.provider = "gen\\eric";
  const std::vector<std::string> texts = {"org/model",           "tests/fixtures/a.py",
                                          "a\"b\\c\n\t\x01\x7f", "caf\xC3\xA9/\xE2\x80\xA8",
                                          "bad \xFF\xC3 utf8",   "",
                                          "x/../../y?z#w%",      std::string("nul\0in", 6)};
  for (const auto& text : texts) {
    for (const TokenMode mode : {TokenMode::kPlain, TokenMode::kOmit}) {
      Finding f = MakeFinding(&rule, "s3cr\"et\\" + text);
      f.fixture = text.empty();
      AlertContext ctx;
      ctx.source = "up\"load";
      ctx.location = {text, text + "c", text, 18446744073709551615u, 7};
      ctx.origin = {text + "t", -1, -9223372036854775807 - 1, 9223372036854775807};
      const std::string url = "https://h/{repo}/{commit}/{path}#L{line}{" + text;
      CHECK(BuildAlertJson(f, ctx, mode, url, text + "Z") ==
            ReferenceAlert(f, ctx, mode, url, text + "Z"));
    }
  }
}

TEST_CASE("a pusher's long repo, commit or path is clipped so that the alert stays small",
          "[alert]") {
  CHECK(ClipText("src/app.py") == "src/app.py");
  const std::string exact(kMaxLocationBytes, 'p');
  CHECK(ClipText(exact) == exact);
  const std::string over = exact + "q";
  const std::string clipped = ClipText(over);
  CHECK(clipped.size() == kMaxLocationBytes);
  CHECK(clipped == std::string(kMaxLocationBytes - 3, 'p') + "\xE2\x80\xA6");
  // A multi-byte character at the cut is left out whole, never split.
  for (size_t shift = 0; shift < 4; ++shift) {
    const std::string text = std::string(kMaxLocationBytes - 5 + shift, 'a') + "\xF0\x9F\x94\x91" +
                             std::string(100, 'b');  // U+1F511 straddles the cut
    const std::string c = ClipText(text);
    INFO("shift " << shift);
    CHECK(c.size() <= kMaxLocationBytes);
    CHECK(nlohmann::json::accept(nlohmann::json(c).dump()));
    CHECK(c.substr(c.size() - 3) == "\xE2\x80\xA6");
    const std::string kept = c.substr(0, c.size() - 3);
    CHECK(text.compare(0, kept.size(), kept) == 0);
    CHECK((kept.back() == 'a' || kept.compare(kept.size() - 4, 4, "\xF0\x9F\x94\x91") == 0));
  }

  Rule rule;
  rule.id = "github.pat";
  rule.provider = "github";
  const std::string secret = "ghp_QbTnVhCkWcPqLzAmXjRyDsEgUoIfBtNvKa12";
  AlertContext ctx;
  ctx.source = "commit";
  ctx.location = {std::string(1 << 20, 'r'), std::string(300000, 'c'),
                  std::string(2 << 20, 'd') + "/app.py", 1, 1};
  const std::string alert = BuildAlertJson(
      MakeFinding(&rule, secret), ctx, TokenMode::kPlain,
      "https://hub.example/{repo}/blob/{commit}/{path}#L{line}", "2026-11-25T00:00:00.000Z");
  CHECK(alert.size() < 8 * kMaxLocationBytes);  // repo, commit, path and the URL of them
  const auto j = nlohmann::json::parse(alert);
  CHECK(j["token"] == secret);  // what a revocation service needs is whole
  CHECK(j["path"] == ClipText(ctx.location.path));
  CHECK(j["repo"] == ClipText(ctx.location.repo));
  CHECK(j["commit"] == ClipText(ctx.location.commit));
  // Short locations are carried as they are.
  ctx.location = {"org/r", "abc", "a.py", 1, 1};
  CHECK(nlohmann::json::parse(BuildAlertJson(MakeFinding(&rule, secret), ctx, TokenMode::kPlain, "",
                                             "2026-11-25T00:00:00.000Z"))["path"] == "a.py");
}
