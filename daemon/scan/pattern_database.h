// PatternDatabase: a RuleSet compiled for scanning. Owns the Hyperscan block and
// stream databases (stage 1), each rule's RE2 (stage 2) and allowlist, and the
// bounded window that stage 2 searches for each rule.
//
// Built once (from the on-disk cache when it holds a database for the same rules
// and Hyperscan version), then immutable and shared between threads through a
// shared_ptr; a reload builds a new one and swaps the pointer. Scratch space is
// per thread and lives in Scanner, not here.
#pragma once

#include <hs/hs.h>
#include <re2/re2.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "rules/rule_set.h"
#include "scan/hyperscan_handles.h"
#include "scan/validators.h"

namespace leakd {

class PatternError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Stage-2 view of one rule.
//
// The RE2 programs are compiled on first use, once, from any thread: most
// rules never fire on a given input, and compiling all of them was most of a
// CLI start-up. A database built without the cache compiles every one up
// front (that is where a bad pattern is reported with its rule id); one loaded
// from the cache was built from the same rule text, so its patterns are known
// to compile.
class CompiledRule {
 public:
  explicit CompiledRule(const Rule* r);

  const Rule* rule = nullptr;
  ValidatorFn validator = nullptr;  // resolved from rule->validator; nullptr: none
  size_t window = 0;           // longest match (bytes); stage 2 looks this far back from a report
  bool window_capped = false;  // the pattern is unbounded; window is kMaxWindow

  // The rule's pattern, capture group 1 = the secret.
  const RE2& regex() const;
  // The next match of the pattern in text[pos, end) (RE2's anchor):
  // groups[0] the whole match, groups[1] the secret, taken with the rule's
  // `capture` where it has one (Rule::capture), else by the pattern itself.
  bool MatchSecret(const re2::StringPiece& text, size_t pos, size_t end, RE2::Anchor anchor,
                   re2::StringPiece groups[2]) const;
  // Secrets matching any are dropped.
  const std::vector<std::unique_ptr<RE2>>& allowlist() const;
  // Compiles now; throws PatternError naming the rule if RE2 rejects a pattern.
  void CompileNow() const;

 private:
  struct Stage2 {
    std::once_flag once;
    std::unique_ptr<RE2> regex;
    std::unique_ptr<RE2> capture;  // null: the rule has none
    std::vector<std::unique_ptr<RE2>> allowlist;
  };
  const Stage2& stage2() const;
  std::unique_ptr<Stage2> stage2_;
};

class PatternDatabase {
 public:
  // Matches longer than this are not extracted: a bound on stage-2 work per report.
  static constexpr size_t kMaxWindow = 16 * 1024;

  struct Options {
    std::string cache_dir;    // "" = no cache
    bool with_stream = true;  // also compile the stream-mode database (chunked uploads)
  };

  // Compiles (or loads from cache). Throws PatternError naming the rule id and
  // file of the first pattern that Hyperscan or RE2 rejects.
  static std::shared_ptr<const PatternDatabase> Build(std::shared_ptr<const RuleSet> rules,
                                                      const Options& options);
  ~PatternDatabase();
  PatternDatabase(const PatternDatabase&) = delete;
  PatternDatabase& operator=(const PatternDatabase&) = delete;

  const RuleSet& rules() const { return *rules_; }
  const CompiledRule& compiled(size_t i) const { return compiled_[i]; }
  size_t size() const { return compiled_.size(); }
  const hs_database_t* block() const { return block_.get(); }
  const hs_database_t* stream() const { return stream_.get(); }
  size_t max_window() const { return max_window_; }
  const std::string& content_hash() const { return content_hash_; }
  bool loaded_from_cache() const { return loaded_from_cache_; }
  double build_seconds() const { return build_seconds_; }

 private:
  PatternDatabase() = default;
  void CompileMissing(const Options& options, const std::string& block_path,
                      const std::string& stream_path);

  std::shared_ptr<const RuleSet> rules_;
  std::vector<CompiledRule> compiled_;
  HsDatabase block_;
  HsDatabase stream_;
  size_t max_window_ = 0;
  std::string content_hash_;
  bool loaded_from_cache_ = false;
  double build_seconds_ = 0;
};

}  // namespace leakd
