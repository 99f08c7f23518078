#include "rules/rule_set.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/ascii.h"
#include "common/enum_table.h"
#include "common/sha256.h"
#include "rules/keyword_led.h"
#include "rules/near_value.h"
#include "rules/rule_cache.h"
#include "rules/validator_names.h"

namespace leakd {
namespace fs = std::filesystem;

namespace {
constexpr auto kConfidences = MakeEnumTable<Confidence>({{Confidence::kChecksum, "checksum"},
                                                         {Confidence::kFormat, "format"},
                                                         {Confidence::kContext, "context"},
                                                         {Confidence::kHash, "hash"},
                                                         {Confidence::kGeneric, "generic"},
                                                         {Confidence::kIdentifier, "identifier"}});
}  // namespace

// Names are string literals, so data() is NUL-terminated.
const char* ConfidenceName(Confidence c) {
  return kConfidences.Name(c, "format").data();
}

bool ParseConfidence(const std::string& text, Confidence* out) {
  return kConfidences.Parse(text, out);
}

namespace {

std::vector<std::string> StringList(const YAML::Node& node, const std::string& where) {
  std::vector<std::string> out;
  if (!node) return out;
  if (!node.IsSequence()) throw RuleError(where + ": expected a list");
  for (const auto& item : node) out.push_back(item.as<std::string>());
  return out;
}

std::string RequiredString(const YAML::Node& node, const char* key, const std::string& where) {
  if (!node[key] || !node[key].IsScalar() || node[key].as<std::string>().empty()) {
    throw RuleError(where + ": missing required field '" + key + "'");
  }
  return node[key].as<std::string>();
}

// The rule's pattern: its own `pattern`, or the template of a `near`/`value`
// rule (rules/near_value.h), whose keywords and confidence then default to its
// names and `context`.
void ReadPattern(const YAML::Node& node, const std::string& where, Rule* rule) {
  if (!node["near"]) {
    rule->pattern = RequiredString(node, "pattern", where);
    return;
  }
  if (node["pattern"]) throw RuleError(where + ": 'near' and 'pattern' exclude each other");
  const auto near = StringList(node["near"], where + ".near");
  if (near.empty()) throw RuleError(where + ": 'near' lists no name");
  rule->pattern = NearValuePattern(near, RequiredString(node, "value", where));
  rule->confidence = Confidence::kContext;
  if (node["keywords"]) return;
  auto keywords = NearKeywords(near);
  if (!keywords) throw RuleError(where + ": 'near' holds regex syntax: list its 'keywords'");
  rule->keywords = std::move(*keywords);
}

// `keyword_led: true`: Hyperscan scans from the rule's keywords to its
// pattern (rules/keyword_led.h). Called once the keywords are read.
void ReadKeywordLed(const YAML::Node& node, const std::string& where, Rule* rule) {
  if (!node["keyword_led"] || !node["keyword_led"].as<bool>()) return;
  if (node["near"]) throw RuleError(where + ": a 'near' rule is led by its names already");
  if (node["prefilter"])
    throw RuleError(where + ": 'keyword_led' and 'prefilter' exclude each other");
  if (rule->keywords.empty()) throw RuleError(where + ": 'keyword_led' needs 'keywords'");
  rule->keyword_led = true;
  rule->prefilter = KeywordLedPrefilter(rule->keywords, rule->pattern, kKeywordLookback);
}

// Appends the rules of `doc` to `rules`. Throws RuleError, or YAML::Exception
// from a lookup or conversion that the document does not support.
void AddRules(const YAML::Node& doc, const std::string& origin, std::vector<Rule>* rules) {
  if (!doc["rules"] || !doc["rules"].IsSequence()) {
    throw RuleError(origin + ": expected a top-level 'rules' list");
  }
  const std::string file_provider = doc["provider"] ? doc["provider"].as<std::string>() : "";
  std::set<std::string> seen;
  for (const auto& r : *rules) seen.insert(r.id);

  for (const auto& node : doc["rules"]) {
    Rule rule;
    rule.source_file = origin;
    rule.id = RequiredString(node, "id", origin);
    const std::string where = origin + ": rule " + rule.id;
    try {
      rule.name = RequiredString(node, "name", where);
      ReadPattern(node, where, &rule);
      if (node["prefilter"]) rule.prefilter = node["prefilter"].as<std::string>();
      if (node["capture"]) rule.capture = node["capture"].as<std::string>();
      rule.provider = node["provider"] ? node["provider"].as<std::string>() : file_provider;
      if (rule.provider.empty()) throw RuleError(where + ": no provider (rule or file level)");
      if (node["keywords"]) rule.keywords = StringList(node["keywords"], where + ".keywords");
      for (auto& k : rule.keywords) k = AsciiLower(k);
      ReadKeywordLed(node, where, &rule);
      if (node["min_entropy"]) rule.min_entropy = node["min_entropy"].as<double>();
      if (node["validator"]) rule.validator = node["validator"].as<std::string>();
      if (!rule.validator.empty() && !IsKnownValidator(rule.validator)) {
        throw RuleError(where + ": unknown validator '" + rule.validator + "'");
      }
      if (node["confidence"]) {
        if (!ParseConfidence(node["confidence"].as<std::string>(), &rule.confidence)) {
          throw RuleError(where +
                          ": confidence must be checksum, format, context, hash or generic");
        }
      } else if (!rule.validator.empty() && !node["near"]) {
        rule.confidence = Confidence::kChecksum;
      }
      if (node["placeholder_check"]) rule.placeholder_check = node["placeholder_check"].as<bool>();
      rule.allowlist = StringList(node["allowlist"], where + ".allowlist");
      rule.examples = StringList(node["examples"], where + ".examples");
      rule.negative_examples = StringList(node["negative_examples"], where + ".negative_examples");
      rule.references = StringList(node["references"], where + ".references");
    } catch (const YAML::Exception& e) {
      throw RuleError(where + ": " + e.what());
    }
    if (rule.examples.empty()) throw RuleError(where + ": at least one example is required");
    if (!seen.insert(rule.id).second) throw RuleError(where + ": duplicate rule id");
    rules->push_back(std::move(rule));
  }
}

}  // namespace

void RuleSet::AddFromYaml(const std::string& yaml_text, const std::string& origin) {
  YAML::Node doc;
  try {
    doc = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw RuleError(origin + ": " + e.what());
  }
  // yaml-cpp throws from lookups and conversions too (a scalar document, a
  // list where a string belongs): each becomes a RuleError naming the file.
  try {
    AddRules(doc, origin, &rules_);
  } catch (const YAML::Exception& e) {
    throw RuleError(origin + ": " + e.what());
  }
}

RuleSet RuleSet::LoadFrom(const std::string& path, const std::string& cache_dir) {
  const std::vector<std::string> files = ListRuleFiles(path);
  const std::string key = cache_dir.empty() ? std::string() : RuleFilesKey(files);
  RuleSet set;
  if (auto cached = LoadCachedRules(cache_dir, key); cached && !cached->empty()) {
    set.rules_ = std::move(*cached);
    return set;
  }
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in) throw RuleError(f + ": cannot read");
    set.AddFromYaml(buffer.str(), f);
  }
  if (set.rules_.empty()) throw RuleError("no rules found in " + path);
  StoreCachedRules(cache_dir, key, set.rules_);
  return set;
}

const Rule* RuleSet::FindById(const std::string& id) const {
  for (const auto& r : rules_) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::vector<std::string> RuleSet::Providers() const {
  std::set<std::string> providers;
  for (const auto& r : rules_) providers.insert(r.provider);
  return {providers.begin(), providers.end()};
}

RuleSet RuleSet::Without(Confidence tier) const {
  RuleSet kept;
  for (const auto& r : rules_) {
    if (r.confidence != tier) kept.rules_.push_back(r);
  }
  return kept;
}

std::string RuleSet::ContentHash() const {
  // Unit separators keep field boundaries unambiguous.
  std::string material;
  for (const auto& r : rules_) {
    material += r.id + '\x1f' + r.pattern + '\x1f' + r.prefilter + '\x1f' + r.capture + '\x1f' +
                r.validator + '\x1f' + std::to_string(r.min_entropy) + '\x1f' +
                ConfidenceName(r.confidence) + '\x1f' + (r.placeholder_check ? "1" : "0") + '\x1f';
    for (const auto& k : r.keywords) material += k + '\x1d';
    for (const auto& a : r.allowlist) material += a + '\x1d';
    material += '\x1e';
  }
  return Sha256Hex(material);
}

}  // namespace leakd
