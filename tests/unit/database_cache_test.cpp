#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "common/cache_entries.h"
#include "common/whole_file.h"
#include "scan/pattern_database.h"
#include "test_support.h"

using namespace leakd;
namespace fs = std::filesystem;

namespace {
// Real rule files of every kind the cache holds (checksummed tokens, capped
// windows of generic rules, a keyword-led rule) without the cost of the whole
// set: two cold compiles of all rules took 100 s of this test under ASan. The
// whole set goes through the cache in every test process (SharedDatabase).
RuleSet SomeRealRules() {
  RuleSet set;
  for (const char* file : {"github.yaml", "discord.yaml", "generic.yaml", "aws.yaml"}) {
    const auto path = (fs::path(LEAKD_TEST_PATTERNS) / file).string();
    const auto text = ReadWholeFile(path);
    REQUIRE(text);
    set.AddFromYaml(*text, path);
  }
  return set;
}
}  // namespace

TEST_CASE("the compiled database is cached and reused, and a bad cache is rebuilt", "[cache]") {
  const fs::path dir =
      fs::temp_directory_path() / ("leakd-cache-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto rules = std::make_shared<const RuleSet>(SomeRealRules());
  PatternDatabase::Options options;
  options.cache_dir = dir.string();

  auto first = PatternDatabase::Build(rules, options);
  CHECK_FALSE(first->loaded_from_cache());
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    ++files;
    CHECK(entry.path().extension() == ".hsdb");
  }
  CHECK(files == 3);  // block, stream, and each rule's stage-2 window

  auto second = PatternDatabase::Build(rules, options);
  CHECK(second->loaded_from_cache());
  REQUIRE(second->size() == first->size());
  CHECK(second->max_window() == first->max_window());
  for (size_t i = 0; i < first->size(); ++i) {
    CHECK(second->compiled(i).window == first->compiled(i).window);
    CHECK(second->compiled(i).window_capped == first->compiled(i).window_capped);
  }
  const std::string token = testing::GithubToken("ghp_", 81);
  Scanner scanner(second);
  std::vector<Finding> found;
  scanner.Scan("t=" + token, &found);
  CHECK(found.size() == 1);

  for (const auto& entry : fs::directory_iterator(dir)) {
    std::ofstream(entry.path(), std::ios::trunc) << "garbage";
  }
  auto third = PatternDatabase::Build(rules, options);
  CHECK_FALSE(third->loaded_from_cache());
  fs::remove_all(dir);
}

TEST_CASE("a rule RE2 rejects is reported and nothing is cached for it", "[cache]") {
  const fs::path dir =
      fs::temp_directory_path() / ("leakd-cache-bad-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  RuleSet set;
  // Hyperscan accepts two capture groups; stage 2 needs exactly one.
  set.AddFromYaml(R"(rules:
  - id: test.two-groups
    name: Two groups
    provider: test
    pattern: '(abc)(def)[0-9]{4}'
    examples: ['abcdef1234']
)",
                  "two-groups.yaml");
  auto rules = std::make_shared<const RuleSet>(std::move(set));
  PatternDatabase::Options options;
  options.cache_dir = dir.string();
  for (int attempt = 0; attempt < 2; ++attempt) {  // the second must not pass from a cache
    CHECK_THROWS_WITH(PatternDatabase::Build(rules, options),
                      Catch::Contains("test.two-groups") && Catch::Contains("capture group"));
  }
  CHECK_FALSE(fs::exists(dir));
  fs::remove_all(dir);
}

TEST_CASE("the cache keeps the most recently used databases of each kind, not every one",
          "[cache]") {
  const fs::path dir =
      fs::temp_directory_path() / ("leakd-cache-prune-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  PatternDatabase::Options options;
  options.cache_dir = dir.string();
  options.with_stream = false;
  auto rules_numbered = [](int n) {
    auto set = std::make_shared<RuleSet>();
    set->AddFromYaml("provider: p\nrules: [{id: p.x, name: n, pattern: '(k" + std::to_string(n) +
                         "[0-9]{8})', examples: [k" + std::to_string(n) + "12345678]}]",
                     "p.yaml");
    return set;
  };
  // Twelve rule changes (a daemon reloading its rules twelve times).
  for (int n = 0; n < 12; ++n) PatternDatabase::Build(rules_numbered(n), options);
  auto count = [&](const std::string& prefix) {
    size_t files = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
      files += entry.path().filename().string().rfind(prefix, 0) == 0;
    }
    return files;
  };
  CHECK(count("leakd-block-") == kCacheEntriesKept);
  CHECK(count("leakd-windows-") == kCacheEntriesKept);
  // The newest is a hit; the first was removed and is rebuilt.
  CHECK(PatternDatabase::Build(rules_numbered(11), options)->loaded_from_cache());
  CHECK_FALSE(PatternDatabase::Build(rules_numbered(0), options)->loaded_from_cache());
  fs::remove_all(dir);
}
