// Backslash escapes of code and JSON string literals, one at a time: what
// scan/string_literals.cpp decodes. Pure; any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace leakd {

enum class EscapeKind {
  kNone,          // not an escape: the backslash stands for itself
  kSpace,         // \n \r \t
  kOther,         // \b \f \v \" \' \\ \/ \` \$ \xNN \uXXXX
  kContinuation,  // a backslash before a newline: nothing
};

struct Escape {
  EscapeKind kind = EscapeKind::kNone;
  size_t length = 1;  // source bytes, from the backslash
  std::string bytes;  // what it stands for (\uXXXX: UTF-8; surrogates are no escape)
};

// The escape whose backslash is at text[at] (not the last byte of text).
Escape ReadEscape(std::string_view text, size_t at);

}  // namespace leakd
