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
#include "serve/serve_config.h"

using namespace leakd;

TEST_CASE("seal key id: hex of the first 8 bytes of SHA-256 of the public key", "[seal]") {
  // SHA-256 of 32 zero bytes is 66687aadf862bd77…
  const SealPublicKey zero = ParseSealPublicKey(EncodeBase64(std::string(32, '\0')));
  CHECK(zero.key_id == "66687aadf862bd77");
  const SealSecretKey pair = GenerateSealKeyPair();
  CHECK(pair.pub.key_id == Sha256Hex(pair.pub.bytes).substr(0, 16));
  CHECK(ParseSealPublicKey(EncodeBase64(pair.pub.bytes)).key_id == pair.pub.key_id);
}

TEST_CASE("a token sealed to a public key opens with its secret key only", "[seal]") {
  const SealSecretKey pair = GenerateSealKeyPair();
  const SealSecretKey other = GenerateSealKeyPair();
  const std::string token = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
  const std::string sealed = SealToken(token, pair.pub);
  CHECK(sealed.find(token) == std::string::npos);
  CHECK(DecodeBase64(sealed)->size() == token.size() + 48);  // X25519 key + MAC
  CHECK(SealToken(token, pair.pub) != sealed);               // a new ephemeral key each time
  CHECK(OpenSealedToken(sealed, pair) == token);
  CHECK_FALSE(OpenSealedToken(sealed, other).has_value());
  std::string tampered = *DecodeBase64(sealed);
  tampered[tampered.size() - 1] ^= 1;
  CHECK_FALSE(OpenSealedToken(EncodeBase64(tampered), pair).has_value());
  CHECK_FALSE(OpenSealedToken("not base64!", pair).has_value());
  CHECK_FALSE(OpenSealedToken(EncodeBase64("short"), pair).has_value());
}

TEST_CASE("a malformed public key is refused with what is wrong", "[seal]") {
  CHECK_THROWS_WITH(ParseSealPublicKey(""), Catch::Contains("empty"));
  CHECK_THROWS_WITH(ParseSealPublicKey("@@@not-base64@@@"), Catch::Contains("not base64"));
  CHECK_THROWS_WITH(ParseSealPublicKey(EncodeBase64(std::string(31, 'k'))),
                    Catch::Contains("31 bytes"));
  CHECK_THROWS_WITH(ParseSealPublicKey(EncodeBase64(std::string(64, 'k'))),
                    Catch::Contains("64 bytes"));
  ServeConfig c;
  CHECK_THROWS_WITH(c.Set("seal_public_key", "AAAA"), Catch::Contains("seal_public_key"));
  c.Set("token_mode", "sealed");
  CHECK_THROWS_WITH(c.Validate(), Catch::Contains("seal_public_key"));
  c.Set("seal_public_key", EncodeBase64(GenerateSealKeyPair().pub.bytes));
  CHECK_NOTHROW(c.Validate());
}

TEST_CASE("the secret key file: base64 of 32 bytes, whitespace tolerated", "[seal]") {
  const SealSecretKey pair = GenerateSealKeyPair();
  const std::string path = "/tmp/leakd-seal-test-" + std::to_string(::getpid());
  std::ofstream(path) << "  " << EncodeBase64(pair.secret) << "\n\n";
  const SealSecretKey read = ReadSealSecretKeyFile(path);
  CHECK(read.pub.bytes == pair.pub.bytes);  // the public key is derived from the secret
  CHECK(read.pub.key_id == pair.pub.key_id);
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
  const SealSecretKey pair = GenerateSealKeyPair();
  const std::string text = BuildAlertJson(f, {}, TokenMode::kSealed, "{path}", "t", &pair.pub);
  CHECK(text.find(f.secret) == std::string::npos);
  CHECK(text.find(f.secret.substr(4)) == std::string::npos);
  const auto j = nlohmann::json::parse(text);
  CHECK_FALSE(j.contains("token"));
  CHECK(j["seal_key_id"] == pair.pub.key_id);
  CHECK(OpenSealedToken(j["token_sealed"].get<std::string>(), pair) == f.secret);
  CHECK(j["fingerprint"] == Sha256Hex(f.secret));
  CHECK_THROWS(BuildAlertJson(f, {}, TokenMode::kSealed, "{path}", "t", nullptr));
  TokenMode m;
  REQUIRE(ParseTokenMode("sealed", &m));
  CHECK(m == TokenMode::kSealed);
}
