// A rule's pattern as RE2 must read it to match what Hyperscan matches.
// Hyperscan (PCRE's syntax) counts the vertical tab as whitespace; RE2's `\s`
// is [\t\n\f\r ] without it. Stage 1 (Hyperscan) and stage 2 (RE2) then
// disagree about where a value like `[^\s"']{8,128}` ends when a \v follows
// it, and whole and chunked scans of the same bytes reported different
// findings (stream/block parity fuzzing). Every `\s` becomes [[:space:]] and
// every `\S` [^[:space:]] (inside a class: [:space:], [:^space:]), RE2's
// POSIX space class, which holds the vertical tab. Nothing else changes.
// Pure; any thread.
#pragma once

#include <string>
#include <string_view>

namespace leakd {

std::string Re2Dialect(std::string_view pattern);

}  // namespace leakd
