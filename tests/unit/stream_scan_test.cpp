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

// Known differences between the stream and block scans, found by
// tests/fuzz/stream_block_parity_fuzz (see tests/fuzz/README.md). Hidden ([.])
// until the engine is fixed: run with `leakd_unit_tests "[parity]"`.
TEST_CASE("stream and block scans agree when a secret's context is split", "[.][parity]") {
  const auto pairs = [](const std::vector<Finding>& findings) {
    std::vector<std::pair<uint64_t, std::string>> out;
    for (const auto& f : findings) out.emplace_back(f.offset, f.secret);
    return out;
  };
  struct Case {
    const char* what;
    std::string text;
    size_t cut;
  };
  const std::vector<Case> cases = {
      {"a variable-length secret cut at the piece boundary is reported twice",
       "\"token\": \"glc_Egm0iKC62aPLgaaNXpT08LqMEO+8VANSKHyrLMmVJCw9V6qnL2epUOsw2e7sw5yeA2a1ur6BR"
       "puroobI\"",
       52},
      {"a keyword after the secret, in the next piece, is not seen: the secret is missed",
       "key=sk_1dcac822b1551e46f4422d58b5b8d5fd208c70ebdab49f72 # elevenlabs\n", 56},
      {"an allow marker later on the line, in the next piece, is not seen",
       "FIGMA_TOKEN=figd_aczYg93H8XuoKXH9SRFN0KD6KyzpdQf_LqwHpeoY # leakd:allow\n", 58},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK(pairs(ScanInPieces(c.text, {c.cut})) == pairs(testing::ScanText(c.text)));
  }
}
