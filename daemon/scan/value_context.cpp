#include "scan/value_context.h"

#include <cctype>

#include "common/ascii.h"

namespace leakd {

std::string_view UserOf(std::string_view value, std::string_view context) {
  const size_t at = context.rfind(value);
  if (at == std::string_view::npos || at == 0 || context[at - 1] != ':') {
    return {};
  }
  size_t start = at - 1;
  while (start > 0) {
    const char c = context[start - 1];
    if (c == '/' || c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '=') break;
    --start;
  }
  return context.substr(start, at - 1 - start);
}

std::string WithoutSeparators(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '_' && c != '-' && c != '.') out += c;
  }
  return out;
}

bool RepeatsEarlierToken(std::string_view value, std::string_view context) {
  const size_t last = context.rfind(value);
  auto boundary = [](char c) {
    return std::string_view(" \t\r\n\x22'=:,;").find(c) != std::string_view::npos;
  };
  for (size_t at = context.find(value); at != std::string_view::npos && at < last;
       at = context.find(value, at + 1)) {
    const size_t end = at + value.size();
    if ((at == 0 || boundary(context[at - 1])) &&
        (end == context.size() || boundary(context[end]))) {
      return true;
    }
  }
  return false;
}

std::string KeyBefore(std::string_view value, std::string_view context) {
  const size_t at = context.rfind(value);
  if (at == std::string_view::npos) return {};
  size_t end = at;
  while (end > 0 &&
         std::string_view(" \t\x22'=:>]").find(context[end - 1]) != std::string_view::npos) {
    --end;
  }
  size_t begin = end;
  while (begin > 0 && (IsAsciiIdentifierChar(context[begin - 1]) || context[begin - 1] == '-' ||
                       context[begin - 1] == '.')) {
    --begin;
  }
  return WithoutSeparators(AsciiLower(context.substr(begin, end - begin)));
}

bool IsNonSecretKey(const std::string& key) {
  // One test of "token", then the word before it: no string built per word
  // (this runs for every generic candidate).
  constexpr std::string_view kToken = "token";
  if (!EndsWith(key, kToken)) return false;
  const std::string_view before = std::string_view(key).substr(0, key.size() - kToken.size());
  for (std::string_view prefix :
       {"next",         "page",        "continuation", "client",       "input",
        "output",       "csrf",        "xsrf",         "sync",         "cancel",
        "cancellation", "idempotency", "resumption",   "pagination",   "start",
        "marker",       "request",     "change",       "verification", "starting"}) {
    if (EndsWith(before, prefix)) return true;
  }
  return false;
}

bool IsNamedAfterKey(std::string_view lower, const std::string& key) {
  if (key.empty()) return false;
  if (WithoutSeparators(lower) == key) return true;  // password: Password
  size_t letters = 0;
  while (letters < lower.size() && (std::isalpha(static_cast<unsigned char>(lower[letters])) ||
                                    lower[letters] == '_' || lower[letters] == '-')) {
    ++letters;
  }
  if (letters == lower.size()) return false;  // letters only: other filters judge it
  for (size_t i = letters; i < lower.size(); ++i) {
    if (std::isalpha(static_cast<unsigned char>(lower[i]))) return false;  // token1a2b
  }
  const std::string stem = WithoutSeparators(lower.substr(0, letters));
  // pass123 stays a weak real password, whatever its key.
  if (stem.size() < 4 || stem == "pass") return false;
  if (stem == key) return true;
  for (std::string_view word : {"key", "token", "secret", "id"}) {
    if (key == stem + std::string(word)) return true;  // access_key: access123
  }
  for (std::string_view word : {"token", "secret", "auth"}) {
    if (stem == word && key.size() > stem.size() && EndsWith(key, stem)) {
      return true;  // x_auth_token: token123
    }
  }
  return false;
}

}  // namespace leakd
