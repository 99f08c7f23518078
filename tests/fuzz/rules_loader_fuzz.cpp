// The rules loader on hostile YAML: RuleSet::AddFromYaml (the string API that
// LoadFrom uses for each file). Its contract: rules that satisfy the
// structural checks, or a RuleError; no other exception.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <set>
#include <string>
#include <typeinfo>

#include "fuzz_support.h"
#include "rules/rule_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string yaml(reinterpret_cast<const char*>(data), size);
  leakd::RuleSet set;
  try {
    set.AddFromYaml(yaml, "fuzz.yaml");
  } catch (const leakd::RuleError& e) {
    FUZZ_CHECK(std::string(e.what()).rfind("fuzz.yaml", 0) == 0, "error without its origin");
    // Rules before the bad one may stay in `set` (no caller keeps a set that
    // threw: LoadFrom discards it), so nothing is checked about them.
    return 0;
  } catch (const std::exception& e) {
    FUZZ_CHECK(false, std::string("AddFromYaml threw ") + typeid(e).name() +
                          ", not RuleError: " + e.what());
  }

  std::set<std::string> ids;
  for (const auto& rule : set.rules()) {
    FUZZ_CHECK(!rule.id.empty() && !rule.name.empty() && !rule.pattern.empty(), "empty field");
    FUZZ_CHECK(!rule.provider.empty(), "no provider");
    FUZZ_CHECK(!rule.examples.empty(), "no example");
    FUZZ_CHECK(ids.insert(rule.id).second, "duplicate id " + rule.id);
    FUZZ_CHECK(rule.source_file == "fuzz.yaml", "origin");
    for (const auto& k : rule.keywords) {
      FUZZ_CHECK(std::none_of(k.begin(), k.end(), [](char c) { return c >= 'A' && c <= 'Z'; }),
                 "keyword not lowercased");
    }
    if (rule.keyword_led) {  // scanned from its keywords, up to the end of its pattern
      const std::string tail = "(?:" + rule.pattern + ")";
      FUZZ_CHECK(
          !rule.keywords.empty() && rule.prefilter.size() > tail.size() &&
              rule.prefilter.compare(rule.prefilter.size() - tail.size(), tail.size(), tail) == 0,
          "keyword_led prefilter");
    }
    FUZZ_CHECK(set.FindById(rule.id) == &rule, "FindById");
  }
  // Loading the same text again into the same set: every id is a duplicate.
  if (set.size() > 0) {
    const std::string hash = set.ContentHash();
    FUZZ_CHECK(hash.size() == 64, "hash length");
    try {
      set.AddFromYaml(yaml, "fuzz.yaml");
      FUZZ_CHECK(false, "the same rules loaded twice");
    } catch (const leakd::RuleError&) {
    }
    FUZZ_CHECK(set.ContentHash() == hash, "a refused load changed the set");
  }
  return 0;
}
