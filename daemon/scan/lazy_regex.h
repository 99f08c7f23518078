// LazyRegex: a pattern of a rule (the pattern itself, its capture, an
// allowlist entry) whose first kColdSearches unanchored searches avoid
// building RE2's programs, which cost more than one or two searches:
// - ColdMatcher (scan/cold_matcher.h), built in microseconds, where it takes
//   the pattern (all rule patterns but a handful: unit [cold_matcher] fails
//   below 99%);
// - otherwise `(?s:.*?)(pattern)` anchored at the window's start: the same
//   leftmost-first match, with no reverse program (RE2 builds one to find
//   where an unanchored match starts, ~250 µs the first time).
// Later searches, and one too long for ColdMatcher's visited map, run RE2 on
// the pattern itself, built on first need: once built, its cached DFA is the
// cheapest per search (never switching made a token event's scan 3.7x dearer,
// and an input made of generic findings 9% slower). Every way gives RE2's
// match (unit [cold_matcher], [stage2]).
// Thread-safe; every method is const.
#pragma once

#include <re2/re2.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "scan/cold_matcher.h"

namespace leakd {

class LazyRegex {
 public:
  // Past ~100, a cold search's extra cost outweighs building RE2's programs.
  static constexpr uint32_t kColdSearches = 64;

  LazyRegex(std::string pattern, const RE2::Options& options);

  // The leftmost-first match in text[pos, end) (assertions see all of text),
  // as RE2::Match UNANCHORED: groups[0] the match, groups[1] group 1 when
  // wanted is 2.
  bool Find(std::string_view text, size_t pos, size_t end, re2::StringPiece* groups,
            int wanted) const;
  // Whether the pattern occurs anywhere in text (RE2::PartialMatch).
  bool FoundIn(std::string_view text) const;
  // True once searches run RE2 on the pattern: after kColdSearches of them.
  bool SearchesWarm() const;
  // RE2's program of the pattern, compiled on first call.
  const RE2& re2() const;
  // Empty if every program the searches may use compiles, else RE2's error.
  std::string Error() const;

 private:
  bool FindCold(std::string_view text, size_t pos, size_t end, re2::StringPiece* groups,
                int wanted) const;
  const RE2& anchored() const;  // (?s:.*?)(pattern), for a pattern ColdMatcher refuses

  std::string pattern_;
  RE2::Options options_;
  std::unique_ptr<ColdMatcher> cold_;
  mutable std::once_flag re2_once_, anchored_once_;
  mutable std::unique_ptr<RE2> re2_, anchored_;
  mutable std::atomic<uint32_t> searches_{0};
};

}  // namespace leakd
