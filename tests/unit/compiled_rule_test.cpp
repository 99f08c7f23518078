// CompiledRule's two ways to the same match: a rule's first searches run
// `(?s:.*?)(pattern)` anchored at the window's start (no reverse program),
// later ones the pattern unanchored. Every rule's examples, negative examples
// and the windows a cluster search starts mid-text must give the same matches
// and secrets both ways, match after match.
#include "scan/compiled_rule.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

#include "rules/rule_set.h"

using namespace leakd;

namespace {

using Span = std::pair<std::ptrdiff_t, std::ptrdiff_t>;  // offset, length; (-1, 0) for none

Span SpanOf(const re2::StringPiece& piece, const std::string& text) {
  if (piece.data() == nullptr) return {-1, 0};
  return {piece.data() - text.data(), static_cast<std::ptrdiff_t>(piece.size())};
}

// Every match from `pos` on, searched as Scanner::ExtractCluster does (on
// after each secret), as (match, secret) spans. At most `limit` searches.
std::vector<std::pair<Span, Span>> Matches(const CompiledRule& rule, const std::string& text,
                                           size_t pos, int limit) {
  std::vector<std::pair<Span, Span>> found;
  const re2::StringPiece piece(text);
  re2::StringPiece groups[2];
  for (int i = 0; i < limit && pos < text.size(); ++i) {
    groups[0] = groups[1] = re2::StringPiece();
    if (!rule.MatchSecret(piece, pos, text.size(), RE2::UNANCHORED, groups)) break;
    found.emplace_back(SpanOf(groups[0], text), SpanOf(groups[1], text));
    const re2::StringPiece& next = groups[1].data() != nullptr ? groups[1] : groups[0];
    pos = std::max(static_cast<size_t>(next.data() - text.data()) + next.size(), pos + 1);
  }
  return found;
}

}  // namespace

TEST_CASE("a rule's first searches and its later ones find the same matches", "[stage2]") {
  const RuleSet rules = RuleSet::LoadFrom(LEAKD_TEST_PATTERNS);
  constexpr int kLimit = 8;  // searches per text: well inside the cold ones
  size_t texts = 0, matched = 0;
  for (const Rule& rule : rules.rules()) {
    // One rule past its cold searches, compared with a fresh one per text.
    CompiledRule warm(&rule);
    const std::string nothing = "-";
    for (uint32_t i = 0; i < CompiledRule::kColdSearches; ++i) Matches(warm, nothing, 0, 1);
    REQUIRE(warm.SearchesWarm());
    std::vector<std::string> inputs;
    for (const auto& example : rule.examples) {
      inputs.push_back(example);
      inputs.push_back("ab" + example + "\n");  // a word before, searched from inside it
    }
    for (const auto& example : rule.negative_examples) inputs.push_back(example);
    for (const auto& text : inputs) {
      for (size_t pos : {size_t{0}, size_t{1}, size_t{2}}) {
        if (pos >= text.size()) continue;
        INFO("rule " << rule.id << ", from " << pos << " in: " << text);
        const CompiledRule cold(&rule);
        const auto first = Matches(cold, text, pos, kLimit);
        REQUIRE(first == Matches(warm, text, pos, kLimit));
        ++texts;
        matched += !first.empty();
      }
    }
  }
  CHECK(texts > 10000);
  CHECK(matched > 5000);  // the examples match: both ways were compared on real matches
}

TEST_CASE("a rule switches programs after its cold searches and finds the same matches",
          "[stage2]") {
  RuleSet set;
  set.AddFromYaml(R"(provider: test
rules:
  - id: test.token
    name: "test token"
    pattern: '\b(tk_[a-z0-9]{8})\b'
    examples: ['tk_abcd1234']
)",
                  "test.yaml");
  const CompiledRule rule(&set.rules()[0]);
  const std::string text = "x tk_abcd1234 y tk_efgh5678";
  // Warm after exactly kColdSearches searches, whether they matched or not.
  re2::StringPiece groups[2];
  for (uint32_t i = 0; i < CompiledRule::kColdSearches; ++i) {
    CHECK_FALSE(rule.SearchesWarm());
    rule.MatchSecret(text, i % 2 == 0 ? 0 : 20, text.size(), RE2::UNANCHORED, groups);
  }
  CHECK(rule.SearchesWarm());
  const CompiledRule fresh(&set.rules()[0]);
  for (uint32_t i = 0; i < CompiledRule::kColdSearches + 3; ++i) {
    REQUIRE(Matches(fresh, text, 0, 4) ==
            std::vector<std::pair<Span, Span>>{{{2, 11}, {2, 11}}, {{16, 11}, {16, 11}}});
  }
}
