#include "scan/example_check.h"

#include <algorithm>

#include "scan/scanner.h"

namespace leakd {

std::vector<ExampleFailure> CheckExamples(const std::shared_ptr<const PatternDatabase>& db) {
  Scanner scanner(db);
  std::vector<ExampleFailure> failures;
  std::vector<Finding> findings;
  auto has_rule = [&](const std::string& text, const std::string& id) {
    findings.clear();
    scanner.Scan(text, &findings);
    return std::any_of(findings.begin(), findings.end(),
                       [&](const Finding& f) { return f.rule->id == id; });
  };
  for (const Rule& rule : db->rules().rules()) {
    for (size_t i = 0; i < rule.examples.size(); ++i) {
      if (!has_rule(rule.examples[i], rule.id))
        failures.push_back({rule.id, rule.source_file, false, i});
    }
    for (size_t i = 0; i < rule.negative_examples.size(); ++i) {
      if (has_rule(rule.negative_examples[i], rule.id)) {
        failures.push_back({rule.id, rule.source_file, true, i});
      }
    }
  }
  return failures;
}

}  // namespace leakd
