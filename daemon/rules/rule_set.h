// RuleSet: the validated set of rules read from a directory of YAML files.
//
// Loading checks structure (required fields, unique ids, known validators and
// confidences) but not regex syntax: that is the scan database's job, which
// reports a bad pattern with its rule id and file. Immutable after Load.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "rules/rule.h"

namespace leakd {

class RuleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RuleSet {
 public:
  // Reads every *.yaml / *.yml file below `path` (a directory or a single file),
  // in sorted order so that rule indices are stable. Throws RuleError. With a
  // `cache_dir`, the parsed rules are kept there (rules/rule_cache.h) and read
  // back while no rule file changed.
  static RuleSet LoadFrom(const std::string& path, const std::string& cache_dir = "");
  // Parses one YAML document; `origin` names it in error messages. Throws RuleError.
  void AddFromYaml(const std::string& yaml_text, const std::string& origin);

  const std::vector<Rule>& rules() const { return rules_; }
  size_t size() const { return rules_.size(); }
  const Rule& operator[](size_t i) const { return rules_[i]; }
  const Rule* FindById(const std::string& id) const;
  std::vector<std::string> Providers() const;  // sorted, unique
  // The same rules, in the same order, less those of one tier.
  RuleSet Without(Confidence tier) const;

  // SHA-256 hex over everything that affects matching; keys the database cache
  // and is exported as the pattern database's content hash.
  std::string ContentHash() const;

 private:
  std::vector<Rule> rules_;
};

}  // namespace leakd
