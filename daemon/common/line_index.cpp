#include "common/line_index.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace leakd {

uint64_t CountNewlines(const char* p, const char* end) {
  uint64_t count = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  for (; end - p >= 16; p += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    count += static_cast<uint64_t>(__builtin_popcount(
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, newline)))));
  }
#endif
  for (; p < end; ++p) count += *p == '\n';
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
