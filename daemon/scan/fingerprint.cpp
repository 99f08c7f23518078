#include "scan/fingerprint.h"

#include <algorithm>

namespace leakd {

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
