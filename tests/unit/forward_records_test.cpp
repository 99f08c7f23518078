// What leakd forward reads and writes: alerts with plain or sealed tokens
// (common/seal_key.h), the POST body, the forward DLQ record and the
// revocation records, none of which but the POST body may carry a token.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/base64.h"
#include "common/clip_text.h"
#include "common/seal_key.h"
#include "common/settings.h"
#include "common/sha256.h"
#include "forward/alert_reader.h"
#include "forward/records.h"
#include "scan/fingerprint.h"

using namespace leakd;
using nlohmann::json;

namespace {

// A key pair made with libsodium's own key generator, as a key file holds it.
SealKeyPair NewSealKey() {
  std::string secret(32, '\0');
  std::random_device rd;
  for (auto& c : secret) c = static_cast<char>(rd());
  return ParseSealSecretKey(EncodeBase64(secret), "test key");
}

json Alert(const std::string& token) {
  return {{"schema", "leakd.alert.v1"},
          {"type", "github.pat"},
          {"url", "https://h/o/r#L2"},
          {"source", "commit"},
          {"provider", "github"},
          {"fingerprint", Sha256Hex(token)},
          {"redacted", "ghp_…(40)"},
          {"repo", "o/r"},
          {"commit", "c0ffee"},
          {"path", "app.py"},
          {"line", 2},
          {"token", token}};
}

}  // namespace

TEST_CASE("seal key files: base64 of 32 bytes, public key derived, key id from it", "[seal]") {
  const SealKeyPair key = NewSealKey();
  CHECK(key.public_key.size() == 32);
  CHECK(key.key_id == Sha256Hex(key.public_key).substr(0, 16));
  const auto path = std::filesystem::temp_directory_path() /
                    ("leakd-seal-" + std::to_string(::getpid()) + ".key");
  std::ofstream(path) << EncodeBase64(key.secret_key) << "\n";
  const SealKeyPair read = ReadSealSecretKeyFile(path.string());
  CHECK(read.public_key == key.public_key);
  std::ofstream(path) << EncodeBase64(std::string(31, 'x'));
  CHECK_THROWS_WITH(ReadSealSecretKeyFile(path.string()),
                    Catch::Contains(path.string()) && Catch::Contains("31 bytes"));
  std::ofstream(path) << "not base64 !!";
  CHECK_THROWS_WITH(ReadSealSecretKeyFile(path.string()), Catch::Contains("not base64"));
  std::filesystem::remove(path);
  CHECK_THROWS_WITH(ParseSealPublicKey(EncodeBase64("short")), Catch::Contains("expected 32"));
  CHECK(ParseSealPublicKey(EncodeBase64(key.public_key)) == key.public_key);
}

TEST_CASE("the alert reader takes plain tokens and opens sealed ones", "[forward][seal]") {
  const std::string token = "ghp_abcdefghijklmnopqrstuvwxyzABCDEF012345";
  AlertRead plain = ReadAlert(Alert(token).dump(), nullptr);
  REQUIRE(plain.ok);
  CHECK(plain.item.token == token);
  CHECK(plain.item.type == "github.pat");
  CHECK(plain.item.url == "https://h/o/r#L2");
  CHECK(plain.item.source == "commit");
  CHECK(plain.item.provider == "github");
  CHECK(plain.item.fingerprint == Sha256Hex(token));
  CHECK(plain.item.line == 2);
  // The alert's own fingerprint and redacted form are not trusted: what the
  // DLQ and the logs carry comes from the token itself.
  json lying = Alert(token);
  lying["fingerprint"] = "0";
  lying["redacted"] = token;
  AlertRead checked = ReadAlert(lying.dump(), nullptr);
  REQUIRE(checked.ok);
  CHECK(checked.item.fingerprint == Sha256Hex(token));
  CHECK(checked.item.redacted == Redact(token));

  const SealKeyPair key = NewSealKey();
  json sealed = Alert(token);
  sealed.erase("token");
  sealed["token_sealed"] = SealForKey(token, key.public_key);
  sealed["seal_key_id"] = key.key_id;
  AlertRead opened = ReadAlert(sealed.dump(), &key);
  REQUIRE(opened.ok);
  CHECK(opened.item.token == token);

  CHECK(ReadAlert(sealed.dump(), nullptr).reason == "sealed-no-key");
  const SealKeyPair other = NewSealKey();
  CHECK(ReadAlert(sealed.dump(), &other).reason == "seal-key-mismatch");
  sealed.erase("seal_key_id");
  CHECK(ReadAlert(sealed.dump(), &other).reason == "unseal-failed");  // wrong key
  std::string box = *DecodeBase64(sealed["token_sealed"].get<std::string>());
  box[box.size() - 1] ^= 1;
  sealed["token_sealed"] = EncodeBase64(box);
  CHECK(ReadAlert(sealed.dump(), &key).reason == "unseal-failed");  // tampered

  json omitted = Alert(token);
  omitted.erase("token");
  CHECK(ReadAlert(omitted.dump(), &key).reason == "no-token");
  AlertRead junk = ReadAlert("{\"type\": ", nullptr);
  CHECK_FALSE(junk.ok);
  CHECK(junk.reason == "invalid-alert");
}

TEST_CASE("the POST body is GitHub's partner format; DLQ records carry no token", "[forward]") {
  const std::string token = "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";
  AlertRead read = ReadAlert(Alert(token).dump(), nullptr);
  REQUIRE(read.ok);
  read.item.key = {"leakd.alerts", 3};
  read.item.offset = 42;
  const json body = json::parse(BuildPostBody({read.item, read.item}));
  REQUIRE(body.size() == 2);
  CHECK(body[0] == json{{"token", token},
                        {"type", "github.pat"},
                        {"url", "https://h/o/r#L2"},
                        {"source", "commit"}});
  const std::string dlq = BuildDeadLetter(read.item, "issuer", 400, "rejected", "http 400");
  CHECK(dlq.find(token) == std::string::npos);
  CHECK(dlq.find(token.substr(3, 12)) == std::string::npos);
  const json d = json::parse(dlq);
  CHECK(d["schema"] == "leakd.forward.dlq.v1");
  CHECK(d["status"] == 400);
  CHECK(d["reason"] == "rejected");
  CHECK(d["fingerprint"] == Sha256Hex(token));
  CHECK(d["alert"]["partition"] == 3);
  CHECK(d["alert"]["offset"] == 42);
  CHECK(d["repo"] == "o/r");
}

TEST_CASE("feedback becomes revocation records with token hashes, never raw tokens", "[forward]") {
  const std::string t1 = "ghp_raw_token_one_0000000000000000000000";
  const std::string t2 = "ghp_raw_token_two_0000000000000000000000";
  Batch batch(2);
  batch[0].token = t1;
  batch[0].fingerprint = Sha256Hex(t1);
  batch[0].repo = "o/one";
  batch[1].token = t2;
  batch[1].fingerprint = Sha256Hex(t2);
  const json feedback = json::array(
      {{{"token_raw", t1}, {"token_type", "github.pat"}, {"label", "true_positive"}},
       {{"token_hash", Sha256Hex(t2)}, {"token_type", "github.pat"}, {"label", "false_positive"}},
       {{"token_type", "x"}, {"label", "no token field: skipped"}},
       "not an object"});
  const auto records = BuildRevocations(feedback.dump(), batch, "issuer");
  REQUIRE(records.size() == 2);
  CHECK(records[0].key == Sha256Hex(t1));
  const json r0 = json::parse(records[0].value);
  CHECK(r0["schema"] == "leakd.revocation.v1");
  CHECK(r0["token_hash"] == Sha256Hex(t1));
  CHECK(r0["label"] == "true_positive");
  CHECK(r0["repo"] == "o/one");
  CHECK_FALSE(r0.contains("token_raw"));
  CHECK(json::parse(records[1].value)["label"] == "false_positive");
  for (const auto& r : records) {
    CHECK(r.value.find(t1) == std::string::npos);
    CHECK(r.value.find(t2) == std::string::npos);
  }
  CHECK(BuildRevocations("{\"not\": \"an array\"}", batch, "issuer").empty());
  CHECK(BuildRevocations("", batch, "issuer").empty());
}

TEST_CASE("DLQ and revocation records stay small whatever an alert or an endpoint says",
          "[forward]") {
  // Both are retried until the broker takes them: one over its limit would
  // hold its partition's commits for good.
  const std::string huge(2 << 20, 'x');
  ForwardItem item;
  item.fingerprint = Sha256Hex("t");
  item.url = item.repo = item.commit = item.path = item.type = item.provider = huge;
  const std::string dlq = BuildDeadLetter(item, "issuer", 400, "rejected", "http 400");
  CHECK(dlq.size() < 16 * kMaxLocationBytes);
  CHECK(json::parse(dlq)["path"] == ClipText(huge));
  Batch batch(1, item);
  const json feedback =
      json::array({{{"token_hash", item.fingerprint}, {"token_type", huge}, {"label", huge}},
                   {{"token_hash", huge}, {"label", "x"}}});
  const auto records = BuildRevocations(feedback.dump(), batch, "issuer");
  REQUIRE(records.size() == 2);
  for (const auto& r : records) {
    CHECK(r.value.size() < 16 * kMaxLocationBytes);
    CHECK(r.key.size() <= kMaxLocationBytes);
  }
  CHECK(json::parse(records[0].value)["label"] == ClipText(huge));
}

TEST_CASE("YAML settings flatten to dotted names", "[config]") {
  const auto path = std::filesystem::temp_directory_path() /
                    ("leakd-settings-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << "a: 1\nlist: [x, y]\nmaps:\n  - k: v\n  - k: w\n"
                         "kafka:\n  sasl.mechanism: PLAIN\n  ssl:\n    ca.location: /ca\n";
  std::map<std::string, std::string> got;
  LoadYamlSettings(path.string(), [&](const std::string& n, const std::string& v) { got[n] = v; });
  CHECK(got == std::map<std::string, std::string>{{"a", "1"},
                                                  {"list", "x,y"},
                                                  {"maps.0.k", "v"},
                                                  {"maps.1.k", "w"},
                                                  {"kafka.sasl.mechanism", "PLAIN"},
                                                  {"kafka.ssl.ca.location", "/ca"}});
  std::filesystem::remove(path);
  CHECK_THROWS_WITH(ApplySetArguments({"novalue"}, [](auto&, auto&) {}),
                    Catch::Contains("key=value"));
}
