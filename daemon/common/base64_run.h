// Finding runs of the standard base64 alphabet (A-Z a-z 0-9 + /) in text.
// This search reads every byte of every scanned input (scan/decoded_scan.cpp),
// so it looks at 64 bytes at a time (SSE2 where the compiler targets it) and
// only at runs long enough to matter. Pure; any thread.
#pragma once

#include <cstddef>

namespace leakd {

inline constexpr size_t kMaxBase64RunMinimum = 48;

// The first maximal run of at least `min_length` base64 characters in
// [p, end), where a run starts at `p` or after a character outside the
// alphabet: its start, with *run_end set past its last character. Null when
// there is none. `min_length` is 1 to kMaxBase64RunMinimum.
const char* FindBase64Run(const char* p, const char* end, size_t min_length, const char** run_end);

}  // namespace leakd
