// CompiledRule: stage 2 of one rule. Hyperscan (stage 1) reports where a
// rule's match ends; stage 2 searches the window before that end with RE2 for
// the match itself and its secret.
//
// The RE2 programs are compiled on first use, once, from any thread: most
// rules never fire on a given input, and compiling all of them was most of a
// CLI start-up. A database built without the cache compiles every one up
// front (that is where a bad pattern is reported with its rule id); one loaded
// from the cache was built from the same rule text, so its patterns are known
// to compile.
//
// A rule's first searches avoid building RE2's programs, which cost more than
// one or two searches (a `leakd scan` of a file where a few hundred rules fire
// once each spent a fifth of its CPU there): each pattern is a LazyRegex
// (scan/lazy_regex.h), whose first kColdSearches searches run ColdMatcher, a
// backtracker built in microseconds that gives RE2's match, and later ones
// RE2 (unit [stage2] checks that all ways give the same match on every rule's
// examples).
#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "rules/rule.h"
#include "scan/lazy_regex.h"
#include "scan/validators.h"

namespace leakd {

class PatternError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "rule ID (FILE)", for errors about a rule.
std::string RuleWhere(const Rule& rule);

class CompiledRule {
 public:
  static constexpr uint32_t kColdSearches = LazyRegex::kColdSearches;

  explicit CompiledRule(const Rule* r);

  const Rule* rule = nullptr;
  ValidatorFn validator = nullptr;  // resolved from rule->validator; nullptr: none
  size_t window = 0;           // longest match (bytes); stage 2 looks this far back from a report
  bool window_capped = false;  // the pattern is unbounded; window is kMaxWindow

  // The rule's pattern, capture group 1 = the secret.
  const RE2& regex() const;
  // The next match of the pattern in text[pos, end) (RE2's anchor):
  // groups[0] the whole match, groups[1] the secret, taken with the rule's
  // `capture` where it has one (Rule::capture), else by the pattern itself.
  bool MatchSecret(const re2::StringPiece& text, size_t pos, size_t end, RE2::Anchor anchor,
                   re2::StringPiece groups[2]) const;
  // True once the rule's unanchored searches use the pattern's own programs:
  // after kColdSearches of them.
  bool SearchesWarm() const;
  // Whether an entry of the rule's allowlist occurs in the secret: then it is dropped.
  bool Allowlisted(std::string_view secret) const;
  // Compiles now; throws PatternError naming the rule if RE2 rejects a pattern.
  void CompileNow() const;

 private:
  struct Stage2 {
    std::once_flag once;
    std::unique_ptr<LazyRegex> pattern;
    std::unique_ptr<LazyRegex> capture;  // null: the rule has none
    std::vector<std::unique_ptr<LazyRegex>> allowlist;
  };
  const Stage2& stage2() const;
  std::unique_ptr<Stage2> stage2_;
};

}  // namespace leakd
