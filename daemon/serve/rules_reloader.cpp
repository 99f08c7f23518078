#include "serve/rules_reloader.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <vector>

#include "common/log.h"
#include "common/thread_name.h"
#include "rules/rule_cache.h"

namespace leakd {
namespace fs = std::filesystem;
namespace {

// How often the thread looks at the request flag.
constexpr std::chrono::milliseconds kTick(100);

}  // namespace

// The same key the rule cache uses (path, size, inode, mtime of each rule
// file, symlinks followed): a ConfigMap update, which swaps the ..data link,
// changes the inode behind every file.
std::string RulesListing(const std::string& path) {
  try {
    return RuleFilesKey(ListRuleFiles(path));
  } catch (const std::exception&) {
    return "";  // the path is gone: a change, reported by the reload itself
  }
}

RulesReloader::RulesReloader(EngineConfig engine, uint64_t poll_ms, DatabaseSlot& slot,
                             Metrics& metrics, std::atomic<bool>* requested)
    : engine_(std::move(engine)),
      poll_ms_(poll_ms),
      slot_(slot),
      metrics_(metrics),
      requested_(requested) {
  engine_.with_stream = true;
}

RulesReloader::~RulesReloader() {
  Stop();
}

std::string RulesReloader::RulesPath() const {
  return engine_.rules_path.empty() ? DefaultRulesPath() : engine_.rules_path;
}

void RulesReloader::Start() {
  listing_ = RulesListing(RulesPath());
  thread_ = std::thread([this] {
    NameThisThread("leakd-reload");
    Loop();
  });
}

void RulesReloader::RequestStop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void RulesReloader::Stop() {
  RequestStop();
  if (thread_.joinable()) thread_.join();
}

void RulesReloader::Loop() {
  auto last_poll = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  while (!wake_.wait_for(lock, kTick, [this] { return stopping_; })) {
    lock.unlock();
    if (requested_ && requested_->exchange(false)) {
      listing_ = RulesListing(RulesPath());
      ReloadNow("signal");
    } else if (poll_ms_ > 0 && std::chrono::steady_clock::now() - last_poll >=
                                   std::chrono::milliseconds(poll_ms_)) {
      last_poll = std::chrono::steady_clock::now();
      std::string listing = RulesListing(RulesPath());
      if (listing != listing_) {
        listing_ = std::move(listing);
        ReloadNow("rules-changed");
      }
    }
    lock.lock();
  }
}

bool RulesReloader::ReloadNow(const char* trigger) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    busy_ = true;
  }
  struct Idle {
    std::atomic<bool>& busy;
    ~Idle() { busy = false; }
  } idle{busy_};
  const auto old = slot_.Get();
  std::shared_ptr<const PatternDatabase> db;
  try {
    db = LoadEngine(engine_);
  } catch (const std::exception& e) {
    metrics_.PatternDatabaseLoadFailed();
    // RuleError and PatternError name the file and the rule id.
    Log(LogLevel::kError, "rules-reload-failed",
        {{"trigger", trigger},
         {"error", e.what()},
         {"kept_hash", old->content_hash().substr(0, 16)}});
    return false;
  }
  const bool changed = db->content_hash() != old->content_hash();
  if (changed) slot_.Publish(db);
  metrics_.PatternDatabaseLoaded(*db);  // after: the new hash shows once workers can see it
  Log(LogLevel::kInfo, changed ? "rules-reloaded" : "rules-unchanged",
      {{"trigger", trigger},
       {"rules", db->size()},
       {"hash", db->content_hash().substr(0, 16)},
       {"previous_hash", old->content_hash().substr(0, 16)},
       {"from_cache", db->loaded_from_cache()},
       {"seconds", db->build_seconds()}});
  return true;
}

}  // namespace leakd
