// Where rules and the compiled-database cache live, and loading both into a
// PatternDatabase. Shared by `leakd scan`, `leakd serve` and `leakd rules`.
#pragma once

#include <memory>
#include <string>

#include "scan/pattern_database.h"

namespace leakd {

struct EngineConfig {
  std::string rules_path;  // "" = DefaultRulesPath()
  std::string cache_dir;   // "" = DefaultCacheDir()
  bool use_cache = true;
  bool with_stream = false;
  // Compile every rule's stage 2 (RE2) now rather than at its first match:
  // the daemon pays it once at start, not on the latency of first alerts.
  bool compile_stage2_now = false;
  // Compile the `identifier` tier's rules too (rules/rule.h: account IDs,
  // ARNs, buckets … are not credentials; off unless asked for).
  bool identifiers = false;
};

// First that exists: $LEAKD_RULES, ./patterns, the source tree's patterns/
// (for a build tree), /usr/share/leakd/patterns.
std::string DefaultRulesPath();
// $LEAKD_CACHE_DIR, else $XDG_CACHE_HOME/leakd, else $HOME/.cache/leakd, else /tmp/leakd-cache.
std::string DefaultCacheDir();

// Loads and compiles. Throws RuleError or PatternError.
std::shared_ptr<const PatternDatabase> LoadEngine(const EngineConfig& config);

}  // namespace leakd
