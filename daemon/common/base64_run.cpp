#include "common/base64_run.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LEAKD_HAVE_AVX512_PATH 1
#include <immintrin.h>
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
uint64_t MaskSse2(const char* p) {
  return Mask16(p) | Mask16(p + 16) << 16 | Mask16(p + 32) << 32 | Mask16(p + 48) << 48;
}
#else
bool InAlphabet(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

uint64_t MaskSse2(const char* p) {  // no SSE2 target: byte by byte
  uint64_t m = 0;
  for (size_t i = 0; i < kBlock; ++i) m |= uint64_t{InAlphabet(p[i])} << i;
  return m;
}
#endif

#if defined(LEAKD_HAVE_AVX512_PATH)
// The same classification, 64 bytes in one register; a range test is one
// unsigned compare of x - lo against hi - lo.
__attribute__((target("avx512bw"))) uint64_t MaskAvx512(const char* p) {
  const __m512i x = _mm512_loadu_si512(p);
  const __m512i lower = _mm512_or_si512(x, _mm512_set1_epi8(0x20));
  const __mmask64 letters =
      _mm512_cmple_epu8_mask(_mm512_sub_epi8(lower, _mm512_set1_epi8('a')), _mm512_set1_epi8(25));
  const __mmask64 digits =
      _mm512_cmple_epu8_mask(_mm512_sub_epi8(x, _mm512_set1_epi8('/')), _mm512_set1_epi8(10));
  const __mmask64 plus = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('+'));
  return letters | digits | plus;
}
#endif

uint64_t (*WidestMask())(const char*) {
#if defined(LEAKD_HAVE_AVX512_PATH)
  static const bool avx512 = __builtin_cpu_supports("avx512bw");
  if (avx512) return &MaskAvx512;
#endif
  return &MaskSse2;
}

// Bit i: bytes i to i + length - 1 of the 128 bits (hi:lo) are all in the
// alphabet, for the 64 positions of lo (length at most 65: every bit it
// needs is inside hi).
uint64_t LongRunStarts(uint64_t lo, uint64_t hi, size_t length) {
  size_t have = 1;  // bit i of lo (and hi): `have` bits from i on are set
  for (; have * 2 <= length; have *= 2) {
    lo &= lo >> have | hi << (kBlock - have);
    hi &= hi >> have;
  }
  const size_t rest = length - have;
  if (rest != 0) lo &= lo >> rest | hi << (kBlock - rest);
  return lo;
}

}  // namespace

Base64RunFinder::Base64RunFinder(const char* begin, const char* end, size_t min_length, Lanes lanes)
    : begin_(begin),
      size_(static_cast<size_t>(end - begin)),
      min_length_(min_length),
      mask_(lanes == Lanes::kSse2 ? &MaskSse2 : WidestMask()) {
  here_ = MaskAt(0);
  next_ = MaskAt(kBlock);
}

uint64_t Base64RunFinder::MaskAt(size_t at) const {
  if (at >= size_) return 0;
  if (size_ - at >= kBlock) return mask_(begin_ + at);
  char tail[kBlock] = {};  // NUL is outside the alphabet
  std::memcpy(tail, begin_ + at, size_ - at);
  return mask_(tail);
}

void Base64RunFinder::Advance() {
  at_ += kBlock;
  here_ = next_;
  next_ = MaskAt(at_ + kBlock);
  consumed_ = 0;
}

size_t Base64RunFinder::RunEnd(size_t from) {
  while (at_ + kBlock <= from) Advance();
  uint64_t outside = ~here_ & (~uint64_t{0} << (from - at_));
  while (outside == 0) {  // a run longer than a block: each block is classified once
    Advance();
    outside = ~here_;
  }
  const size_t stop = std::min(at_ + static_cast<size_t>(__builtin_ctzll(outside)), size_);
  consumed_ = (uint64_t{1} << (stop - at_)) - 1;  // stop - at_ < 64: a clear bit of here_
  return stop;
}

const char* Base64RunFinder::Next(const char** stop) {
  // The first long start not consumed is the start of a maximal run: had the
  // byte before it been in the alphabet, that byte would start a long window
  // too, and be found first (bytes of a reported run end in a byte outside).
  while (at_ < size_) {
    const uint64_t starts = LongRunStarts(here_, next_, min_length_) & ~consumed_;
    if (starts != 0) {
      const size_t start = at_ + static_cast<size_t>(__builtin_ctzll(starts));
      *stop = begin_ + RunEnd(start + min_length_);
      return begin_ + start;
    }
    Advance();
  }
  *stop = begin_ + size_;
  return nullptr;
}

}  // namespace leakd
