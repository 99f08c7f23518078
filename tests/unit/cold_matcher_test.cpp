// ColdMatcher against RE2: the same match and group 1, or a refusal. Every
// rule's pattern on its examples and negative examples, searched from inside
// the text and in windows cut out of it (the assertions must see past the
// window, as RE2's do), and the corners of the syntax one by one.
#include "scan/cold_matcher.h"

#include <re2/re2.h>

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "rules/rule_set.h"
#include "scan/lazy_regex.h"
#include "scan/re2_dialect.h"

using namespace leakd;

namespace {

using Span = std::pair<std::ptrdiff_t, std::ptrdiff_t>;  // offset, length; (-1, 0): none
using Spans = std::pair<Span, Span>;                     // the match, group 1

Span SpanOf(const char* data, size_t size, const std::string& text) {
  if (data == nullptr) return {-1, 0};
  return {data - text.data(), static_cast<std::ptrdiff_t>(size)};
}

RE2::Options Latin1() {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  return options;
}

// RE2's answer, the reference: {{-1,0},{-1,0}} for no match.
Spans ByRe2(const RE2& re, const std::string& text, size_t pos, size_t end) {
  re2::StringPiece groups[2];
  const int wanted = re.NumberOfCapturingGroups() >= 1 ? 2 : 1;
  if (!re.Match(text, pos, end, RE2::UNANCHORED, groups, wanted)) return {{-1, 0}, {-1, 0}};
  return {SpanOf(groups[0].data(), groups[0].size(), text),
          wanted == 2 ? SpanOf(groups[1].data(), groups[1].size(), text) : Span{-1, 0}};
}

Spans ByColdMatcher(const ColdMatcher& matcher, const std::string& text, size_t pos, size_t end) {
  std::string_view groups[2];
  const auto result = matcher.Find(text, pos, end, groups);
  REQUIRE(result != ColdMatcher::Result::kTooBig);
  if (result == ColdMatcher::Result::kNoMatch) return {{-1, 0}, {-1, 0}};
  return {SpanOf(groups[0].data(), groups[0].size(), text),
          SpanOf(groups[1].data(), groups[1].size(), text)};
}

// Both ways on text from every start and with every end cut off, up to a few
// bytes each side (so windows start and end inside words and matches).
int CompareWindows(const std::string& pattern, const ColdMatcher& matcher, const RE2& re,
                   const std::string& text) {
  int matches = 0;
  for (size_t cut_front = 0; cut_front <= 3 && cut_front <= text.size(); ++cut_front) {
    for (size_t cut_back = 0; cut_back <= 3 && cut_front + cut_back <= text.size(); ++cut_back) {
      const size_t end = text.size() - cut_back;
      const Spans expected = ByRe2(re, text, cut_front, end);
      INFO("pattern " << pattern << " on [" << text << "] from " << cut_front << " to " << end);
      REQUIRE(ByColdMatcher(matcher, text, cut_front, end) == expected);
      matches += expected.first.first >= 0;
    }
  }
  return matches;
}

// Compiles pattern both ways and compares them on each text.
void Same(const std::string& pattern, const std::vector<std::string>& texts) {
  const auto matcher = ColdMatcher::Compile(pattern);
  const RE2 re(pattern, Latin1());
  INFO("pattern " << pattern);
  REQUIRE(re.ok());
  REQUIRE(matcher != nullptr);
  for (const auto& text : texts) CompareWindows(pattern, *matcher, re, text);
}

}  // namespace

TEST_CASE("the cold matcher finds what RE2 finds for every rule it takes", "[cold_matcher]") {
  const RuleSet rules = RuleSet::LoadFrom(LEAKD_TEST_PATTERNS);
  size_t taken = 0, matches = 0;
  for (const Rule& rule : rules.rules()) {
    const std::string pattern = Re2Dialect(rule.pattern);
    const auto matcher = ColdMatcher::Compile(pattern);
    if (matcher == nullptr) continue;
    ++taken;
    const RE2 re(pattern, Latin1());
    REQUIRE(re.ok());
    std::vector<std::string> texts;
    for (const auto& example : rule.examples) {
      texts.push_back(example);
      texts.push_back("ab" + example + "\n");
      texts.push_back(example + example);
    }
    for (const auto& example : rule.negative_examples) texts.push_back(example);
    for (const auto& text : texts) {
      if (matcher->size() * (text.size() + 1) > ColdMatcher::kMaxVisitedBits) continue;
      matches += static_cast<size_t>(CompareWindows(pattern, *matcher, re, text));
    }
  }
  // The README's share: the rules whose first searches skip RE2.
  WARN("taken " << taken << " of " << rules.rules().size());
  CHECK(taken * 100 >= rules.rules().size() * 99);
  CHECK(matches > 10000);
}

TEST_CASE("the cold matcher keeps RE2's order, flags and assertions", "[cold_matcher]") {
  // Leftmost-first: the first alternative that leads to a match, not the longest.
  Same("(a|ab)(?:c|bcd)?", {"abcd", "xabcdx", "ab"});
  Same("(?i)([^[:upper:]]+)", {"abCd1", "AB"});
  Same("(ab|a)b*", {"abbb", "ab"});
  // Greedy and lazy counted repetition, nested optional copies.
  Same("x(a{2,4})", {"xaaaaa", "xa", "xaaa"});
  Same("x(a{2,4}?)a", {"xaaaaa", "xaaa"});
  Same("(a*?)b", {"aaab", "b", "aaa"});
  Same("(?:ab){1,3}(c)", {"abababc", "ababab c", "abc"});
  Same("k[^\\n]{0,5}?(v\\d+)", {"k  v12 v3", "k\nv1", "kkv9"});
  // Flags: scoped to their group, or to the end of the enclosing one.
  Same("(?i)(token)", {"ToKeN", "TOKEN", "tokén"});
  Same("a(?i:b)(c)", {"aBc", "aBC", "abc"});
  Same("(?:(?i)x|y)(z)", {"Xz", "Yz", "yZ", "XZ"});
  Same("(?s:a.b)(.)", {"a\nbc", "a\nb\n", "axbc"});
  Same("(?i)[a-c_]+(\\d)", {"AbC_9", "aB-1"});
  Same("(?i)[^a-c]+(x)", {"ddX", "dAx", "ddx"});
  // Assertions see past the window.
  Same("\\b(ab)\\b", {"ab", "xab", "abx", "x ab y", "_ab_"});
  Same("\\B(b)", {"ab", " b"});
  Same("^(a)", {"a", "ba"});
  Same("(a)$", {"a", "ab", "a\n"});
  Same("(?:^|[^a-z])(k[0-9]{2})(?:[^0-9]|$)", {"k12", "xk12", " k12 ", "k123", "k12\n"});
  // Classes: a leading ], literal -, POSIX names, escapes.
  Same("([]a-]+)", {"x]a-]", "-"});
  Same("([[:space:][:^alpha:]]+)", {"ab 1\x0b!", "\t\n"});
  Same("([\\x22\\x27\\\\][^\\x22]*)", {"x\"abc\"", "'a", "\\q"});
  Same("(\\x{41}\\Q.*\\E)", {"A.*", "AB"});
  Same("\\Qa\\E*(c)", {"aac", "c", "ac a"});  // one literal: the quantifier is its own
  Same("([\\w.-]+)@(?:x)", {"a.b-c@x", "@x"});
  std::vector<std::string> every_byte;
  for (int b = 0; b < 256; ++b)
    every_byte.push_back("x" + std::string(1, static_cast<char>(b)) + "y");
  for (const char* name : {"alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower",
                           "print", "punct", "space", "upper", "word", "xdigit"}) {
    Same(std::string("([[:") + name + ":]])", every_byte);
    Same(std::string("([[:^") + name + ":]])", every_byte);
  }
  Same("(.)(?s:.)", every_byte);
  Same("([\\d\\D][\\w\\W][\\s\\S])", every_byte);
  Same("a{,2}(b)", {"a{,2}b"});             // RE2 reads `{,2}` as literal text
  Same("a{0,02}(b)", {"a{0,02}b", "aab"});  // and a count with a leading zero
  Same("(a)\\S\\s\\D\\W", {"ab 1!",
                           "a\x0b\x0b"
                           "a!"});
}

TEST_CASE("the cold matcher refuses what it does not know", "[cold_matcher]") {
  for (const char* pattern : {"(?P<name>a)", "(?m)^a", "(?i)\xe9", "(?i)[\xe0-\xff]", "(a*)*",
                              "(a)(b)", "(?:a?)+", "\\pL", "a**", "\\1", "(?U)a+", "[[:nope:]]",
                              "a{1001}", "(?i)[[:^upper:]]", "(a)(?i)?", "\\Qab\\E*(c)"}) {
    INFO(pattern);
    CHECK(ColdMatcher::Compile(pattern) == nullptr);
  }
}

TEST_CASE("a search too large for the visited map is handed back", "[cold_matcher]") {
  const auto matcher = ColdMatcher::Compile("a[\\s\\S]{0,1000}?(b)");
  REQUIRE(matcher != nullptr);
  const std::string text(5000, 'a');
  std::string_view groups[2];
  CHECK(matcher->Find(text, 0, text.size(), groups) == ColdMatcher::Result::kTooBig);
  CHECK(matcher->Find(text, 0, 100, groups) == ColdMatcher::Result::kNoMatch);
}

TEST_CASE("a lazy regex answers as RE2 whether the cold matcher takes it or not",
          "[cold_matcher]") {
  const std::string long_text = std::string(9000, 'a') + "b";
  // Taken; refused (two groups); taken but the text is too long for the map.
  for (const char* pattern : {"x(a+)", "(x)(a+)", "a[\\s\\S]{0,1000}?(b)"}) {
    INFO(pattern);
    const LazyRegex lazy(pattern, Latin1());
    const RE2 re(pattern, Latin1());
    for (const std::string& text : {std::string("yxaa"), std::string("nothing"), long_text}) {
      re2::StringPiece groups[2];
      const bool found = lazy.Find(text, 0, text.size(), groups, 2);
      const Spans expected = ByRe2(re, text, 0, text.size());
      CHECK(found == (expected.first.first >= 0));
      if (found) {
        CHECK(Spans{SpanOf(groups[0].data(), groups[0].size(), text),
                    SpanOf(groups[1].data(), groups[1].size(), text)} == expected);
      }
      CHECK(lazy.FoundIn(text) == RE2::PartialMatch(text, re));
    }
    CHECK(lazy.re2().ok());
  }
}

TEST_CASE("a lazy regex gives the same answers before and after it switches to RE2",
          "[cold_matcher]") {
  const LazyRegex lazy("(?i)(?:^|[^a-z])(fake|mock)(?:[^a-z]|$)", Latin1());
  const std::vector<std::pair<std::string, Span>> cases = {
      {"a_fake_key", {2, 4}}, {"fakeness", {-1, 0}}, {"MOCK", {0, 4}}, {"x-Mock", {2, 4}}};
  for (uint32_t i = 0; i < LazyRegex::kColdSearches * 2; ++i) {
    CHECK(lazy.SearchesWarm() == (i >= LazyRegex::kColdSearches));  // switches after exactly 64
    const auto& [text, secret] = cases[i % cases.size()];
    re2::StringPiece groups[2];
    const bool found = lazy.Find(text, 0, text.size(), groups, 2);
    INFO("search " << i << " of " << text);
    CHECK(found == (secret.first >= 0));
    if (found) CHECK(SpanOf(groups[1].data(), groups[1].size(), text) == secret);
  }
}
