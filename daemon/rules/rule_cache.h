// RuleCache: a parsed RuleSet kept on disk, so that a process that starts
// often (`leakd scan` of one file, a pre-commit hook) does not parse the YAML
// of every rule file each time.
//
// The key is every rule file's path, size, inode and modification time (ns),
// plus this format's version: a file that changes, appears or goes away gives
// a new key, and no file is read on a hit. The entry is the RuleSet's rules,
// every field, in a length-prefixed binary form. A missing, truncated or
// corrupt entry is a miss (the caller parses the YAML and stores a new one);
// writes go to a temporary file renamed into place, so readers never see half
// an entry.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "rules/rule.h"

namespace leakd {

// The rule files below `path` (a directory or one file), sorted. Throws
// RuleError when `path` does not exist.
std::vector<std::string> ListRuleFiles(const std::string& path);

// The cache key of those files as they are on disk now.
std::string RuleFilesKey(const std::vector<std::string>& files);

std::optional<std::vector<Rule>> LoadCachedRules(const std::string& cache_dir,
                                                 const std::string& key);
void StoreCachedRules(const std::string& cache_dir, const std::string& key,
                      const std::vector<Rule>& rules);

// The binary form, exposed for tests: Decode(Encode(r)) == r; Decode of any
// other bytes is nullopt or a valid vector, never a crash.
std::string EncodeRules(const std::vector<Rule>& rules);
std::optional<std::vector<Rule>> DecodeRules(std::string_view bytes);

}  // namespace leakd
