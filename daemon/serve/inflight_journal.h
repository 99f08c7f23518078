// InflightJournal: which message each worker is processing, in a file that
// outlives the process, so that the next process knows which messages were
// in flight when this one died (SIGKILL, a segfault, the OOM killer).
//
// Invariants:
// - Begin(slot, …) is in the file before the worker touches the message, and
//   End(slot) only after it is done with it: a process that dies in between
//   leaves that slot busy for the next one to read.
// - Open() takes an exclusive flock on the first journal of `dir` that no
//   live process holds (`<name>.<n>.inflight`, n < 64), so two daemons sharing
//   a directory never share a file; the lock dies with its holder, and a
//   restarted daemon takes over the file of the one that died.
// - A file that is not a journal (wrong magic, wrong size, a topic length out
//   of range) reads as empty: a torn or hostile file costs the entries it
//   held, never the daemon.
// - Reset() clears the file; call it only once what recovered() returned has
//   been saved elsewhere (serve/strike_book.h).
//
// Writes are plain stores into a MAP_SHARED mapping: they are in the page
// cache at once and survive the process (not a power loss, which also takes
// a pod's emptyDir with it).
//
// Threads: Begin/End of one slot from one thread at a time; slots are
// independent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace leakd {

struct InflightEntry {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  bool operator<(const InflightEntry& o) const;
  bool operator==(const InflightEntry& o) const;
};

class InflightJournal {
 public:
  // Throws std::runtime_error naming the path when `dir` cannot be created,
  // opened or locked (every file held by a live process).
  static std::unique_ptr<InflightJournal> Open(const std::string& dir, const std::string& name);
  ~InflightJournal();
  InflightJournal(const InflightJournal&) = delete;
  InflightJournal& operator=(const InflightJournal&) = delete;

  const std::string& path() const { return path_; }
  // The slots a previous process left busy.
  const std::vector<InflightEntry>& recovered() const { return recovered_; }

  // Empties the file and sizes it for `slots` workers. Throws like Open().
  void Reset(size_t slots);
  void Begin(size_t slot, const InflightEntry& entry);
  void End(size_t slot);

 private:
  struct Slot;
  InflightJournal(int fd, std::string path);
  void Unmap();

  int fd_;
  std::string path_;
  std::vector<InflightEntry> recovered_;
  void* map_ = nullptr;
  size_t map_bytes_ = 0;
  Slot* slots_ = nullptr;
  size_t slot_count_ = 0;
};

// The file name of `name`: characters outside [A-Za-z0-9._-] become '_', so
// any group id gives a name, and one that cannot escape the directory.
std::string JournalFileStem(const std::string& name);

}  // namespace leakd
