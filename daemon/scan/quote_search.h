// The byte searches the string-literal reader (scan/string_literals.h) spends
// its time in: the next quote of either kind, and inside a literal the next
// byte that ends a plain run. Sixteen bytes at a time where SSE2 is there.
// Pure; any thread.
#pragma once

#include <cstddef>

namespace leakd {

// The first quote (either kind) of text[from, n), n if none.
size_t FindQuote(const char* text, size_t from, size_t n);

// The first of text[from, n) that is the quote `q`, a backslash or a
// newline; n if none.
size_t FindStop(const char* text, size_t from, size_t n, char q);

}  // namespace leakd
