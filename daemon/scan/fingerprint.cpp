#include "scan/fingerprint.h"

#include <sodium.h>

#include <algorithm>

namespace leakd {

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  static const char kHex[] = "0123456789abcdef";
  std::string out(2 * sizeof digest, '0');
  for (size_t i = 0; i < sizeof digest; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return out;
}

std::string Redact(std::string_view secret) {
  const size_t shown = std::min<size_t>(5, secret.size() / 4);
  std::string out;
  for (size_t i = 0; i < shown; ++i) {
    const unsigned char c = static_cast<unsigned char>(secret[i]);
    out += (c >= 0x21 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  out += "\xE2\x80\xA6(" + std::to_string(secret.size()) + ")";
  return out;
}

}  // namespace leakd
