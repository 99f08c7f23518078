// PoisonGuard: a message that kills the process (a segfault in a library, the
// OOM killer) is parked on the dead-letter topic after `poison_after` deaths,
// instead of killing every process that consumes it from then on.
//
// How: each worker marks the message it is processing in an InflightJournal.
// At start, every message a dead process left marked gets a strike in the
// StrikeBook. A message with strikes is processed *alone*: no other worker
// processes anything meanwhile, so if it kills the process again it is the
// only one marked and only it gets the next strike. A message that was merely
// in flight beside a poison one passes its solo run and is cleared. A message
// with `poison_after` strikes is not processed: the worker dead-letters it
// (reason poison-message).
//
// Invariants:
// - Strikes are added only in the constructor, before any worker runs; later
//   an entry can only be cleared. With an empty book Enter() takes no lock.
// - A suspect is cleared only when its solo run has returned. A poison
//   message keeps its strikes: its offset commits once the dead letter is
//   acknowledged, and if the process dies first it is dead-lettered again.
// - While a suspect waits or runs, other messages wait before they start;
//   running ones finish first (a suspect never shares the process).
//
// Threads: Enter() from any worker; a Pass ends on the thread that entered.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "serve/inflight_journal.h"
#include "serve/strike_book.h"

namespace leakd {

class PoisonGuard {
 public:
  struct Options {
    std::string state_dir;
    std::string name;  // the group id: one set of files per consumer group
    size_t workers = 1;
    unsigned poison_after = 2;
  };
  // Throws std::runtime_error when the state directory cannot be used.
  explicit PoisonGuard(const Options& options);

  // The messages that were in flight when the previous process died.
  const std::vector<InflightEntry>& recovered() const { return recovered_; }
  const std::string& journal_path() const { return journal_->path(); }

  class Pass {
   public:
    Pass(Pass&& other) noexcept;
    Pass& operator=(Pass&&) = delete;
    ~Pass();
    bool poison() const { return mode_ == Mode::kPoison; }
    bool alone() const { return mode_ == Mode::kAlone; }
    unsigned strikes() const { return strikes_; }

   private:
    friend class PoisonGuard;
    enum class Mode { kDone, kFast, kShared, kAlone, kPoison };
    Pass(PoisonGuard* guard, size_t worker, InflightEntry entry, Mode mode, unsigned strikes);

    PoisonGuard* guard_;
    size_t worker_;
    InflightEntry entry_;
    Mode mode_;
    unsigned strikes_;
  };

  // Call before worker `worker` processes `entry`; keep the Pass until the
  // processing has ended. May wait (see the invariants). poison(): do not
  // process, dead-letter.
  Pass Enter(size_t worker, InflightEntry entry);

 private:
  void Leave(Pass& pass);

  unsigned poison_after_;
  std::unique_ptr<InflightJournal> journal_;
  std::vector<InflightEntry> recovered_;
  std::mutex mu_;
  std::condition_variable changed_;
  StrikeBook book_;               // guarded by mu_
  std::atomic<bool> book_empty_;  // then no suspect can arrive: no lock
  size_t running_ = 0;            // non-suspects processing; guarded by mu_
  size_t suspects_waiting_ = 0;   // guarded by mu_
  bool suspect_running_ = false;  // guarded by mu_
};

}  // namespace leakd
