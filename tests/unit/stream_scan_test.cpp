#include "scan/stream_scan.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <tuple>

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

// Differences between the stream and block scans found by
// tests/fuzz/stream_block_parity_fuzz (see tests/fuzz/README.md), fixed since.
TEST_CASE("stream and block scans agree when a secret's context is split", "[parity]") {
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
       "key=key-3ax6xnjp29jd6fds4gc373sgvjxteol0 # mailgun\n", 41},
      {"an allow marker later on the line, in the next piece, is not seen",
       "FIGMA_TOKEN=figd_aczYg93H8XuoKXH9SRFN0KD6KyzpdQf_LqwHpeoY # leakd:allow\n", 58},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK(pairs(ScanInPieces(c.text, {c.cut})) == pairs(testing::ScanText(c.text)));
  }
}

namespace {

// Random text built from the pieces that decide a stream/block difference:
// keyword-gated secrets with the keyword before or after them at varying
// distances, allow markers before and after secrets, long and short lines.
std::string RandomText(std::mt19937& rng) {
  const char* hex = "0123456789abcdef";
  auto filler = [&](size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += "abcdefgh ,.=:"[rng() % 13];
    return s;
  };
  // `n` characters of the first `alphabet` of digits, lowercase, uppercase.
  auto run = [&](int n, size_t alphabet) {
    std::string s;
    for (int i = 0; i < n; ++i)
      s += "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[rng() % alphabet];
    return s;
  };
  // mailgun.api-key counts a keyword before or after; ngrok.authtoken is
  // keyword-led, so only one before counts.
  auto gated_key = [&] {
    if (rng() % 2) return "key-" + run(32, 36);  // mailgun
    std::string ngrok = "2" + run(26, 62);
    return ngrok + "_" + run(21, 62);
  };
  std::string text;
  const int parts = 4 + static_cast<int>(rng() % 12);
  for (int i = 0; i < parts; ++i) {
    switch (rng() % 9) {
      case 0:
        text += "\n";
        break;
      case 1:
        text += filler(rng() % 300);
        break;
      case 2:
        text += " " + gated_key() + " ";
        break;
      case 3:
        text += rng() % 2 ? " mailgun " : " ngrok ";
        break;
      case 4:
        text += " " + GithubToken("ghp_", static_cast<unsigned>(rng())) + " ";
        break;
      case 5:
        text += rng() % 2 ? " # leakd:allow " : " // gitleaks:allow ";
        break;
      case 6:
        text += "TWILIO_AUTH_TOKEN=";
        for (int j = 0; j < 32; ++j) text += hex[rng() % 16];
        break;
      case 7:
        text += filler(100 + rng() % 5000);
        break;
      default:
        text += " hf_" + filler(0) + "QbTnVhCkWcPqLzAmXjRyDsEgUoIfBtNvKa ";
        break;
    }
  }
  return text;
}

std::vector<std::tuple<uint64_t, std::string, std::string>> Summary(
    const std::vector<Finding>& findings) {
  std::vector<std::tuple<uint64_t, std::string, std::string>> out;
  for (const auto& f : findings) out.emplace_back(f.offset, f.rule->id, f.secret);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("stream and block scans of the same text agree, wherever the pieces are cut",
          "[stream]") {
  std::mt19937 rng(20240611);
  size_t with_findings = 0;
  for (int round = 0; round < 400; ++round) {
    const std::string text = RandomText(rng);
    const auto whole = Summary(testing::ScanText(text));
    with_findings += !whole.empty();
    std::vector<size_t> cuts;
    if (round % 10 == 0) {
      for (size_t i = 1; i < text.size(); ++i) cuts.push_back(i);  // one-byte pieces
    } else {
      const size_t n = text.empty() ? 0 : rng() % 6;
      for (size_t i = 0; i < n; ++i) cuts.push_back(rng() % (text.size() + 1));
      std::sort(cuts.begin(), cuts.end());
    }
    INFO("round " << round << ", " << cuts.size() << " cuts, " << text.size() << " bytes");
    REQUIRE(Summary(ScanInPieces(text, cuts)) == whole);
  }
  CHECK(with_findings > 100);
}

TEST_CASE("a keyword after the secret, in the next piece, is found", "[stream]") {
  const std::string key = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0";
  const std::string text = "api = " + key + "  # mailgun\n";
  REQUIRE(testing::HasRule(testing::ScanText(text), "mailgun.api-key"));
  const auto findings = ScanInPieces(text, {text.find("mailgun")});
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].secret == key);
}

TEST_CASE("a keyword-led rule's keyword and secret in different pieces are found", "[stream]") {
  // Hyperscan's stream state carries the keyword across the boundary.
  const std::string token = "2OsJtumRqNe8mxho7uL6BxLPrxX_is95TDVvHzPVvuE8q404Sr";
  const std::string text = "# ngrok\n" + std::string(200, ' ') + "authtoken: " + token + "\n";
  REQUIRE(testing::HasRule(testing::ScanText(text), "ngrok.authtoken"));
  for (size_t cut : {size_t{3}, size_t{8}, text.find(token), text.find(token) + 20}) {
    INFO("cut at " << cut);
    const auto findings = ScanInPieces(text, {cut});
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].secret == token);
  }
}

TEST_CASE("leakd:allow after a piece boundary suppresses the finding", "[stream]") {
  const std::string token = GithubToken("ghp_", 81);
  const std::string text = "t = '" + token + "'  # leakd:allow\nnext line\n";
  REQUIRE(testing::ScanText(text).empty());
  CHECK(ScanInPieces(text, {text.find("#")}).empty());
  CHECK(ScanInPieces(text, {text.find(token) + token.size()}).empty());
}

TEST_CASE("the stream keeps a bounded tail whatever the piece sizes", "[stream]") {
  auto db = testing::SharedDatabase();
  Scanner scanner(db);
  StreamScan stream(*db);
  std::vector<Finding> out;
  // One long line with a secret early: it stays undecided until the line ends
  // or kLineLookaround bytes have passed, never longer.
  const std::string line =
      "x " + GithubToken("ghp_", 82) + " " + std::string(3 * Scanner::kLineLookaround, 'y');
  for (int i = 0; i < 50; ++i) {
    for (size_t at = 0; at < line.size(); at += 100) {
      stream.Feed(scanner, std::string_view(line).substr(at, 100), &out);
      REQUIRE(stream.tail_bytes() <= StreamScan::MaxTailBytes(*db));
    }
  }
  stream.Finish(scanner, &out);
  CHECK(out.size() == 50);
}

TEST_CASE("a value that a vertical tab ends is the same whole and in pieces", "[stream]") {
  // Hyperscan counts \v as whitespace and RE2's own \s does not: the two
  // stages disagreed where a value ends, and a cut after the \v lost a
  // finding the whole scan reported (stream/block parity fuzzing).
  const std::string value = "0.751b9318-ec0f-4626-a068-2072840251d7.mSGDgT9Nn64JREeCUV30EPZL2IO";
  const std::string text = "bws secret get --access-token " + value + "\v\"client\": \"p8e\"\n";
  auto db = testing::SharedDatabase();
  Scanner scanner(db);
  std::vector<Finding> whole;
  scanner.Scan(text, &whole);
  REQUIRE(whole.size() == 1);
  CHECK(whole[0].secret == value);
  for (size_t cut = 1; cut < text.size(); ++cut) {
    INFO("cut at " << cut);
    const auto pieces = ScanInPieces(text, {cut});
    REQUIRE(pieces.size() == 1);
    CHECK(pieces[0].secret == value);
    CHECK(pieces[0].offset == whole[0].offset);
  }
}
