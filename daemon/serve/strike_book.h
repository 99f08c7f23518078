// StrikeBook: how many times each message was in flight when a process died,
// kept in a small text file next to the journal (serve/inflight_journal.h),
// one line per message: "strikes<TAB>partition<TAB>offset<TAB>topic".
//
// Invariants:
// - Save() replaces the file whole (common/whole_file.h: a temporary, then a
//   rename): a death during Save leaves the old book or the new one, never a
//   mix. Like the journal, it outlives the process, not a power loss.
// - Load() keeps every well-formed line and skips the rest, and reads a file
//   over 2 MiB as empty: a hand-edited, torn or hostile file never stops the
//   daemon or fills its memory.
// - At most kMaxEntries messages are kept; past it the entries with the
//   fewest strikes (then the oldest offsets) go first.
//
// Threads: not thread-safe; serve/poison_guard.h serialises.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "serve/inflight_journal.h"

namespace leakd {

class StrikeBook {
 public:
  static constexpr size_t kMaxEntries = 1024;

  explicit StrikeBook(std::string path) : path_(std::move(path)) {}

  // Reads the file; a missing file is an empty book.
  void Load();
  // Throws std::runtime_error naming the path when the file cannot be written.
  void Save() const;

  // One more strike for each entry (an entry listed twice gets two).
  void Strike(const std::vector<InflightEntry>& entries);
  unsigned Count(const InflightEntry& entry) const;
  // Forgets `entry`; true if it was there.
  bool Clear(const InflightEntry& entry);
  size_t size() const { return strikes_.size(); }
  const std::string& path() const { return path_; }

 private:
  void Bound();

  std::string path_;
  std::map<InflightEntry, unsigned> strikes_;
};

}  // namespace leakd
