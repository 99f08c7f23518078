// Checks every rule against its own examples: each `examples` entry must yield
// a finding of that rule, no `negative_examples` entry may, and where a rule
// has a `capture`, it must take the same secret as the pattern's own group on
// every match in every example of either list. Used by `leakd rules check`
// and by the test suite, so both judge rules the same way.
#pragma once

#include <string>
#include <vector>

#include "scan/pattern_database.h"

namespace leakd {

struct ExampleFailure {
  enum class Kind { kMissed, kNegativeMatched, kCaptureDiffers };
  std::string rule_id;
  std::string file;
  Kind kind = Kind::kMissed;
  bool negative = false;  // `index` is in negative_examples (else: examples)
  size_t index = 0;       // position in that list
};

std::vector<ExampleFailure> CheckExamples(const std::shared_ptr<const PatternDatabase>& db);

// "example 3 did not match", "negative example 0 matched", "example 2: the
// capture takes another secret than the pattern".
std::string DescribeFailure(const ExampleFailure& f);

}  // namespace leakd
