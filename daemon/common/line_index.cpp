#include "common/line_index.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace leakd {

// Byte counters per lane, emptied before they can overflow (255 steps): the
// compiler turns the inner loop into wide compares and adds, several times
// faster than a movemask and popcount per 16 bytes.
uint64_t CountNewlines(const char* p, const char* end) {
  constexpr size_t kLanes = 32;
  constexpr size_t kStretch = 255 * kLanes;
  uint64_t count = 0;
  while (p < end) {
    const size_t n = std::min<size_t>(static_cast<size_t>(end - p), kStretch);
    uint8_t lanes[kLanes] = {};
    size_t i = 0;
    for (; i + kLanes <= n; i += kLanes) {
      for (size_t k = 0; k < kLanes; ++k) lanes[k] += p[i + k] == '\n';
    }
    for (size_t k = 0; k < kLanes; ++k) count += lanes[k];
    for (; i < n; ++i) count += p[i] == '\n';
    p += n;
  }
  return count;
}

TextPosition LineIndex::At(uint64_t offset) {
  offset = std::min<uint64_t>(offset, text_.size());
  // The last checkpoint at or before `offset` (the first one is at 0).
  auto after = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), offset,
                                [](uint64_t o, const Checkpoint& c) { return o < c.offset; });
  const Checkpoint from = *(after - 1);
  const char* base = text_.data();
  const uint64_t newlines = CountNewlines(base + from.offset, base + offset);
  uint64_t line_start = from.line_start;
  if (newlines > 0) {
    // The last newline before `offset` ends the line before ours.
    const void* last = memrchr(base + from.offset, '\n', offset - from.offset);
    line_start = static_cast<uint64_t>(static_cast<const char*>(last) - base) + 1;
  }
  const Checkpoint here{offset, from.line + newlines, line_start};
  if (here.offset != from.offset) checkpoints_.insert(after, here);
  return {here.line, offset - here.line_start + 1};
}

}  // namespace leakd
