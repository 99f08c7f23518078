#include "common/cache_entries.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>

using namespace leakd;
namespace fs = std::filesystem;

namespace {

void Write(const fs::path& path, std::chrono::minutes age) {
  std::ofstream(path) << "x";
  fs::last_write_time(path, fs::file_time_type::clock::now() - age);
}

bool Exists(const fs::path& path) {
  return fs::exists(path);
}

}  // namespace

TEST_CASE("pruning keeps the most recently used entries of one kind", "[cache]") {
  const fs::path dir =
      fs::temp_directory_path() / ("leakd-entries-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (int i = 0; i < 5; ++i) {
    Write(dir / ("leakd-block-" + std::to_string(i) + ".hsdb"), std::chrono::minutes(100 - i));
  }
  Write(dir / "leakd-rules-a.bin", std::chrono::minutes(500));        // another kind
  Write(dir / "leakd-block-9.hsdb.tmp.1", std::chrono::minutes(60));  // a dead writer's
  Write(dir / "leakd-block-8.hsdb.tmp.2", std::chrono::minutes(1));   // a live writer's
  Write(dir / "notes.txt", std::chrono::minutes(900));                // not ours

  MarkCacheEntryUsed((dir / "leakd-block-0.hsdb").string());  // the oldest, used now
  PruneCacheEntries(dir.string(), "leakd-block-", 3);

  CHECK(Exists(dir / "leakd-block-0.hsdb"));
  CHECK(Exists(dir / "leakd-block-4.hsdb"));
  CHECK(Exists(dir / "leakd-block-3.hsdb"));
  CHECK_FALSE(Exists(dir / "leakd-block-2.hsdb"));
  CHECK_FALSE(Exists(dir / "leakd-block-1.hsdb"));
  CHECK(Exists(dir / "leakd-rules-a.bin"));
  CHECK_FALSE(Exists(dir / "leakd-block-9.hsdb.tmp.1"));
  CHECK(Exists(dir / "leakd-block-8.hsdb.tmp.2"));
  CHECK(Exists(dir / "notes.txt"));

  PruneCacheEntries((dir / "missing").string(), "leakd-block-", 3);  // no directory: no error
  fs::remove_all(dir);
}
