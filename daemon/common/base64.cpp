#include "common/base64.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace leakd {
namespace {

constexpr int8_t kInvalid = -1;
constexpr int8_t kSkip = -2;
constexpr int8_t kPad = -3;

std::array<int8_t, 256> MakeTable(char c62, char c63) {
  std::array<int8_t, 256> t{};
  t.fill(kInvalid);
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  for (int i = 0; i < 62; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
  t[static_cast<unsigned char>(c62)] = 62;
  t[static_cast<unsigned char>(c63)] = 63;
  for (char c : {' ', '\t', '\r', '\n'}) t[static_cast<unsigned char>(c)] = kSkip;
  t['='] = kPad;
  return t;
}

std::optional<std::string> Decode(std::string_view in, const std::array<int8_t, 256>& table) {
  std::string out;
  out.reserve(in.size() / 4 * 3 + 3);
  uint32_t acc = 0;
  int bits = 0;
  size_t symbols = 0;  // data symbols seen
  size_t pads = 0;
  for (unsigned char c : in) {
    const int8_t v = table[c];
    if (v == kSkip) continue;
    if (v == kInvalid) return std::nullopt;
    if (v == kPad) {
      ++pads;
      continue;
    }
    if (pads > 0) return std::nullopt;  // data after padding
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    ++symbols;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (symbols % 4 == 1) return std::nullopt;  // 6 dangling bits cannot encode a byte
  if (pads > 2 || (pads > 0 && (symbols + pads) % 4 != 0)) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::string> DecodeBase64(std::string_view in) {
  static const auto table = MakeTable('+', '/');
  return Decode(in, table);
}

std::string EncodeBase64(std::string_view in) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (size_t i = 0; i < in.size(); i += 3) {
    const size_t n = std::min<size_t>(3, in.size() - i);
    uint32_t v = static_cast<uint32_t>(static_cast<uint8_t>(in[i])) << 16;
    if (n > 1) v |= static_cast<uint32_t>(static_cast<uint8_t>(in[i + 1])) << 8;
    if (n > 2) v |= static_cast<uint8_t>(in[i + 2]);
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += n > 1 ? table[(v >> 6) & 63] : '=';
    out += n > 2 ? table[v & 63] : '=';
  }
  return out;
}

std::optional<std::string> DecodeBase64Url(std::string_view in) {
  static const auto table = MakeTable('-', '_');
  return Decode(in, table);
}

}  // namespace leakd
