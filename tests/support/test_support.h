// Helpers shared by the engine tests: one compiled database of the real rules
// (SharedDatabase) and token makers with valid checksums.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cached_database.h"
#include "scan/decoded_scan.h"
#include "scan/pattern_database.h"
#include "scan/scanner.h"
#include "scan/validators.h"

namespace leakd::testing {

// The real rules, compiled once per build tree (cached_database.h): every
// rule, the opt-in identifier tier's too.
inline std::shared_ptr<const PatternDatabase> SharedDatabase() {
  static const auto db = BuildCachedDatabase(LEAKD_TEST_PATTERNS, LEAKD_TEST_CACHE_DIR);
  return db;
}

// The default rule set of `leakd scan` and `leakd serve`: without the
// identifier tier (EngineConfig::identifiers).
inline std::shared_ptr<const PatternDatabase> DefaultDatabase() {
  static const auto db = BuildCachedDatabase(LEAKD_TEST_PATTERNS, LEAKD_TEST_CACHE_DIR, false);
  return db;
}

inline std::vector<Finding> ScanText(const std::string& text) {
  Scanner scanner(SharedDatabase());
  std::vector<Finding> out;
  scanner.Scan(text, &out);
  return out;
}

// A GitHub-format token with a correct checksum, e.g. GithubToken("ghp_", 7).
// ScanText with the decoders (base64, string literals): ScanWithDecoding.
inline std::vector<Finding> ScanDecoding(const std::string& text) {
  Scanner scanner(SharedDatabase());
  std::vector<Finding> out;
  ScanWithDecoding(scanner, text, &out);
  return out;
}

// `length` letters and digits, the same for the same seed and salt.
inline std::string SeededAlnum(unsigned seed, int length, unsigned salt = 12345u) {
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  unsigned state = seed * 2654435761u + salt;
  for (int i = 0; i < length; ++i) {
    state = state * 1103515245u + 12345u;
    out += alphabet[(state >> 16) % 62];
  }
  return out;
}

inline std::string GithubToken(const std::string& prefix, unsigned seed) {
  return GithubStyleToken(prefix, SeededAlnum(seed, 30));
}

inline bool HasRule(const std::vector<Finding>& findings, const std::string& id) {
  for (const auto& f : findings) {
    if (f.rule->id == id) return true;
  }
  return false;
}

}  // namespace leakd::testing
