#include "common/line_index.h"

#include <algorithm>
#include <cstring>

namespace leakd {

TextPosition LineIndex::At(uint64_t offset) {
  offset = std::min<uint64_t>(offset, text_.size());
  while (scanned_ < offset) {
    const void* nl = std::memchr(text_.data() + scanned_, '\n', text_.size() - scanned_);
    if (!nl) {
      scanned_ = text_.size();
      break;
    }
    const uint64_t at = static_cast<uint64_t>(static_cast<const char*>(nl) - text_.data());
    line_starts_.push_back(at + 1);
    scanned_ = at + 1;
  }
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const uint64_t line = static_cast<uint64_t>(it - line_starts_.begin());
  return {line, offset - line_starts_[line - 1] + 1};
}

}  // namespace leakd
