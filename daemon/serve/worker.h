// Worker: one scan thread. Takes messages from its queue and, for each:
// decode (ingest/) → scan (scan/) → alerts and dead letters (Emitter). Owns a
// Hyperscan scratch and the chunked uploads of the partitions routed to it.
//
// Invariants:
// - A message's Completion is released once processing ends; its offset
//   completes when every record derived from it is acknowledged too.
// - A chunk message is also held by its upload's Completion, which releases
//   only when the upload has ended and all its alerts are acknowledged.
// - Any failure inside processing parks the message (scan-failed); nothing
//   escapes the thread. A failure that kills the process is the PoisonGuard's
//   (serve/poison_guard.h): every message is processed inside its Pass.
// - busy_for() tells how long the current message has taken, so a wedge is
//   visible to /healthz.
// - Between messages the worker takes the database the slot holds, if it
//   changed (a rule reload); the message being processed finishes on the one
//   it started with, and open uploads on theirs (serve/scan_engines.h).
//
// Threads: the worker's own; queue(), busy_for(), open_uploads() and
// StopTaking() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <thread>

#include "common/bounded_queue.h"
#include "ingest/upload_headers.h"
#include "ingest/upload_streams.h"
#include "serve/commit_scan.h"
#include "serve/emitter.h"
#include "serve/message_state.h"
#include "serve/poison_guard.h"
#include "serve/rules_reloader.h"
#include "serve/scan_engines.h"

namespace leakd {

class Worker {
 public:
  using Clock = std::chrono::steady_clock;
  // `on_scanned(bytes)`: a message has been processed and its bytes freed.
  // `guard` (may be null: no state_dir) marks messages in flight in slot `index`.
  Worker(const ServeConfig& config, const DatabaseSlot& slot, Emitter& emitter, Metrics& metrics,
         std::function<void(size_t)> on_scanned, PoisonGuard* guard = nullptr, size_t index = 0);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void Start();
  // After Close() on the queue the worker drains it and ends; StopTaking()
  // makes it end after the current message instead (shutdown deadline).
  void StopTaking() { stop_taking_ = true; }
  void Join();

  BoundedQueue<StatePtr>& queue() { return queue_; }
  // How long the current message has been processed; zero when idle.
  std::chrono::milliseconds busy_for(Clock::time_point now = Clock::now()) const;
  size_t open_uploads() const { return open_uploads_; }

 private:
  struct UploadGroup {
    CompletionPtr done;
    std::shared_ptr<std::vector<CompletionPtr>> chunks;
    Origin last_origin;
    MessageHeaders identity;  // repo, path, upload-id: for an eviction notice
  };

  void Loop();
  void AdoptNewDatabase();
  void Process(const StatePtr& st);
  void Handle(const StatePtr& st);
  void ProcessCommit(const StatePtr& st);
  void ProcessUpload(const StatePtr& st);
  void ProcessChunk(const StatePtr& st, const UploadHeaders& h, std::string_view bytes);
  void EmitUploadFindings(const std::vector<LocatedStreamFinding>& found);
  void CloseUploads(const std::vector<ClosedUpload>& closed);
  void ExpireUploads();
  void DeadLetter(const StatePtr& st, DecodeError reason);

  const ServeConfig& config_;
  Emitter& emitter_;
  Metrics& metrics_;
  std::function<void(size_t)> on_scanned_;
  PoisonGuard* guard_;
  size_t index_;
  BoundedQueue<StatePtr> queue_;
  const DatabaseSlot& slot_;
  uint64_t generation_;  // of the slot, when the database in use was taken
  ScanEngines engines_;
  CommitScan commit_scan_;                  // reused from one commit event to the next
  std::map<uint64_t, UploadGroup> groups_;  // by upload tag
  uint64_t next_tag_ = 1;
  std::atomic<bool> stop_taking_{false};
  std::atomic<int64_t> busy_since_{0};  // steady clock ns, 0 when idle
  std::atomic<size_t> open_uploads_{0};
  std::thread thread_;
};

}  // namespace leakd
