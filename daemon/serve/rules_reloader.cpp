#include "serve/rules_reloader.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <vector>

#include "common/log.h"

namespace leakd {
namespace fs = std::filesystem;
namespace {

// How often the thread looks at the request flag.
constexpr std::chrono::milliseconds kTick(100);

std::string Entry(const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  const auto mtime = fs::last_write_time(file, ec);  // follows symlinks
  return file.string() + '\t' + std::to_string(ec ? 0 : size) + '\t' +
         std::to_string(mtime.time_since_epoch().count()) + '\n';
}

}  // namespace

std::string RulesListing(const std::string& path) {
  std::error_code ec;
  std::vector<std::string> entries;
  if (fs::is_directory(path, ec)) {
    for (fs::recursive_directory_iterator it(path,
                                             fs::directory_options::follow_directory_symlink |
                                                 fs::directory_options::skip_permission_denied,
                                             ec),
         end;
         !ec && it != end; it.increment(ec)) {
      const auto ext = it->path().extension();
      if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec))
        entries.push_back(Entry(it->path()));
    }
  } else {
    entries.push_back(Entry(path));
  }
  std::sort(entries.begin(), entries.end());
  std::string out;
  for (const auto& e : entries) out += e;
  return out;
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
  thread_ = std::thread([this] { Loop(); });
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
