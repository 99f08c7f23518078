#include "cli/rules_command.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "scan/example_check.h"

namespace leakd {

int RunRulesList(const EngineConfig& config, bool json) {
  try {
    const std::string path = config.rules_path.empty() ? DefaultRulesPath() : config.rules_path;
    const RuleSet rules = RuleSet::LoadFrom(path);
    if (json) {
      for (const Rule& r : rules.rules()) {
        std::cout << nlohmann::json{{"id", r.id},
                                    {"name", r.name},
                                    {"provider", r.provider},
                                    {"confidence", ConfidenceName(r.confidence)},
                                    {"validator", r.validator},
                                    {"pattern", r.pattern},
                                    {"prefilter", r.prefilter},
                                    {"keywords", r.keywords},
                                    {"keyword_led", r.keyword_led},
                                    {"file", r.source_file}}
                         .dump()
                  << '\n';
      }
    } else {
      for (const Rule& r : rules.rules()) {
        std::cout << r.id << '\t' << r.provider << '\t' << ConfidenceName(r.confidence) << '\t'
                  << r.name << '\n';
      }
      std::cerr << rules.size() << " rules, " << rules.Providers().size() << " providers\n";
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "leakd: " << e.what() << '\n';
    return 2;
  }
}

int RunRulesCheck(const EngineConfig& config) {
  std::shared_ptr<const PatternDatabase> db;
  try {
    EngineConfig uncached = config;
    uncached.use_cache = false;  // a check must compile for real
    uncached.with_stream = true;
    uncached.identifiers = true;  // every rule's examples, the opt-in tier's too
    db = LoadEngine(uncached);
  } catch (const std::exception& e) {
    std::cerr << "leakd: " << e.what() << '\n';
    return 2;
  }
  size_t examples = 0;
  for (const Rule& r : db->rules().rules())
    examples += r.examples.size() + r.negative_examples.size();
  const auto failures = CheckExamples(db);
  for (const auto& f : failures) {
    std::cout << f.file << ": rule " << f.rule_id << ": " << DescribeFailure(f) << '\n';
  }
  for (size_t i = 0; i < db->size(); ++i) {
    if (db->compiled(i).window_capped) {
      std::cout << db->rules()[i].source_file << ": rule " << db->rules()[i].id
                << ": warning: unbounded pattern, matches over " << PatternDatabase::kMaxWindow
                << " bytes are not extracted\n";
    }
  }
  std::cout << db->size() << " rules, " << db->rules().Providers().size() << " providers, "
            << examples << " examples checked, " << failures.size() << " failure(s); compiled in "
            << db->build_seconds() << " s\n";
  return failures.empty() ? 0 : 1;
}

}  // namespace leakd
