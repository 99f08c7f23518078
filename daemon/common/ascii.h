// ASCII helpers for matching text in bytes that are not necessarily UTF-8.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace leakd {

// True if `haystack` contains `lower_needle` ignoring ASCII case. The needle
// must already be lowercase (rules lowercase their keywords once, at load).
inline bool ContainsIgnoringCase(std::string_view haystack, std::string_view lower_needle) {
  if (lower_needle.empty()) return true;
  auto it =
      std::search(haystack.begin(), haystack.end(), lower_needle.begin(), lower_needle.end(),
                  [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return it != haystack.end();
}

// `text` with ASCII letters lowercased; other bytes unchanged.
inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace leakd
