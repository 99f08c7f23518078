// Output formats of `leakd scan`: text, json, jsonl and SARIF 2.1.0. A finding
// from a git history (`scan --git`) also names its commit: "<commit>:<path>" in
// text; "commit", "blob", "author_date", "other_commits", "other_paths" in
// json/jsonl; in SARIF, the same in the result's properties and the commit in
// partialFingerprints "commitSha" and the message. A finding
// marked fixture says so in each: "(fixture)" in text, "fixture": true|false in
// json/jsonl and in a SARIF result's properties.
// The secret itself is written only when `reveal` is set; otherwise findings
// are identified by fingerprint and redacted form. Single-threaded.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "common/line_index.h"
#include "rules/rule_set.h"
#include "scan/finding.h"

namespace leakd {

enum class OutputFormat { kText, kJson, kJsonl, kSarif };
bool ParseOutputFormat(const std::string& name, OutputFormat* out);

// Where a finding of a git history comes from (history/history_scan.h).
struct GitProvenance {
  std::string commit, blob, author_date;
  uint32_t other_commits = 0, other_paths = 0;
};

struct LocatedFinding {
  std::string path;
  TextPosition position;
  Finding finding;
  std::optional<GitProvenance> git;  // set by `scan --git`
};

void WriteFindings(OutputFormat format, const std::vector<LocatedFinding>& findings,
                   const RuleSet& rules, bool reveal, std::ostream& out);
// WriteFindings to `output_path` (truncated), or stdout when it is empty.
// False, with a message on stderr, when the file cannot be written.
bool WriteFindingsTo(const std::string& output_path, OutputFormat format,
                     const std::vector<LocatedFinding>& findings, const RuleSet& rules,
                     bool reveal);

}  // namespace leakd
