#include "scan/quote_search.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace leakd {

// 64 bytes at a time: quotes are rare in most text, one pass for both kinds.
size_t FindQuote(const char* text, size_t from, size_t n) {
  size_t i = from;
#if defined(__SSE2__)
  const __m128i dq = _mm_set1_epi8('"'), sq = _mm_set1_epi8('\'');
  const auto quotes = [&](size_t at) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + at));
    return _mm_or_si128(_mm_cmpeq_epi8(x, dq), _mm_cmpeq_epi8(x, sq));
  };
  for (; i + 64 <= n; i += 64) {
    const __m128i a = quotes(i), b = quotes(i + 16), c = quotes(i + 32), d = quotes(i + 48);
    if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d))) != 0) break;
  }
  for (; i + 16 <= n; i += 16) {
    const int mask = _mm_movemask_epi8(quotes(i));
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  while (i < n && text[i] != '"' && text[i] != '\'') ++i;
  return i;
}

size_t FindStop(const char* text, size_t from, size_t n, char q) {
  size_t i = from;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8(q), slash = _mm_set1_epi8('\\');
  const __m128i newline = _mm_set1_epi8('\n');
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + i));
    const __m128i hits =
        _mm_or_si128(_mm_cmpeq_epi8(x, quote),
                     _mm_or_si128(_mm_cmpeq_epi8(x, slash), _mm_cmpeq_epi8(x, newline)));
    const int mask = _mm_movemask_epi8(hits);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  while (i < n && text[i] != q && text[i] != '\\' && text[i] != '\n') ++i;
  return i;
}

}  // namespace leakd
