// Checks every rule against its own examples: each `examples` entry must yield
// a finding of that rule, no `negative_examples` entry may. Used by
// `leakd rules check` and by the test suite, so both judge rules the same way.
#pragma once

#include <string>
#include <vector>

#include "scan/pattern_database.h"

namespace leakd {

struct ExampleFailure {
  std::string rule_id;
  std::string file;
  bool negative = false;  // a negative example matched (else: a positive did not)
  size_t index = 0;       // position in the rule's list
};

std::vector<ExampleFailure> CheckExamples(const std::shared_ptr<const PatternDatabase>& db);

}  // namespace leakd
