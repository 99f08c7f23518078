#include "scan/ignore_list.h"

#include <catch2/catch.hpp>

#include "scan/path_glob.h"

using namespace leakd;

TEST_CASE("globs: * stays in one path segment, ** crosses them, ? is one character", "[ignore]") {
  CHECK(MatchesGlob("*.env", "prod.env"));
  CHECK_FALSE(MatchesGlob("*.env", "config/prod.env"));
  CHECK(MatchesGlob("**/*.env", "config/prod.env"));
  CHECK(MatchesGlob("**/*.env", "prod.env"));
  CHECK(MatchesGlob("dist/**", "dist/a/b.js"));
  CHECK(MatchesGlob("a/**/b", "a/x/y/b"));
  CHECK(MatchesGlob("a/**/b", "a/b"));
  CHECK(MatchesGlob("file?.txt", "file1.txt"));
  CHECK_FALSE(MatchesGlob("file?.txt", "file10.txt"));
  CHECK_FALSE(MatchesGlob("a?b", "a/b"));
}

TEST_CASE("ignore lines are read as .gitignore reads them", "[ignore]") {
  // No slash: a file or directory name at any depth.
  CHECK(IgnoresPath("secrets.txt", "secrets.txt"));
  CHECK(IgnoresPath("secrets.txt", "a/b/secrets.txt"));
  CHECK(IgnoresPath("vendor", "vendor/lib/x.go"));
  CHECK(IgnoresPath("vendor", "src/vendor/lib/x.go"));
  CHECK(IgnoresPath("*.pem", "deploy/keys/server.pem"));
  // A slash anchors at the root.
  CHECK(IgnoresPath("/secrets.txt", "secrets.txt"));
  CHECK_FALSE(IgnoresPath("/secrets.txt", "a/secrets.txt"));
  CHECK(IgnoresPath("deploy/id_rsa", "deploy/id_rsa"));
  CHECK_FALSE(IgnoresPath("deploy/id_rsa", "x/deploy/id_rsa"));
  CHECK(IgnoresPath("tests/data/", "tests/data/sample/.env"));
  // A trailing slash: directories only.
  CHECK(IgnoresPath("build/", "build/out.txt"));
  CHECK_FALSE(IgnoresPath("build/", "build"));
  CHECK(IgnoresPath("x", "./x"));
  CHECK_FALSE(IgnoresPath("x", "xy"));
}

TEST_CASE("an ignore file holds fingerprints, globs and comments", "[ignore]") {
  const std::string full = "5d41402abc4b2a76b9719d911017c592aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  IgnoreList list;
  CHECK(list.empty());
  list.AddLines("# a comment\n\n" + full + "\n  sha256:0123456789ABCDEF  \r\n*.lock\n/docs/\n");
  CHECK_FALSE(list.empty());
  CHECK(list.IgnoresFingerprint(full));
  CHECK(list.IgnoresFingerprint("0123456789abcdef" + std::string(48, '0')));
  CHECK_FALSE(list.IgnoresFingerprint(std::string(64, 'f')));
  CHECK(list.IgnoresPath("yarn.lock"));
  CHECK(list.IgnoresPath("docs/setup.md"));
  CHECK_FALSE(list.IgnoresPath("src/docs.md"));
  CHECK_FALSE(list.IgnoresPath("# a comment"));
  // A fingerprint is not a path, a path is not a fingerprint.
  CHECK_FALSE(list.IgnoresPath(full));
  CHECK_FALSE(list.IgnoresFingerprint("yarn.lock"));

  std::string error;
  CHECK_FALSE(list.AddFile("/nonexistent/.leakdignore", &error));
  CHECK(error.find("/nonexistent/.leakdignore") != std::string::npos);
}
