// LazyRegex: a rule's small pattern (its capture, an allowlist entry). Its
// first kColdSearches searches run ColdMatcher when that takes the pattern;
// later ones, a pattern it refuses and a text too long for it, RE2, built on
// first need. A `leakd scan` of a file where the generic rules fire once built
// a dozen RE2 programs for their allowlists before the first finding;
// ColdMatcher builds them in microseconds, but once built, RE2's cached DFA is
// cheaper per search (an input made of findings was 9% slower without the
// switch). The results are RE2's either way (unit [cold_matcher]).
// Thread-safe; Find is const.
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
  static constexpr uint32_t kColdSearches = 64;

  LazyRegex(std::string pattern, const RE2::Options& options);

  // The leftmost-first match in text[pos, end) (assertions see all of text),
  // as RE2::Match UNANCHORED: groups[0] the match, groups[1] group 1 when
  // wanted is 2.
  bool Find(std::string_view text, size_t pos, size_t end, re2::StringPiece* groups,
            int wanted) const;
  // Whether the pattern occurs anywhere in text (RE2::PartialMatch).
  bool FoundIn(std::string_view text) const;
  // RE2's program, compiled on first call: for its ok(), error() and groups.
  const RE2& re2() const;

 private:
  std::string pattern_;
  RE2::Options options_;
  std::unique_ptr<ColdMatcher> cold_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<RE2> re2_;
  mutable std::atomic<uint32_t> searches_{0};
};

}  // namespace leakd
