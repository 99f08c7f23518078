#include "scan/fixture_path.h"

#include <string>

#include "common/ascii.h"

namespace leakd {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsFixtureFolder(std::string_view name) {
  static constexpr std::string_view kFolders[] = {
      "test",     "tests",        "__tests__", "__test__",  "spec",      "specs",         "fixture",
      "fixtures", "__fixtures__", "testdata",  "test-data", "test_data", "testfixtures",  "example",
      "examples", "sample",       "samples",   "doc",       "docs",      "documentation", "mock",
      "mocks",    "__mocks__",    "e2e",       "stubs",     "snapshots", "__snapshots__"};
  for (std::string_view folder : kFolders) {
    if (name == folder) return true;
  }
  return false;
}

// `name` in its own case: Java and C# mark tests in CamelCase (FooTest.java).
bool IsFixtureFileName(std::string_view name) {
  const std::string lower_name = AsciiLower(name);
  const std::string_view lower = lower_name;
  // Templates meant to be copied and filled in: .env.example, config.sample.yml.
  for (std::string_view marker : {".example", ".sample", ".template", ".dist"}) {
    if (EndsWith(lower, marker)) return true;
    if (lower.find(std::string(marker) + ".") != std::string_view::npos) return true;
  }
  for (std::string_view marker : {"example.", "sample."}) {
    if (StartsWith(lower, marker)) return true;
  }
  // Test files by language convention: foo_test.go, test_foo.py, foo.spec.ts,
  // foo_spec.rb, conftest.py, FooTest.java, FooTests.cs.
  const size_t dot = name.find('.', 1);
  const std::string_view stem = dot == std::string_view::npos ? name : name.substr(0, dot);
  const std::string_view lower_stem = lower.substr(0, stem.size());
  const std::string_view after_stem = lower.substr(stem.size());
  if (EndsWith(lower_stem, "_test") || EndsWith(lower_stem, "_tests") ||
      EndsWith(lower_stem, "_spec") || StartsWith(lower_stem, "test_") ||
      lower_stem == "conftest" || StartsWith(after_stem, ".test.") ||
      StartsWith(after_stem, ".spec.")) {
    return true;
  }
  for (std::string_view camel : {"Test", "Tests", "Spec"}) {
    if (stem.size() > camel.size() && EndsWith(stem, camel)) return true;
  }
  return false;
}

}  // namespace

bool IsFixturePath(std::string_view path) {
  std::string_view rest = path;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    const bool is_file = slash == std::string_view::npos;
    if (is_file ? IsFixtureFileName(part) : IsFixtureFolder(AsciiLower(part))) return true;
    rest.remove_prefix(is_file ? rest.size() : slash + 1);
  }
  return false;
}

}  // namespace leakd
