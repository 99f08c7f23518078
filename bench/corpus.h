// The benchmark corpus: real source text (this machine's /usr/include headers,
// concatenated and repeated up to the requested size) with secrets planted at
// regular intervals. Deterministic for a given machine and size.
#pragma once

#include <cstddef>
#include <string>

#include "rules/rule_set.h"

namespace leakd::bench {

struct Corpus {
  std::string text;
  size_t planted = 0;  // number of rule examples inserted
};

// Plants the first example of every rule, cycling, `plant_count` times.
Corpus BuildCorpus(size_t bytes, size_t plant_count, const RuleSet& rules);

}  // namespace leakd::bench
