// The on-disk caches across builds: what one build of leakd cached, a build
// of other code never loads (common/build_id.h), even with the same rules and
// version.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/build_id.h"
#include "common/whole_file.h"
#include "shell.h"
#include "test_support.h"

namespace fs = std::filesystem;
using leakd::testing::Shell;

namespace {

// Cache entries of one kind ("block", "rules") in `dir`.
size_t Entries(const fs::path& dir, const std::string& kind) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    n += e.path().filename().string().rfind("leakd-" + kind + "-", 0) == 0;
  }
  return n;
}

}  // namespace

TEST_CASE("the build identity is the version and a hash of the daemon's sources", "[cli][cache]") {
  const std::string& identity = leakd::BuildIdentity();
  const std::string version = std::string(LEAKD_VERSION) + "+";
  REQUIRE(identity.rfind(version, 0) == 0);
  const std::string hash = identity.substr(version.size());
  CHECK(hash.size() == 24);
  CHECK(hash.find_first_not_of("0123456789abcdef") == std::string::npos);
  // leakd itself was built from the same sources as this test.
  CHECK(leakd::ReadWholeFile(LEAKD_BINARY).value_or("").find(identity) != std::string::npos);
}

TEST_CASE("another build of leakd does not load what this build cached", "[cli][cache]") {
  const fs::path dir =
      fs::temp_directory_path() / ("leakd-cache-cli-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "cache");
  fs::copy_file(fs::path(LEAKD_TEST_PATTERNS) / "github.yaml", dir / "github.yaml");
  std::ofstream(dir / "leak.txt") << "t=" << leakd::testing::GithubToken("ghp_", 3) << "\n";
  // The same program with another identity: what a build of changed code is.
  auto read = leakd::ReadWholeFile(LEAKD_BINARY);
  REQUIRE(read);
  std::string& program = *read;
  const std::string& identity = leakd::BuildIdentity();
  const size_t at = program.find(identity);
  REQUIRE(at != std::string::npos);
  char& last = program[at + identity.size() - 1];
  last = last == '0' ? '1' : '0';
  const fs::path other = dir / "leakd-other-build";
  std::ofstream(other, std::ios::binary) << program;
  fs::permissions(other, fs::perms::owner_exec, fs::perm_options::add);
  const auto scan = [&](const std::string& binary) {
    return Shell(binary + " scan --rules " + (dir / "github.yaml").string() + " --cache-dir " +
                 (dir / "cache").string() + " " + (dir / "leak.txt").string() + " 2>/dev/null")
        .first;
  };
  CHECK(scan(LEAKD_BINARY) == 1);
  CHECK(scan(LEAKD_BINARY) == 1);  // a hit: nothing new is written
  CHECK(Entries(dir / "cache", "block") == 1);
  CHECK(Entries(dir / "cache", "rules") == 1);
  CHECK(scan(other.string()) == 1);  // compiled and parsed anew
  CHECK(Entries(dir / "cache", "block") == 2);
  CHECK(Entries(dir / "cache", "rules") == 2);
  fs::remove_all(dir);
}
