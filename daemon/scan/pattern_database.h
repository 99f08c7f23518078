// PatternDatabase: a RuleSet compiled for scanning. Owns the Hyperscan block and
// stream databases (stage 1), each rule's stage 2 (scan/compiled_rule.h), and the
// bounded window that stage 2 searches for each rule.
//
// Built once (from the on-disk cache when it holds a database for the same rules
// and Hyperscan version), then immutable and shared between threads through a
// shared_ptr; a reload builds a new one and swaps the pointer. Scratch space is
// per thread and lives in Scanner, not here.
#pragma once

#include <hs/hs.h>

#include <memory>
#include <string>
#include <vector>

#include "rules/rule_set.h"
#include "scan/compiled_rule.h"
#include "scan/hyperscan_handles.h"

namespace leakd {

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
