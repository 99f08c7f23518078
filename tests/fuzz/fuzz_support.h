// Helpers shared by the libFuzzer harnesses: a checked assertion that works in
// every build type, and one compiled pattern database per process.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "cached_database.h"

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

// The project's own patterns/, compiled once per build tree (cached in the
// build folder: compiling them is most of a harness's start-up, which matters
// in short runs).
inline std::shared_ptr<const PatternDatabase> SharedDatabase() {
  static const auto db = testing::BuildCachedDatabase(LEAKD_FUZZ_PATTERNS, LEAKD_FUZZ_DB_CACHE);
  return db;
}

}  // namespace leakd::fuzz
