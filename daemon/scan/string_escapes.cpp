#include "scan/string_escapes.h"

#include "common/ascii.h"

namespace leakd {
namespace {

// `count` hex digits at text[at...], or -1.
long ReadHex(std::string_view text, size_t at, size_t count) {
  if (at + count > text.size()) return -1;
  long value = 0;
  for (size_t i = 0; i < count; ++i) {
    const int digit = AsciiHexValue(text[at + i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

void AppendUtf8(long cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

Escape ReadEscape(std::string_view text, size_t at) {
  const char c = text[at + 1];
  switch (c) {
    case 'n':
      return {EscapeKind::kSpace, 2, "\n"};
    case 'r':
      return {EscapeKind::kSpace, 2, "\r"};
    case 't':
      return {EscapeKind::kSpace, 2, "\t"};
    case 'b':
      return {EscapeKind::kOther, 2, "\b"};
    case 'f':
      return {EscapeKind::kOther, 2, "\f"};
    case 'v':
      return {EscapeKind::kOther, 2, "\v"};
    case '"':
    case '\'':
    case '\\':
    case '/':
    case '`':
    case '$':
      return {EscapeKind::kOther, 2, std::string(1, c)};
    case '\n':
      return {EscapeKind::kContinuation, 2, ""};
    case '\r':
      if (at + 2 < text.size() && text[at + 2] == '\n') return {EscapeKind::kContinuation, 3, ""};
      break;
    case 'x': {
      const long value = ReadHex(text, at + 2, 2);
      if (value >= 0) return {EscapeKind::kOther, 4, std::string(1, static_cast<char>(value))};
      break;
    }
    case 'u': {
      const long value = ReadHex(text, at + 2, 4);
      if (value >= 0 && (value < 0xD800 || value > 0xDFFF)) {
        Escape e{EscapeKind::kOther, 6, ""};
        AppendUtf8(value, &e.bytes);
        return e;
      }
      break;
    }
    default:
      break;
  }
  return {};  // not an escape: the backslash stands for itself
}

}  // namespace leakd
