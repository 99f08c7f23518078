// Finding runs of the standard base64 alphabet (A-Z a-z 0-9 + /) in text.
// This search reads every byte of every scanned input (scan/decoded_scan.cpp),
// so it classifies 64 bytes at a time (AVX-512 where the CPU has it, SSE2
// otherwise), each byte once, and only looks closer at runs long enough to
// matter. Pure; one finder per thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace leakd {

inline constexpr size_t kMaxBase64RunMinimum = 48;

// The maximal runs of at least `min_length` (1 to kMaxBase64RunMinimum)
// base64 characters in [begin, end), in order. A run starts at `begin` or
// after a character outside the alphabet.
class Base64RunFinder {
 public:
  // How bytes are classified: the widest vectors the CPU has, or SSE2 (also
  // the fallback where AVX-512 is missing); both give the same runs.
  enum class Lanes { kWidest, kSse2 };

  Base64RunFinder(const char* begin, const char* end, size_t min_length,
                  Lanes lanes = Lanes::kWidest);

  // The next run: its start, with *stop set past its last character. Null
  // when there is none left.
  const char* Next(const char** stop);

 private:
  using MaskFunction = uint64_t (*)(const char*);

  // Bit i: begin_[at + i] is in the alphabet; bytes at or past the end are not.
  uint64_t MaskAt(size_t at) const;
  // Moves on to the next 64 bytes.
  void Advance();
  // The offset of the first byte at or after `from` outside the alphabet (or
  // the end); leaves the finder on the block that holds it, the bits before
  // it consumed.
  size_t RunEnd(size_t from);

  // Offsets, not pointers: the blocks looked at run past the end.
  const char* const begin_;
  const size_t size_;
  const size_t min_length_;
  const MaskFunction mask_;
  size_t at_ = 0;          // the block whose alphabet bits are here_
  uint64_t here_ = 0;      // of [at_, at_ + 64)
  uint64_t next_ = 0;      // of the 64 bytes after
  uint64_t consumed_ = 0;  // bits of here_ before the end of the last reported run
};

}  // namespace leakd
