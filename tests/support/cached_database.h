// The project's real rules (patterns/), compiled in block and stream mode and
// cached in a directory of the build tree, for the tests and the fuzz targets.
//
// Why: a compile takes ~9 s, ~45 s under ASan (Hyperscan's compiler allocates
// heavily), and it is most of a short test's or fuzz run's start-up. The
// cache is the daemon's own (keyed by the rules and the daemon's code,
// common/build_id.h), so every process of a build tree compiles once. A lock
// on the directory makes a concurrent process (a second unit-test shard) wait
// for the first compile and load it instead of repeating it.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "rules/rule_set.h"
#include "scan/pattern_database.h"

namespace leakd::testing {

// `identifiers`: the opt-in identifier tier's rules too (every rule, as the
// tests of rule examples want), or the daemon's default set without them.
inline std::shared_ptr<const PatternDatabase> BuildCachedDatabase(const std::string& patterns,
                                                                  const std::string& cache_dir,
                                                                  bool identifiers = true) {
  const RuleSet all = RuleSet::LoadFrom(patterns);
  auto rules =
      std::make_shared<const RuleSet>(identifiers ? all : all.Without(Confidence::kIdentifier));
  PatternDatabase::Options options;
  options.with_stream = true;
  options.cache_dir = cache_dir;
  std::filesystem::create_directories(cache_dir);
  const int lock = ::open((cache_dir + "/.lock").c_str(), O_CREAT | O_RDWR, 0644);
  if (lock >= 0) ::flock(lock, LOCK_EX);  // released by close(), or by the process's end
  auto built = PatternDatabase::Build(rules, options);
  if (lock >= 0) ::close(lock);
  return built;
}

}  // namespace leakd::testing
