#include "common/json_text.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>

using namespace leakd;

namespace {
std::string Nlohmann(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
std::string Direct(const std::string& text) {
  std::string out;
  AppendJsonString(text, &out);
  return out;
}
}  // namespace

TEST_CASE("JSON strings are written byte for byte as nlohmann's dump writes them", "[json]") {
  const std::vector<std::string> cases = {
      "",
      "plain",
      "quote \" backslash \\ slash /",
      std::string("\x00\x01\x1f\x7f", 4),
      "\b\f\n\r\t",
      "caf\xC3\xA9 \xE2\x80\xA8 \xF0\x9F\x94\x91",  // é, U+2028, an emoji
      "\xC3",                                       // cut sequence
      "\xC0\xAF \xE0\x80\xAF",                      // overlong forms
      "\xED\xA0\x80",                               // a surrogate
      "\xF4\x90\x80\x80",                           // above U+10FFFF
      "ok \xFF\xFE then \"quoted\\\" \x01",         // invalid bytes among escapes
  };
  for (const auto& text : cases) CHECK(Direct(text) == Nlohmann(text));
}

TEST_CASE("JSON strings match nlohmann's on random bytes", "[json]") {
  std::mt19937 rng(7);
  // Bytes drawn mostly from the interesting ones: controls, quotes, UTF-8 lead
  // and continuation bytes, invalid bytes.
  const std::string alphabet = std::string("\x00\x01\x1f \"\\/aZ\x7f", 11) +
                               "\x80\xBF\xC2\xC3\xDF\xE0\xED\xEF\xF0\xF4\xF5\xFF\xA0\x9F\x90\x8F";
  for (int i = 0; i < 20000; ++i) {
    std::string text(rng() % 12, ' ');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    REQUIRE(Direct(text) == Nlohmann(text));
  }
}

TEST_CASE("a byte that must be escaped is found at every position of a plain text", "[json]") {
  // The plain-text check runs in vector lanes: each byte that changes the
  // output (and the printable bytes next to them) at every position of texts
  // around the lane widths, so a lane or tail that skips a byte fails here.
  static const char kBytes[] = "\x00\x1f\"\\\x80\xff\xc3\x7f \x21\x23\x5b\x5d~";
  const std::string bytes(kBytes, sizeof kBytes - 1);
  for (size_t size = 1; size <= 70; ++size) {
    for (size_t at = 0; at < size; ++at) {
      for (const char b : bytes) {
        std::string text(size, 'a');
        text[at] = b;
        REQUIRE(Direct(text) == Nlohmann(text));
      }
    }
  }
}

TEST_CASE("UTF-8 validity follows RFC 3629", "[json]") {
  CHECK(IsValidUtf8("abc \xC3\xA9 \xEF\xBF\xBD \xF0\x9F\x94\x91"));
  CHECK_FALSE(IsValidUtf8("\xC3"));
  CHECK_FALSE(IsValidUtf8("\xC0\x80"));
  CHECK_FALSE(IsValidUtf8("\xED\xBF\xBF"));
  CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));
}

TEST_CASE("JSON numbers are written in decimal", "[json]") {
  std::string out;
  AppendJsonNumber(uint64_t{18446744073709551615u}, &out);
  out += ',';
  AppendJsonNumber(int64_t{-9223372036854775807 - 1}, &out);
  CHECK(out == "18446744073709551615,-9223372036854775808");
}
