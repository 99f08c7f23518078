#include "common/cache_entries.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <vector>

namespace leakd {
namespace fs = std::filesystem;

void MarkCacheEntryUsed(const std::string& path) {
  ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);  // both times to now
}

void PruneCacheEntries(const std::string& dir, const std::string& prefix, size_t keep) {
  struct Entry {
    fs::file_time_type used;
    fs::path path;
  };
  std::vector<Entry> entries;
  const auto stale_temp = fs::file_time_type::clock::now() - std::chrono::minutes(10);
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0 || !it->is_regular_file(ec)) continue;
    const auto used = it->last_write_time(ec);
    if (ec) continue;
    if (name.find(".tmp.") != std::string::npos) {
      if (used < stale_temp) fs::remove(it->path(), ec);
      continue;
    }
    entries.push_back({used, it->path()});
  }
  if (entries.size() <= keep) return;
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.used > b.used; });
  for (size_t i = keep; i < entries.size(); ++i) fs::remove(entries[i].path, ec);
}

}  // namespace leakd
