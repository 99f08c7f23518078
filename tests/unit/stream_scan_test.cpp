#include "scan/stream_scan.h"

#include <catch2/catch.hpp>

#include "scan/fingerprint.h"
#include "test_support.h"

using namespace leakd;
using testing::GithubToken;

namespace {
std::vector<Finding> ScanInPieces(const std::string& text, const std::vector<size_t>& cuts) {
  auto db = testing::SharedDatabase();
  Scanner scanner(db);
  StreamScan stream(*db);
  std::vector<Finding> out;
  size_t from = 0;
  for (size_t cut : cuts) {
    stream.Feed(scanner, std::string_view(text).substr(from, cut - from), &out);
    from = cut;
  }
  stream.Feed(scanner, std::string_view(text).substr(from), &out);
  stream.Finish(scanner, &out);
  return out;
}
}  // namespace

TEST_CASE("a secret split across two pieces is found at every split point", "[stream]") {
  const std::string token = GithubToken("ghp_", 71);
  const std::string text = "header line\nGITHUB_TOKEN=" + token + "\ntrailer\n";
  const size_t start = text.find(token);
  for (size_t cut = start - 2; cut <= start + token.size() + 2; ++cut) {
    INFO("cut at " << cut);
    const auto findings = ScanInPieces(text, {cut});
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].secret == token);
    CHECK(findings[0].offset == start);
  }
}

TEST_CASE("a secret spread over many one-byte pieces is found once", "[stream]") {
  const std::string token = GithubToken("ghs_", 72);
  const std::string text = "x " + token + " y";
  std::vector<size_t> cuts;
  for (size_t i = 1; i < text.size(); ++i) cuts.push_back(i);
  const auto findings = ScanInPieces(text, cuts);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].secret == token);
}

TEST_CASE("a secret ending exactly at the end of the stream is found on Finish", "[stream]") {
  const std::string token = GithubToken("ghp_", 73);
  const auto findings = ScanInPieces("token=" + token, {3});
  REQUIRE(findings.size() == 1);
}

TEST_CASE("stream offsets are absolute across pieces", "[stream]") {
  const std::string a = GithubToken("ghp_", 74), b = GithubToken("ghp_", 75);
  const std::string text = a + std::string(100000, ' ') + b;
  const auto findings = ScanInPieces(text, {30000, 60000, 90000});
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].offset == 0);
  CHECK(findings[1].offset == text.find(b));
}
