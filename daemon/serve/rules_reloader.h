// Live rule reload for `leakd serve`.
//
// DatabaseSlot holds the pattern database new messages are scanned with.
// Workers read its generation (one atomic load) between messages and take the
// new database when it changed; a message being scanned finishes on the
// database it started with, which lives on through the worker's shared_ptr
// until then (and an open chunked upload finishes on the database it started
// on: serve/scan_engines.h).
//
// RulesReloader rebuilds the database on its own thread when asked (SIGHUP
// sets the flag it watches) or when the rules on disk change. Changes are
// found by polling (every `poll_ms`) a listing of the rule files: path, size
// and modification time, following symlinks. Polling rather than inotify
// because it sees what inotify misses or needs special handling for: a
// Kubernetes ConfigMap update (an atomic swap of the `..data` symlink),
// editors that write a new file and rename it over the old one, network
// file systems; its cost is a stat per rule file per poll.
// The rebuild uses the compiled-database cache. On success the new database
// is published, leakd_pattern_database_info{hash} moves to the new hash and
// leakd_pattern_database_last_reload_success is 1. On failure (a YAML error,
// a pattern Hyperscan or RE2 rejects) the old database stays, the error is
// logged with the file and rule id, and last_reload_success is 0. Rules whose
// compiled content is unchanged (same hash) are not swapped.
//
// Thread-safe: DatabaseSlot from any thread; RulesReloader's thread is its own.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "obs/metrics.h"
#include "scan/engine_config.h"

namespace leakd {

class DatabaseSlot {
 public:
  explicit DatabaseSlot(std::shared_ptr<const PatternDatabase> db) : db_(std::move(db)) {}
  std::shared_ptr<const PatternDatabase> Get() const {
    std::lock_guard<std::mutex> lock(mu_);
    return db_;
  }
  // Incremented by every Publish.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  void Publish(std::shared_ptr<const PatternDatabase> db) {
    std::lock_guard<std::mutex> lock(mu_);
    db_ = std::move(db);
    generation_.fetch_add(1, std::memory_order_release);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const PatternDatabase> db_;
  std::atomic<uint64_t> generation_{0};
};

// A key of the rule files under `path` (a file or a directory) as they are on
// disk (rules/rule_cache.h RuleFilesKey). Equal keys: nothing changed.
std::string RulesListing(const std::string& path);

class RulesReloader {
 public:
  // `requested`: set (e.g. by a SIGHUP handler) to ask for a reload; cleared here.
  // `poll_ms` 0: no polling, reloads only on request.
  RulesReloader(EngineConfig engine, uint64_t poll_ms, DatabaseSlot& slot, Metrics& metrics,
                std::atomic<bool>* requested);
  ~RulesReloader();
  RulesReloader(const RulesReloader&) = delete;
  RulesReloader& operator=(const RulesReloader&) = delete;

  void Start();
  // No reload starts after this; one running goes on (see busy()).
  void RequestStop();
  // RequestStop, then waits for the thread (and a compile in progress).
  void Stop();
  // A compile is in progress. After RequestStop, false means none will start.
  bool busy() const { return busy_; }
  // Rebuilds now, on the caller's thread; true when the rules load (a new
  // database is published if their hash differs).
  bool ReloadNow(const char* trigger);

 private:
  void Loop();
  std::string RulesPath() const;

  EngineConfig engine_;
  uint64_t poll_ms_;
  DatabaseSlot& slot_;
  Metrics& metrics_;
  std::atomic<bool>* requested_;
  std::string listing_;  // the reloader's thread only
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::atomic<bool> busy_{false};
  std::thread thread_;
};

}  // namespace leakd
