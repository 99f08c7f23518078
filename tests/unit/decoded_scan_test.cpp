#include "scan/decoded_scan.h"

#include <catch2/catch.hpp>

#include "common/base64.h"
#include "common/line_index.h"
#include "test_support.h"

using namespace leakd;
using testing::ScanDecoding;

TEST_CASE("a token in a Kubernetes Secret's data is found at its base64 value", "[decode]") {
  const std::string token = testing::GithubToken("ghp_", 11);
  const std::string b64 = EncodeBase64(token);
  const std::string manifest =
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\ndata:\n  GITHUB_TOKEN: " + b64 + "\n";
  const auto found = ScanDecoding(manifest);
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule->id == "github.pat");
  CHECK(found[0].secret == token);  // the real bytes, not the base64
  CHECK(found[0].fingerprint == testing::ScanText(token)[0].fingerprint);
  CHECK(manifest.substr(found[0].offset, found[0].length) == b64);  // positions in the original
  const TextPosition at = LineIndex(manifest).At(found[0].offset);
  CHECK(at.line == 6);
  CHECK(at.column == 17);
  // The plain scan alone sees only a generic value (the base64), which the
  // decoded finding replaces.
  for (const auto& f : testing::ScanText(manifest)) CHECK(f.rule->id != "github.pat");
}

TEST_CASE("several secrets in one base64 .env are each reported", "[decode]") {
  const std::string a = testing::GithubToken("ghp_", 21), b = testing::GithubToken("gho_", 22);
  const std::string env = "GH=" + a + "\nOAUTH=" + b + "\n";
  const auto found = ScanDecoding("ENV_B64=" + EncodeBase64(env) + "\n");
  REQUIRE(found.size() == 2);
  CHECK(found[0].offset == found[1].offset);  // the same run
  CHECK(((found[0].secret == a && found[1].secret == b) ||
         (found[0].secret == b && found[1].secret == a)));
}

TEST_CASE("base64 inside base64 is decoded, two levels deep", "[decode]") {
  const std::string token = testing::GithubToken("ghp_", 31);
  const std::string inner = EncodeBase64("{\"token\": \"" + token + "\"}");
  const std::string outer = EncodeBase64("config: " + inner + "\n");
  const auto found = ScanDecoding("value: " + outer);
  REQUIRE(found.size() == 1);
  CHECK(found[0].secret == token);
  CHECK(found[0].offset == 7);
  CHECK(found[0].length == outer.size());
}

TEST_CASE("base64 of binary, short runs and plain findings are left as they were", "[decode]") {
  std::string binary(300, '\0');
  for (size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i * 7);
  CHECK(ScanDecoding("img: " + EncodeBase64(binary)).empty());
  CHECK(ScanDecoding("id: QUJDREVGR0g=").empty());  // 12 characters: under the run length
  const std::string token = testing::GithubToken("ghp_", 41);
  const auto plain = ScanDecoding("t = \"" + token + "\"");  // a token is itself a base64 run
  REQUIRE(plain.size() == 1);
  CHECK(plain[0].secret == token);
  CHECK(plain[0].offset == 5);
}
