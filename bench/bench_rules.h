// The rule set a bench measures: $LEAKD_RULES or the project's patterns/, as
// `leakd scan` and `leakd serve` compile it by default, without the opt-in
// identifier tier; LEAKD_BENCH_IDENTIFIERS=1 keeps that tier's rules too.
#pragma once

#include <cstdlib>
#include <cstring>
#include <string>

#include "rules/rule_set.h"

namespace leakd::bench {

inline RuleSet LoadBenchRules(const char* path = nullptr) {
  const char* env = std::getenv("LEAKD_RULES");
  RuleSet all = RuleSet::LoadFrom(path ? path : env ? env : LEAKD_BENCH_PATTERNS);
  const char* identifiers = std::getenv("LEAKD_BENCH_IDENTIFIERS");
  if (identifiers && std::strcmp(identifiers, "1") == 0) return all;
  return all.Without(Confidence::kIdentifier);
}

}  // namespace leakd::bench
