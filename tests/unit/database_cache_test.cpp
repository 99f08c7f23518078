#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "scan/pattern_database.h"
#include "test_support.h"

using namespace leakd;
namespace fs = std::filesystem;

TEST_CASE("the compiled database is cached and reused, and a bad cache is rebuilt", "[cache]") {
  const fs::path dir =
      fs::temp_directory_path() / ("leakd-cache-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto rules = std::make_shared<const RuleSet>(RuleSet::LoadFrom(LEAKD_TEST_PATTERNS));
  PatternDatabase::Options options;
  options.cache_dir = dir.string();

  auto first = PatternDatabase::Build(rules, options);
  CHECK_FALSE(first->loaded_from_cache());
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    ++files;
    CHECK(entry.path().extension() == ".hsdb");
  }
  CHECK(files == 2);  // block and stream

  auto second = PatternDatabase::Build(rules, options);
  CHECK(second->loaded_from_cache());
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
