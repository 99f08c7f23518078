// Keeps a cache directory from growing without bound.
//
// Every change of the rules (a live reload, a scan with another rules
// directory, a new leakd version) writes new cache entries under new keys, and
// nothing would ever remove the old ones: a daemon reloading its rules daily
// collects megabytes of stale databases a day. Entries of one kind (a file
// name prefix such as "leakd-block-") are kept to the most recently used few;
// recency is the file's modification time, refreshed on every hit. Removing
// an entry another process is about to read only costs that process a miss
// (it rebuilds), never a wrong answer: entries are written atomically and read
// whole.
#pragma once

#include <cstddef>
#include <string>

namespace leakd {

inline constexpr size_t kCacheEntriesKept = 8;

// Marks the entry at `path` as used now. Errors are ignored (a read-only cache).
void MarkCacheEntryUsed(const std::string& path);

// Removes the entries in `dir` whose names start with `prefix`, except the
// `keep` most recently used, and temporary files of that kind left by a
// writer that died (older than ten minutes). Errors are ignored.
void PruneCacheEntries(const std::string& dir, const std::string& prefix,
                       size_t keep = kCacheEntriesKept);

}  // namespace leakd
