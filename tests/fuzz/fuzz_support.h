// Helpers shared by the libFuzzer harnesses: a checked assertion that works in
// every build type, and one compiled pattern database per process.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "rules/rule_set.h"
#include "scan/pattern_database.h"

// An invariant of the code under test. Aborts (a libFuzzer crash, input kept)
// with the condition and a short message; NDEBUG does not turn it off.
#define FUZZ_CHECK(cond, msg)                                                               \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      std::fprintf(stderr, "%s:%d: invariant failed: %s (%s)\n", __FILE__, __LINE__, #cond, \
                   std::string(msg).c_str());                                               \
      std::abort();                                                                         \
    }                                                                                       \
  } while (0)

namespace leakd::fuzz {

// The project's own patterns/, compiled once (block and stream mode). The
// Hyperscan databases are cached in the build folder: compiling them is most
// of a harness's start-up, which matters in short runs.
inline std::shared_ptr<const PatternDatabase> SharedDatabase() {
  static std::shared_ptr<const PatternDatabase> db = [] {
    auto rules = std::make_shared<const RuleSet>(RuleSet::LoadFrom(LEAKD_FUZZ_PATTERNS));
    PatternDatabase::Options options;
    options.cache_dir = LEAKD_FUZZ_DB_CACHE;
    options.with_stream = true;
    return PatternDatabase::Build(rules, options);
  }();
  return db;
}

}  // namespace leakd::fuzz
