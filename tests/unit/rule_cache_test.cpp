#include "rules/rule_cache.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "common/cache_entries.h"
#include "rules/rule_set.h"
#include "temp_dir.h"

using namespace leakd;
namespace fs = std::filesystem;

namespace {

bool SameRule(const Rule& a, const Rule& b) {
  return a.id == b.id && a.name == b.name && a.provider == b.provider && a.pattern == b.pattern &&
         a.prefilter == b.prefilter && a.capture == b.capture && a.keywords == b.keywords &&
         a.min_entropy == b.min_entropy && a.validator == b.validator &&
         a.confidence == b.confidence && a.allowlist == b.allowlist &&
         a.placeholder_check == b.placeholder_check && a.keyword_led == b.keyword_led &&
         a.examples == b.examples && a.negative_examples == b.negative_examples &&
         a.references == b.references && a.source_file == b.source_file;
}

struct RuleCacheDir : leakd::testing::TempDir {
  RuleCacheDir() : TempDir("rule-cache") {}
};

void WriteRuleFile(const fs::path& file, const std::string& id) {
  std::ofstream(file) << "rules:\n  - id: " << id
                      << "\n    name: A test rule\n    provider: test\n"
                         "    pattern: 'tok_([a-z0-9]{20})'\n    keywords: [tok_]\n"
                         "    min_entropy: 3.14159265358979\n    confidence: checksum\n"
                         "    examples: ['tok_abcdefghij0123456789']\n";
}

}  // namespace

TEST_CASE("every field of every rule survives the rule cache", "[rule-cache]") {
  const RuleSet set = RuleSet::LoadFrom(LEAKD_TEST_PATTERNS);
  const auto decoded = DecodeRules(EncodeRules(set.rules()));
  REQUIRE(decoded);
  REQUIRE(decoded->size() == set.size());
  for (size_t i = 0; i < set.size(); ++i) CHECK(SameRule((*decoded)[i], set[i]));
}

TEST_CASE("a truncated or corrupt rule cache entry is a miss, never a crash", "[rule-cache]") {
  const RuleSet set = RuleSet::LoadFrom(LEAKD_TEST_PATTERNS);
  const std::string bytes =
      EncodeRules(std::vector<Rule>(set.rules().begin(), set.rules().begin() + 20));
  for (size_t cut = 0; cut < bytes.size(); cut += 1 + cut / 8) {
    CHECK_FALSE(DecodeRules(std::string_view(bytes).substr(0, cut)));
  }
  std::string flipped = bytes;
  flipped[0] ^= 0x20;  // the magic
  CHECK_FALSE(DecodeRules(flipped));
  std::string huge_count = bytes;
  huge_count[15] = '\xff';  // the rule count claims more than there is
  CHECK_FALSE(DecodeRules(huge_count));
}

TEST_CASE("the rule cache is used until a rule file changes", "[rule-cache]") {
  RuleCacheDir tmp;
  const fs::path rules = tmp.path / "rules", cache = tmp.path / "cache";
  fs::create_directories(rules);
  WriteRuleFile(rules / "a.yaml", "test.first");
  const RuleSet parsed = RuleSet::LoadFrom(rules.string(), cache.string());
  const auto key = RuleFilesKey(ListRuleFiles(rules.string()));
  REQUIRE(LoadCachedRules(cache.string(), key));  // stored by the first load
  const RuleSet cached = RuleSet::LoadFrom(rules.string(), cache.string());
  REQUIRE(cached.size() == 1);
  CHECK(SameRule(cached[0], parsed[0]));
  CHECK(cached[0].min_entropy == 3.14159265358979);

  WriteRuleFile(rules / "a.yaml", "test.changed-id");  // same size, new content
  CHECK(RuleFilesKey(ListRuleFiles(rules.string())) != key);
  CHECK(RuleSet::LoadFrom(rules.string(), cache.string())[0].id == "test.changed-id");

  WriteRuleFile(rules / "b.yaml", "test.second");  // a new file
  CHECK(RuleSet::LoadFrom(rules.string(), cache.string()).size() == 2);
  fs::remove(rules / "b.yaml");  // and gone again
  CHECK(RuleSet::LoadFrom(rules.string(), cache.string()).size() == 1);
}

TEST_CASE("the rule cache keeps the most recently used entries, not one per change",
          "[rule-cache]") {
  RuleCacheDir tmp;
  const fs::path rules = tmp.path / "rules", cache = tmp.path / "cache";
  fs::create_directories(rules);
  for (int change = 0; change < 12; ++change) {
    WriteRuleFile(rules / "a.yaml", "test.change-" + std::to_string(change + 10));
    CHECK(RuleSet::LoadFrom(rules.string(), cache.string())[0].id ==
          "test.change-" + std::to_string(change + 10));
  }
  size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(cache)) {
    entries += entry.path().filename().string().rfind("leakd-rules-", 0) == 0;
  }
  CHECK(entries == kCacheEntriesKept);
  CHECK(LoadCachedRules(cache.string(), RuleFilesKey(ListRuleFiles(rules.string()))));
}
