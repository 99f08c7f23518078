// Sealed tokens: the key formats, the key id, seal/open round trips, and the
// alert in token_mode sealed.
#include "common/seal_key.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "alert/alert.h"
#include "common/base64.h"
#include "scan/fingerprint.h"
#include "seal_test_support.h"
#include "serve/serve_config.h"

using namespace leakd;
using leakd::testing::AlertKeyOf;
using leakd::testing::NewSealKeyPair;

TEST_CASE("seal key id: hex of the first 8 bytes of SHA-256 of the public key", "[seal]") {
  // SHA-256 of 32 zero bytes is 66687aadf862bd77…
  CHECK(SealKeyId(ParseSealPublicKey(EncodeBase64(std::string(32, '\0')))) == "66687aadf862bd77");
  const SealKeyPair pair = NewSealKeyPair();
  CHECK(pair.key_id == Sha256Hex(pair.public_key).substr(0, 16));
  CHECK(ParseSealPublicKey(EncodeBase64(pair.public_key)) == pair.public_key);
}

TEST_CASE("a token sealed to a public key opens with its secret key only", "[seal]") {
  const SealKeyPair pair = NewSealKeyPair();
  const SealKeyPair other = NewSealKeyPair();
  const std::string token = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
  const std::string sealed = SealForKey(token, pair.public_key);
  CHECK(sealed.find(token) == std::string::npos);
  CHECK(DecodeBase64(sealed)->size() == token.size() + 48);  // X25519 key + MAC
  CHECK(SealForKey(token, pair.public_key) != sealed);       // a new ephemeral key each time
  CHECK(OpenSealed(sealed, pair) == token);
  CHECK_FALSE(OpenSealed(sealed, other).has_value());
  std::string tampered = *DecodeBase64(sealed);
  tampered[tampered.size() - 1] ^= 1;
  CHECK_FALSE(OpenSealed(EncodeBase64(tampered), pair).has_value());
  CHECK_FALSE(OpenSealed("not base64!", pair).has_value());
  CHECK_FALSE(OpenSealed(EncodeBase64("short"), pair).has_value());
}

TEST_CASE("a malformed public key is refused with what is wrong", "[seal]") {
  CHECK_THROWS_WITH(ParseSealPublicKey(""), Catch::Contains("0 bytes"));
  CHECK_THROWS_WITH(ParseSealPublicKey("@@@not-base64@@@"), Catch::Contains("not base64"));
  CHECK_THROWS_WITH(ParseSealPublicKey(EncodeBase64(std::string(31, 'k'))),
                    Catch::Contains("31 bytes"));
  CHECK_THROWS_WITH(ParseSealPublicKey(EncodeBase64(std::string(64, 'k'))),
                    Catch::Contains("64 bytes"));
  ServeConfig c;
  CHECK_THROWS_WITH(c.Set("seal_public_key", "AAAA"), Catch::Contains("seal_public_key"));
  c.Set("token_mode", "sealed");
  CHECK_THROWS_WITH(c.Validate(), Catch::Contains("seal_public_key"));
  c.Set("seal_public_key", EncodeBase64(NewSealKeyPair().public_key));
  CHECK_NOTHROW(c.Validate());
}

TEST_CASE("the secret key file: base64 of 32 bytes, whitespace tolerated", "[seal]") {
  const SealKeyPair pair = NewSealKeyPair();
  const std::string path = "/tmp/leakd-seal-test-" + std::to_string(::getpid());
  std::ofstream(path) << "  " << EncodeBase64(pair.secret_key) << "\n\n";
  const SealKeyPair read = ReadSealSecretKeyFile(path);
  CHECK(read.public_key == pair.public_key);  // the public key is derived from the secret
  CHECK(read.key_id == pair.key_id);
  std::ofstream(path) << EncodeBase64(std::string(16, 'x'));
  CHECK_THROWS_WITH(ReadSealSecretKeyFile(path), Catch::Contains(path));
  std::remove(path.c_str());
  CHECK_THROWS_WITH(ReadSealSecretKeyFile(path), Catch::Contains("cannot read"));
}

TEST_CASE("a sealed alert carries token_sealed and seal_key_id, never token", "[seal][alert]") {
  Rule rule;
  rule.id = "github.pat";
  rule.provider = "github";
  Finding f;
  f.rule = &rule;
  f.secret = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
  f.fingerprint = Sha256Hex(f.secret);
  const SealKeyPair pair = NewSealKeyPair();
  const AlertSealKey key = AlertKeyOf(pair);
  const std::string text = BuildAlertJson(f, {}, TokenMode::kSealed, "{path}", "t", &key);
  CHECK(text.find(f.secret) == std::string::npos);
  CHECK(text.find(f.secret.substr(4)) == std::string::npos);
  const auto j = nlohmann::json::parse(text);
  CHECK(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) == text);  // key order
  CHECK_FALSE(j.contains("token"));
  CHECK(j["seal_key_id"] == pair.key_id);
  CHECK(OpenSealed(j["token_sealed"].get<std::string>(), pair) == f.secret);
  CHECK(j["fingerprint"] == Sha256Hex(f.secret));
  CHECK_THROWS(BuildAlertJson(f, {}, TokenMode::kSealed, "{path}", "t", nullptr));
  TokenMode m;
  REQUIRE(ParseTokenMode("sealed", &m));
  CHECK(m == TokenMode::kSealed);
}
