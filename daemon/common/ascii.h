// ASCII helpers for matching text in bytes that are not necessarily UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace leakd {

// ASCII only and inline: std::tolower is a locale-aware call per byte, which
// was the top entry of the daemon's profile with a secret in every event
// (keyword context is searched around each finding).
constexpr char AsciiLowerChar(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// A letter, digit or '_' of ASCII: a character of an identifier.
constexpr bool IsAsciiIdentifierChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// `text` begins, or ends, with `part` (byte for byte; C++17 has no
// string_view::starts_with).
constexpr bool StartsWith(std::string_view text, std::string_view part) {
  return text.substr(0, part.size()) == part;
}
constexpr bool EndsWith(std::string_view text, std::string_view part) {
  return text.size() >= part.size() && text.substr(text.size() - part.size()) == part;
}

// The value of an ASCII hex digit (either case), or -1.
constexpr int AsciiHexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// True if `haystack` contains `lower_needle` ignoring ASCII case. The needle
// must already be lowercase (rules lowercase their keywords once, at load).
inline bool ContainsIgnoringCase(std::string_view haystack, std::string_view lower_needle) {
  if (lower_needle.empty()) return true;
  if (lower_needle.size() > haystack.size()) return false;
  const char first = lower_needle[0];
  const size_t last_start = haystack.size() - lower_needle.size();
  for (size_t i = 0; i <= last_start; ++i) {
    if (AsciiLowerChar(haystack[i]) != first) continue;
    size_t j = 1;
    while (j < lower_needle.size() && AsciiLowerChar(haystack[i + j]) == lower_needle[j]) ++j;
    if (j == lower_needle.size()) return true;
  }
  return false;
}

// `text` with ASCII letters lowercased; other bytes unchanged.
inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = AsciiLowerChar(c);
  return out;
}

}  // namespace leakd
