// ColdMatcher: a rule's pattern for its first searches, compiled in
// microseconds and run by a backtracker whose work is bounded by a visited
// bitmap (RE2's "BitState" idea), so it is linear in the window.
//
// Why: a `leakd scan` of a file where a few hundred rules fire once each spent
// a fifth of its CPU inside RE2 building each firing rule's programs and DFA
// states (~140 µs a rule) for one or two searches. This matcher costs a parse
// and a few hundred instructions to build, and a search of a rule's window is
// a few microseconds. After a rule's cold searches, CompiledRule switches to
// RE2, whose DFA is cheaper per search once built.
//
// Invariants:
// - It reads RE2's syntax (the pattern after Re2Dialect) and gives exactly the
//   match RE2 gives: leftmost-first (Perl) order, ASCII `\b`, Latin-1 bytes.
//   Compile returns nullptr for anything outside the subset it knows (then
//   RE2 serves the rule): named groups, `(?m)`/`(?U)`, case folding of bytes
//   above 0x7f, quantifiers over subexpressions that can match empty, more
//   than one capture group, programs over kMaxInstructions.
// - Like RE2::Match(text, pos, end): the match lies in text[pos, end), and the
//   assertions (`\b`, `^`, `$`) see the whole text, so a window cut from a
//   larger buffer behaves as RE2 does on it.
// - Find is const and thread-safe (its scratch is per thread).
// unit [cold_matcher] compares it with RE2 on every rule and on edge cases;
// tests/fuzz/cold_matcher_fuzz.cpp compares the two on arbitrary patterns.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace leakd {

class ColdMatcher {
 public:
  static constexpr size_t kMaxInstructions = 4000;
  // Bits of the visited map (instructions × window positions) one search may
  // use; a larger search returns kTooBig and the caller asks RE2.
  static constexpr size_t kMaxVisitedBits = size_t{1} << 23;  // 1 MiB

  enum class Op : uint8_t { kByte, kSplit, kJmp, kSave, kAssert, kMatch };
  enum class Assertion : uint8_t { kWordBoundary, kNotWordBoundary, kBeginText, kEndText };
  using ByteSet = std::array<uint64_t, 4>;
  struct Inst {
    Op op;
    uint8_t arg;     // kSave: the slot; kAssert: the Assertion
    uint32_t x = 0;  // kByte: the set's index; kSplit: the preferred branch; kJmp: the target
    uint32_t y = 0;  // kSplit: the other branch
  };

  // nullptr: the pattern is outside the subset (or not valid).
  static std::unique_ptr<ColdMatcher> Compile(std::string_view pattern);

  enum class Result { kMatch, kNoMatch, kTooBig };
  // The leftmost-first match in text[pos, end): groups[0] the whole match,
  // groups[1] capture group 1 (data() == nullptr when it did not take part).
  Result Find(std::string_view text, size_t pos, size_t end, std::string_view groups[2]) const;

  size_t size() const { return program_.size(); }

  ColdMatcher(std::vector<Inst> program, std::vector<ByteSet> sets);

 private:
  bool TryFrom(std::string_view text, size_t pos, size_t end, size_t start,
               std::vector<uint64_t>* visited, std::string_view groups[2]) const;

  std::vector<Inst> program_;
  std::vector<ByteSet> sets_;
  ByteSet first_bytes_{};       // bytes a match can start with
  bool may_start_any_ = false;  // a match can be empty: every position is a start
};

}  // namespace leakd
