// Helpers shared by the engine tests: one compiled database of the real rules
// (SharedDatabase) and token makers with valid checksums.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "scan/decoded_scan.h"
#include "scan/pattern_database.h"
#include "scan/scanner.h"
#include "scan/validators.h"

namespace leakd::testing {

// The real rules, compiled once per build tree rather than once per process:
// a compile takes ~9 s, ~45 s under ASan (Hyperscan's compiler allocates
// heavily), and the unit tests run as concurrent shards. The database is
// cached in LEAKD_TEST_CACHE_DIR (the daemon's own cache, keyed by the rules'
// content and Hyperscan's version), and a lock on the directory makes a
// second shard wait for the first compile and load it. Builds without the
// directory (the fuzz targets) compile in the process.
inline std::shared_ptr<const PatternDatabase> SharedDatabase() {
  static std::shared_ptr<const PatternDatabase> db = [] {
    auto rules = std::make_shared<const RuleSet>(RuleSet::LoadFrom(LEAKD_TEST_PATTERNS));
    PatternDatabase::Options options;
    options.with_stream = true;
#ifdef LEAKD_TEST_CACHE_DIR
    options.cache_dir = LEAKD_TEST_CACHE_DIR;
    std::filesystem::create_directories(options.cache_dir);
    const int lock = ::open((options.cache_dir + "/.lock").c_str(), O_CREAT | O_RDWR, 0644);
    if (lock >= 0) ::flock(lock, LOCK_EX);  // released by close(), or by the process's end
    auto built = PatternDatabase::Build(rules, options);
    if (lock >= 0) ::close(lock);
    return built;
#else
    return PatternDatabase::Build(rules, options);
#endif
  }();
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
