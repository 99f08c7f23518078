// Scanner: finds secrets in bytes with a PatternDatabase, in three stages.
//   1. Hyperscan reports (rule, end offset). The callback only folds each report
//      into a per-rule cluster of nearby ends, so memory stays bounded even when
//      a variable-length pattern reports at every byte of hostile input.
//   2. The rule's RE2 runs over each cluster's bounded region (from the first end
//      minus the rule's window to the last end) and extracts capture group 1.
//   3. Validators, entropy floor, placeholder filter (published documentation
//      samples pass it and are marked `fixture`), keywords, allowlists and
//      inline allow markers (`leakd:allow` and others, scan/allow_markers.h)
//      decide what is reported. Keywords and
//      markers are read in a context window around the secret (rules/rule.h: kKeywordLookback
//      before to kKeywordLookahead after; the line, up to kLineLookaround each
//      way). A stream scan defers a match whose window runs past the bytes seen
//      so far, so whole and chunked inputs get the same findings.
//
// One Scanner per thread: it owns a Hyperscan scratch. Not thread-safe; the
// database it points at is shared and immutable.
#pragma once

#include <hs/hs.h>
#include <re2/re2.h>

#include <memory>
#include <string_view>
#include <vector>

#include "scan/finding.h"
#include "scan/hyperscan_handles.h"
#include "scan/pattern_database.h"

namespace leakd {

class StreamScan;

// A stage-2 match that passed every check of the secret itself but whose
// context window runs past the end of the bytes seen so far.
struct UndecidedMatch {
  uint32_t rule;
  uint64_t offset;  // absolute, of the secret
  uint32_t length;
};

// A stage-2 match that reaches the end of the bytes seen so far: more input
// may extend it (a variable-length secret cut by a piece boundary), so it is
// extracted again, from where it starts, once more bytes have come.
struct UnfinishedMatch {
  uint32_t rule;
  uint64_t match_offset;  // absolute, of the whole match
};

class Scanner {
 public:
  // How far stage 3 looks each way for the ends of the line holding a secret
  // (inline allow markers).
  static constexpr size_t kLineLookaround = 4096;
  // Bytes before a secret that stage 3 may read.
  static constexpr size_t kContextBefore = kLineLookaround;

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
  enum class Verdict { kReport, kDrop, kUndecided };
  // Stages 2 and 3 over `buffer`, whose first byte is at absolute offset `base`.
  // `input_complete`: the input ends with `buffer`. Otherwise matches whose
  // context runs past the end go to `undecided` (which may then be null only
  // when input_complete). Appends unsorted findings without fingerprints.
  // Matches that reach the end of `buffer` while the input goes on go to
  // `unfinished` (which may then be null only when input_complete).
  void Extract(std::string_view buffer, uint64_t base, bool input_complete,
               std::vector<Finding>* out, std::vector<UndecidedMatch>* undecided,
               std::vector<UnfinishedMatch>* unfinished);
  // Extract for one cluster.
  void ExtractCluster(const Cluster& cluster, std::string_view buffer, uint64_t base,
                      bool input_complete, std::vector<Finding>* out,
                      std::vector<UndecidedMatch>* undecided,
                      std::vector<UnfinishedMatch>* unfinished);
  // A generic rule's match whose secret span a stronger rule already reported
  // in this extraction (stronger_spans_): CollapseSameSpan would drop it.
  bool ReportedByStrongerRule(const CompiledRule& compiled, uint64_t offset, size_t length) const;
  // Extracts an unfinished match again over `buffer` (which holds its start);
  // returns the absolute offset a search goes on from (after the secret; the
  // match's start if there is no match now).
  uint64_t Reextract(const UnfinishedMatch& match, std::string_view buffer, uint64_t base,
                     bool input_complete, std::vector<Finding>* out,
                     std::vector<UndecidedMatch>* undecided,
                     std::vector<UnfinishedMatch>* unfinished);
  // Stage 3 for one stage-2 match (`groups`: whole match, secret) in `buffer`.
  void Consider(uint32_t rule_index, std::string_view buffer, uint64_t base,
                const re2::StringPiece* groups, bool input_complete, std::vector<Finding>* out,
                std::vector<UndecidedMatch>* undecided);
  // True (and the match recorded) when the match may still grow with more input.
  bool Unfinished(uint32_t rule_index, std::string_view buffer, uint64_t base,
                  const re2::StringPiece& whole, bool input_complete,
                  std::vector<UnfinishedMatch>* unfinished) const;
  // Checks on the secret alone: allowlist, validator, entropy, placeholder.
  // `match_context`: the whole match and up to kValidatorContextBefore bytes before it.
  bool PassesSecretChecks(const CompiledRule& compiled, std::string_view secret,
                          std::string_view match_context) const;
  // Checks on the secret's context: keywords and inline allow markers.
  Verdict JudgeContext(const Rule& rule, std::string_view buffer, size_t pos, size_t length,
                       bool input_complete) const;
  Finding MakeFinding(uint32_t rule_index, std::string_view buffer, size_t pos, size_t length,
                      uint64_t base) const;

  std::shared_ptr<const PatternDatabase> db_;
  HsScratch scratch_;
  std::vector<int64_t> open_cluster_;  // per rule: index into clusters_, or -1
  std::vector<Cluster> clusters_;
  // The spans the issuers' rules reported in this extraction, sorted, looked
  // up by the generic rules after them: a search, so that an input with many
  // findings costs n log n here, not n².
  std::vector<std::pair<uint64_t, uint32_t>> stronger_spans_;
};

// Collapses findings with the same span: the highest confidence wins, then the
// lowest rule index. Sorts by offset. Exposed for the stream path and tests.
void CollapseSameSpan(std::vector<Finding>* findings, size_t from);

// Sets `fingerprint` of findings[from..].
void FillFingerprints(std::vector<Finding>* findings, size_t from);

}  // namespace leakd
