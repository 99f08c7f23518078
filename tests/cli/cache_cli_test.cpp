// The on-disk caches across builds: what one build of leakd cached, another
// build never loads (common/build_id.h), even with the same rules and version.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/build_id.h"
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

TEST_CASE("the build identity is the version and the binary's GNU build ID", "[cli][cache]") {
  const std::string& identity = leakd::BuildIdentity();
  CHECK(identity.rfind(std::string(LEAKD_VERSION) + "+", 0) == 0);
  // What readelf reads from this test program's notes.
  auto [status, out] =
      Shell("readelf -n /proc/" + std::to_string(::getpid()) + "/exe | sed -n 's/.*Build ID: //p'");
  REQUIRE(status == 0);
  CHECK(identity == std::string(LEAKD_VERSION) + "+" + out.substr(0, out.find('\n')));
}

TEST_CASE("notes without a well-formed GNU build ID give none", "[cli][cache]") {
  // namesz, descsz, type, name, desc: a foreign note, then the build ID.
  const unsigned char notes[] = {4,   0,   0, 0, 4, 0, 0,   0,   1,   0, 0,    0,    'X',
                                 'Y', 'Z', 0, 9, 9, 9, 9,   4,   0,   0, 0,    3,    0,
                                 0,   0,   3, 0, 0, 0, 'G', 'N', 'U', 0, 0xab, 0x01, 0xff};
  CHECK(leakd::GnuBuildIdHex(notes, sizeof notes) == "ab01ff");
  CHECK(leakd::GnuBuildIdHex(notes, sizeof notes - 1).empty());  // desc cut short
  CHECK(leakd::GnuBuildIdHex(notes, 20).empty());                // only the foreign note
  unsigned char huge[sizeof notes];
  std::copy(notes, notes + sizeof notes, huge);
  huge[24] = 0xff, huge[25] = 0xff, huge[26] = 0xff, huge[27] = 0xff;  // descsz 4 GiB
  CHECK(leakd::GnuBuildIdHex(huge, sizeof huge).empty());
}

TEST_CASE("another build of leakd does not load what this build cached", "[cli][cache]") {
  const fs::path dir =
      fs::temp_directory_path() / ("leakd-cache-cli-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "cache");
  fs::copy_file(fs::path(LEAKD_TEST_PATTERNS) / "github.yaml", dir / "github.yaml");
  std::ofstream(dir / "leak.txt") << "t=" << leakd::testing::GithubToken("ghp_", 3) << "\n";
  // The same program without its build ID note: another build, same version.
  const fs::path other = dir / "leakd-other-build";
  REQUIRE(Shell("objcopy --remove-section=.note.gnu.build-id " + std::string(LEAKD_BINARY) + " " +
                other.string())
              .first == 0);
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
