#include "common/clip_text.h"

namespace leakd {

std::string ClipText(std::string_view value, size_t max) {
  if (value.size() <= max) return std::string(value);
  size_t cut = max - 3;
  // Back to the start of the character the cut falls in (continuation bytes are 10xxxxxx).
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return std::string(value.substr(0, cut)) + "\xE2\x80\xA6";
}

}  // namespace leakd
