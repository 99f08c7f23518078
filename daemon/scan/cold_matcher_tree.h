// ColdMatcher's insides: the byte sets, the parse tree and the parser's entry,
// shared by cold_matcher_parse.cpp (pattern → tree) and
// cold_matcher_compile.cpp (tree → program). Not for other users.
#pragma once

#include <string_view>
#include <vector>

#include "scan/cold_matcher.h"

namespace leakd {
namespace cold {

using ByteSet = ColdMatcher::ByteSet;
using Assertion = ColdMatcher::Assertion;

// Thrown for anything outside the subset; Compile returns nullptr.
struct Unsupported {};

inline void Add(ByteSet* set, unsigned lo, unsigned hi) {
  for (unsigned c = lo; c <= hi; ++c) (*set)[c >> 6] |= uint64_t{1} << (c & 63);
}
inline bool Has(const ByteSet& set, unsigned c) {
  return (set[c >> 6] >> (c & 63)) & 1;
}
inline ByteSet Complement(ByteSet set) {
  for (auto& word : set) word = ~word;
  return set;
}
inline void Merge(ByteSet* into, const ByteSet& from) {
  for (size_t i = 0; i < into->size(); ++i) (*into)[i] |= from[i];
}
inline ByteSet Of(unsigned lo, unsigned hi) {
  ByteSet set{};
  Add(&set, lo, hi);
  return set;
}

struct Node {
  enum Kind { kSet, kConcat, kAlt, kRepeat, kCapture, kAssert } kind = kConcat;
  ByteSet set{};
  std::vector<Node> kids;
  int min = 0, max = 0;  // kRepeat; max -1: unbounded
  bool greedy = true;
  Assertion assertion = Assertion::kBeginText;
};

ByteSet WordBytes();
// \d \D \w \W \s \S (e is the letter): true and the set; false for other letters.
// These sets are closed under case: (?i) leaves them alone.
bool EscapeSet(unsigned char e, ByteSet* set);
// A POSIX class by name (alnum, space, …); letters: lower or upper, which
// (?i) folds. Throws Unsupported for a name RE2 does not know.
void PosixSet(std::string_view name, ByteSet* set, bool* letters);

// Whether the node can match the empty string.
bool Nullable(const Node& node);

// The tree of an RE2 pattern; throws Unsupported outside the subset. The one
// capture group allowed is a kCapture node.
Node Parse(std::string_view pattern);

}  // namespace cold
}  // namespace leakd
