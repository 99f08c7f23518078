#include "scan/example_check.h"

#include <algorithm>

#include "scan/scanner.h"

namespace leakd {
namespace {

// Whether the rule's capture takes, on every match of its pattern in `text`,
// the secret the pattern's own group 1 takes.
bool CaptureAgrees(const CompiledRule& compiled, const std::string& text) {
  const re2::StringPiece whole(text);
  re2::StringPiece own[2], taken[2];
  // The same bytes of `text`, not only equal ones.
  const auto same_place = [](const re2::StringPiece& a, const re2::StringPiece& b) {
    return a.data() == b.data() && a.size() == b.size();
  };
  size_t pos = 0;
  while (pos <= text.size() &&
         compiled.regex().Match(whole, pos, text.size(), RE2::UNANCHORED, own, 2)) {
    if (!compiled.MatchSecret(whole, pos, text.size(), RE2::UNANCHORED, taken) ||
        !same_place(taken[0], own[0]) || !same_place(taken[1], own[1])) {
      return false;
    }
    pos = static_cast<size_t>(own[0].data() - text.data()) + std::max<size_t>(own[0].size(), 1);
  }
  return true;
}

}  // namespace

std::vector<ExampleFailure> CheckExamples(const std::shared_ptr<const PatternDatabase>& db) {
  using Kind = ExampleFailure::Kind;
  Scanner scanner(db);
  std::vector<ExampleFailure> failures;
  std::vector<Finding> findings;
  auto has_rule = [&](const std::string& text, const std::string& id) {
    findings.clear();
    scanner.Scan(text, &findings);
    return std::any_of(findings.begin(), findings.end(),
                       [&](const Finding& f) { return f.rule->id == id; });
  };
  for (size_t r = 0; r < db->size(); ++r) {
    const Rule& rule = db->rules()[r];
    const auto check = [&](const std::vector<std::string>& texts, bool negative) {
      for (size_t i = 0; i < texts.size(); ++i) {
        if (has_rule(texts[i], rule.id) == negative) {
          failures.push_back({rule.id, rule.source_file,
                              negative ? Kind::kNegativeMatched : Kind::kMissed, negative, i});
        }
        if (!rule.capture.empty() && !CaptureAgrees(db->compiled(r), texts[i])) {
          failures.push_back({rule.id, rule.source_file, Kind::kCaptureDiffers, negative, i});
        }
      }
    };
    check(rule.examples, false);
    check(rule.negative_examples, true);
  }
  return failures;
}

std::string DescribeFailure(const ExampleFailure& f) {
  const std::string which =
      std::string(f.negative ? "negative example " : "example ") + std::to_string(f.index);
  switch (f.kind) {
    case ExampleFailure::Kind::kMissed:
      return which + " did not match";
    case ExampleFailure::Kind::kNegativeMatched:
      return which + " matched";
    case ExampleFailure::Kind::kCaptureDiffers:
      return which + ": the capture takes another secret than the pattern";
  }
  return which;
}

}  // namespace leakd
