// Output formats of `leakd scan`: text, json, jsonl and SARIF 2.1.0. A finding
// marked fixture says so in each: "(fixture)" in text, "fixture": true|false in
// json/jsonl and in a SARIF result's properties.
// The secret itself is written only when `reveal` is set; otherwise findings
// are identified by fingerprint and redacted form. Single-threaded.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "common/line_index.h"
#include "rules/rule_set.h"
#include "scan/finding.h"

namespace leakd {

enum class OutputFormat { kText, kJson, kJsonl, kSarif };
bool ParseOutputFormat(const std::string& name, OutputFormat* out);

struct LocatedFinding {
  std::string path;
  TextPosition position;
  Finding finding;
};

void WriteFindings(OutputFormat format, const std::vector<LocatedFinding>& findings,
                   const RuleSet& rules, bool reveal, std::ostream& out);

}  // namespace leakd
