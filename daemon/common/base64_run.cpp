#include "common/base64_run.h"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace leakd {
namespace {

constexpr size_t kBlock = 64;

#if defined(__SSE2__)
// Bit i: p[i] is in the alphabet, for 16 bytes.
uint64_t Mask16(const char* p) {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const auto range = [](__m128i v, char lo, char hi) {
    return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(lo - 1))),
                         _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(hi + 1))));
  };
  // x | 0x20 is in a-z exactly when x is in A-Z or a-z; '/' to '9' is / and 0-9.
  const __m128i letters = range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 'z');
  const __m128i digits = range(x, '/', '9');
  const __m128i plus = _mm_cmpeq_epi8(x, _mm_set1_epi8('+'));
  return static_cast<uint32_t>(
      _mm_movemask_epi8(_mm_or_si128(letters, _mm_or_si128(digits, plus))));
}

// Bit i: p[i] is in the alphabet, for kBlock bytes.
uint64_t Mask(const char* p) {
  return Mask16(p) | Mask16(p + 16) << 16 | Mask16(p + 32) << 32 | Mask16(p + 48) << 48;
}
#else
bool InAlphabet(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

uint64_t Mask(const char* p) {
  uint64_t m = 0;
  for (size_t i = 0; i < kBlock; ++i) m |= uint64_t{InAlphabet(p[i])} << i;
  return m;
}
#endif

// The mask of the kBlock bytes at p, bytes at or past `end` outside the alphabet.
uint64_t MaskAt(const char* p, const char* end) {
  if (static_cast<size_t>(end - p) >= kBlock) return Mask(p);
  char tail[kBlock] = {};
  std::memcpy(tail, p, static_cast<size_t>(end - p));
  return Mask(tail);
}

// Bit i: bits i to i + length - 1 of m are all set.
uint64_t RunsOf(uint64_t m, size_t length) {
  size_t have = 1;
  for (; have * 2 <= length; have *= 2) m &= m >> have;
  return m & (m >> (length - have));
}

}  // namespace

const char* FindBase64Run(const char* p, const char* end, size_t min_length, const char** run_end) {
  // Every run of min_length lies whole in one of the windows [w, w + kBlock)
  // taken every kBlock - min_length + 1 bytes; the first set bit of the first
  // window that holds one is the start of the first such maximal run (the
  // byte before it is outside the alphabet, or before p).
  const size_t stride = kBlock - min_length + 1;
  for (const char* w = p; w < end; w += stride) {
    const uint64_t starts = RunsOf(MaskAt(w, end), min_length);
    if (starts == 0) continue;
    const char* start = w + __builtin_ctzll(starts);
    const char* q = start + min_length;
    while (q < end) {
      const uint64_t outside = ~MaskAt(q, end);  // never 0 past `end`
      if (outside == 0) {
        q += kBlock;
        continue;
      }
      q += __builtin_ctzll(outside);
      break;
    }
    *run_end = q < end ? q : end;
    return start;
  }
  *run_end = end;
  return nullptr;
}

}  // namespace leakd
