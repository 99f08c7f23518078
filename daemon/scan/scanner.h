// Scanner: finds secrets in bytes with a PatternDatabase, in three stages.
//   1. Hyperscan reports (rule, end offset). The callback only folds each report
//      into a per-rule cluster of nearby ends, so memory stays bounded even when
//      a variable-length pattern reports at every byte of hostile input.
//   2. The rule's RE2 runs over each cluster's bounded region (from the first end
//      minus the rule's window to the last end) and extracts capture group 1.
//   3. Validators, entropy floor, placeholder filter, keywords, allowlists and
//      inline `leakd:allow` markers decide what is reported.
//
// One Scanner per thread: it owns a Hyperscan scratch. Not thread-safe; the
// database it points at is shared and immutable.
#pragma once

#include <hs/hs.h>

#include <memory>
#include <string_view>
#include <vector>

#include "scan/finding.h"
#include "scan/pattern_database.h"

namespace leakd {

class StreamScan;

class Scanner {
 public:
  explicit Scanner(std::shared_ptr<const PatternDatabase> db);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Appends the findings in `data` to `out`, ordered by offset.
  void Scan(std::string_view data, std::vector<Finding>* out);

  const PatternDatabase& database() const { return *db_; }
  const std::shared_ptr<const PatternDatabase>& database_ptr() const { return db_; }

 private:
  friend class StreamScan;

  struct Cluster {
    uint32_t rule;
    uint64_t first_end;
    uint64_t last_end;
  };
  static int OnMatch(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                     void* context);
  void ResetClusters();
  // Stages 2 and 3 over `buffer`, whose first byte is at absolute offset `base`.
  // Findings that start before `min_offset` were reported by an earlier call.
  void Extract(std::string_view buffer, uint64_t base, uint64_t min_offset,
               std::vector<Finding>* out);
  bool Accept(const CompiledRule& compiled, std::string_view buffer, size_t pos,
              size_t length) const;

  std::shared_ptr<const PatternDatabase> db_;
  hs_scratch_t* scratch_ = nullptr;
  std::vector<int64_t> open_cluster_;  // per rule: index into clusters_, or -1
  std::vector<Cluster> clusters_;
};

// Collapses findings with the same span: the highest confidence wins, then the
// lowest rule index. Sorts by offset. Exposed for the stream path and tests.
void CollapseSameSpan(std::vector<Finding>* findings, size_t from);

}  // namespace leakd
