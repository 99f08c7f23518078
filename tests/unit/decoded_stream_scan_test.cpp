// DecodedStreamScan: the decoders over a chunked input find what
// ScanWithDecoding finds in the whole input, once each, wherever the chunks
// are cut.
#include "scan/decoded_stream_scan.h"

#include <catch2/catch.hpp>
#include <set>
#include <tuple>

#include "common/base64.h"
#include "decoded_stream_feeder.h"
#include "scan/decoded_scan.h"
#include "scan/stream_scan.h"
#include "scan/string_literals.h"
#include "test_keys.h"
#include "test_support.h"

using namespace leakd;

namespace {

using Key = std::tuple<uint64_t, uint32_t, std::string>;  // offset, length, fingerprint

// Findings whose secret is not the bytes at their place: the decoded ones.
std::vector<Key> Decoded(const std::string& text, const std::vector<Finding>& findings) {
  std::vector<Key> keys;
  for (const auto& f : findings) {
    if (text.compare(f.offset, f.length, f.secret) != 0) {
      keys.emplace_back(f.offset, f.length, f.fingerprint);
    }
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

using Decoder = testing::DecodedStreamFeeder;

// The plain stream scan and the decoders over `text` cut into `piece` bytes
// (each followed by an empty one if `empties`).
std::vector<Finding> ScanInPieces(const std::string& text, size_t piece, bool empties = false) {
  auto db = testing::SharedDatabase();
  Scanner scanner(db);
  StreamScan stream(*db);
  Decoder decoded;
  std::vector<Finding> all;
  for (size_t at = 0; at < text.size(); at += piece) {
    const std::string_view bytes = std::string_view(text).substr(at, piece);
    const bool last = at + piece >= text.size();
    std::vector<Finding> plain;
    stream.Feed(scanner, bytes, &plain);
    if (last) stream.Finish(scanner, &plain);
    if (empties) decoded.Feed(scanner, {}, false, {}, &all);
    decoded.Feed(scanner, bytes, last, plain, &all);
    all.insert(all.end(), plain.begin(), plain.end());
  }
  return all;
}

std::string Filler(size_t bytes) {
  std::string s;
  while (s.size() < bytes) s += "    total += step  # running total, \"quoted\" and 'single'\n";
  return s;
}

// A Kubernetes Secret (base64), a service-account JSON (an escaped PEM key)
// and a token cut into two literals, with filler before, between and after.
std::string EncodedSecrets() {
  const auto key = testing::NewEcKey("P-384");
  std::string pem = testing::PrivatePem(key.get(), "PrivateKeyInfo"), escaped;
  for (char c : pem) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  const std::string token = testing::GithubToken("ghp_", 31);
  return Filler(20000) +
         "kind: Secret\ndata:\n  GITHUB_TOKEN: " + EncodeBase64(testing::GithubToken("ghp_", 32)) +
         "\n" + Filler(9000) + "{\"type\": \"service_account\", \"private_key\": \"" + escaped +
         "\"}\n" + Filler(3000) + "token = \"" + token.substr(0, 12) + "\" + \"" +
         token.substr(12) + "\"\n" + Filler(100);
}

}  // namespace

TEST_CASE("decoding a chunked input finds what decoding it whole finds, once, at every cut",
          "[decode]") {
  const std::string text = EncodedSecrets();
  std::vector<Finding> whole;
  Scanner scanner(testing::SharedDatabase());
  ScanWithDecoding(scanner, text, &whole);
  const auto expected = Decoded(text, whole);
  REQUIRE(expected.size() == 3);
  for (size_t piece : {97, 1000, 4096, 8191, 20000, 65536}) {
    INFO("pieces of " << piece << " bytes");
    const auto got = Decoded(text, ScanInPieces(text, piece));
    CHECK(got == expected);  // the same findings, none twice
  }
}

TEST_CASE("a decoded finding near the end of what came waits for more or for the end", "[decode]") {
  const std::string token = testing::GithubToken("ghp_", 41);
  const std::string line = "GITHUB_TOKEN_B64=" + EncodeBase64(token) + "\n";
  Scanner scanner(testing::SharedDatabase());
  Decoder decoded;
  std::vector<Finding> out;
  decoded.Feed(scanner, line, /*last=*/false, {}, &out);
  CHECK(out.empty());  // the run may go on in the next piece
  decoded.Feed(scanner, Filler(DecodedStreamScan::kSettle), false, {}, &out);
  REQUIRE(out.size() == 1);  // far enough from the end now
  CHECK(out[0].secret == token);
  CHECK(out[0].offset == line.find('=') + 1);
  decoded.Feed(scanner, "tail\n", /*last=*/true, {}, &out);
  CHECK(out.size() == 1);  // not again
}

TEST_CASE("a base64 run cut by the end of a piece is not decoded as its first half", "[decode]") {
  // The first half of the run decodes to the token's first half plus text:
  // nothing may be reported until the run is whole.
  const std::string token = testing::GithubToken("ghp_", 51);
  const std::string env = "A=" + token + "\nB=" + testing::GithubToken("gho_", 52) + "\n";
  const std::string text = "ENV=" + EncodeBase64(env) + "\n";
  for (size_t cut = 5; cut + 4 < text.size(); cut += 3) {
    const auto got = Decoded(text, ScanInPieces(text, cut));
    INFO("cut every " << cut << " bytes");
    CHECK(got.size() == 2);
  }
}

namespace {

// One minified line: many short literals, then an escaped PEM key in the
// middle of a literal that starts and ends more than a window away from it,
// then a token cut into two literals, then more literals.
std::string LongLineSecrets() {
  const auto key = testing::NewEcKey("P-256");
  std::string pem = testing::PrivatePem(key.get(), "PrivateKeyInfo"), escaped;
  for (char c : pem) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  std::string line = "{";
  for (int i = 0; line.size() < 3 * DecodedStreamScan::kWindow; ++i) {
    line += "\"k" + std::to_string(i) + "\":\"v, 'x' " + std::to_string(i) + "\",";
  }
  line += "\"readme\":\"";
  const auto prose = [&line](size_t bytes) {
    for (const size_t to = line.size() + bytes; line.size() < to;) line += "Some text, a\\tb; ";
  };
  prose(DecodedStreamScan::kWindow + 3000);
  line += escaped;
  prose(DecodedStreamScan::kWindow + 3000);
  line += " end\",\"token\":\"" + testing::GithubToken("ghp_", 61).substr(0, 10) + "\" + \"" +
          testing::GithubToken("ghp_", 61).substr(10) + "\"";
  for (int i = 0; i < 2000; ++i) line += ",\"t" + std::to_string(i) + "\":\"w\"";
  return line + "}";
}

}  // namespace

TEST_CASE("literals on a line longer than the window are read in step, at every cut", "[decode]") {
  const std::string text = LongLineSecrets();
  REQUIRE(text.find('\n') == std::string::npos);
  std::vector<Finding> whole;
  Scanner scanner(testing::SharedDatabase());
  ScanWithDecoding(scanner, text, &whole);
  const auto expected = Decoded(text, whole);
  REQUIRE(expected.size() == 2);  // the key and the joined token
  for (size_t piece : {97, 1000, 1021, 4096, 8191, 8193, 20000, 65536}) {
    INFO("pieces of " << piece << " bytes");
    CHECK(Decoded(text, ScanInPieces(text, piece)) == expected);
  }
  // An empty piece (a hostile or odd sender) moves nothing: the state stays.
  CHECK(Decoded(text, ScanInPieces(text, 4096, /*empties=*/true)) == expected);
}

TEST_CASE("a literal over 64 KiB in a chunked upload gives what decoding it whole gives",
          "[decode]") {
  // The escaped key sits across the end of the literal's first part (see
  // string_literals.h); pieces that hold the whole literal read it in parts,
  // smaller ones carry it from window to window.
  const auto key = testing::NewEcKey("P-256");
  std::string pem = testing::PrivatePem(key.get(), "PrivateKeyInfo"), escaped;
  for (char c : pem) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  const std::string head = "{\"file\":\"";
  std::string text = head;
  while (text.size() < head.size() + kMaxLiteralBytes - 100) text += "let x = y;\\n";
  text += escaped;
  while (text.size() < 200 * 1024) text += "let x = y;\\n";
  text += "\"}\n";
  std::vector<Finding> whole;
  Scanner scanner(testing::SharedDatabase());
  ScanWithDecoding(scanner, text, &whole);
  const auto expected = Decoded(text, whole);
  REQUIRE(expected.size() == 1);  // the key, with its real newlines
  for (size_t piece : {size_t{20000}, size_t{65536}, size_t{300000}, size_t{512 * 1024}}) {
    INFO("pieces of " << piece << " bytes");
    CHECK(Decoded(text, ScanInPieces(text, piece)) == expected);
  }
}
