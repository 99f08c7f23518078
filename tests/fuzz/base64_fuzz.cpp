// Base64: decoding hostile text and the encode/decode round trip.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/base64.h"
#include "fuzz_support.h"

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);

  // Any bytes encode, and decode back to themselves with either alphabet.
  const std::string encoded = leakd::EncodeBase64(in);
  FUZZ_CHECK(encoded.size() == (size + 2) / 3 * 4, "encoded length");
  const auto back = leakd::DecodeBase64(encoded);
  FUZZ_CHECK(back && *back == in, "standard round trip");
  std::string url = encoded;
  for (char& c : url) c = c == '+' ? '-' : c == '/' ? '_' : c;
  const auto url_back = leakd::DecodeBase64Url(url);
  FUZZ_CHECK(url_back && *url_back == in, "URL-safe round trip");
  // Padding is optional.
  std::string unpadded = encoded;
  while (!unpadded.empty() && unpadded.back() == '=') unpadded.pop_back();
  const auto unpadded_back = leakd::DecodeBase64(unpadded);
  FUZZ_CHECK(unpadded_back && *unpadded_back == in, "unpadded round trip");

  // The input as base64 text: what decodes has the length its symbols say.
  const auto decoded = leakd::DecodeBase64(in);
  size_t symbols = 0, pads = 0;
  bool only_alphabet = true, has_std = false, has_url = false;
  for (char c : in) {
    if (IsSpace(c)) continue;
    if (c == '=') {
      ++pads;
      continue;
    }
    const bool letter_digit =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    has_std |= c == '+' || c == '/';
    has_url |= c == '-' || c == '_';
    if (letter_digit || c == '+' || c == '/' || c == '-' || c == '_') {
      ++symbols;
    } else {
      only_alphabet = false;
    }
  }
  if (decoded) {
    FUZZ_CHECK(only_alphabet && !has_url, "accepted a byte outside the standard alphabet");
    FUZZ_CHECK(symbols % 4 != 1, "accepted a dangling symbol");
    FUZZ_CHECK(pads <= 2, "accepted more than two pads");
    FUZZ_CHECK(decoded->size() == symbols * 6 / 8, "decoded length");
    // Re-encoding and decoding again is stable.
    const auto again = leakd::DecodeBase64(leakd::EncodeBase64(*decoded));
    FUZZ_CHECK(again && *again == *decoded, "re-encode");
  }
  if (!only_alphabet) FUZZ_CHECK(!decoded, "decoded text with a foreign byte");

  // The two alphabets agree on text that uses neither alphabet's own symbols.
  if (!has_std && !has_url) {
    const auto url_decoded = leakd::DecodeBase64Url(in);
    FUZZ_CHECK(decoded.has_value() == url_decoded.has_value(), "alphabets disagree on acceptance");
    if (decoded) FUZZ_CHECK(*decoded == *url_decoded, "alphabets disagree on bytes");
  }
  return 0;
}
