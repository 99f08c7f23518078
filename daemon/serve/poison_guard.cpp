#include "serve/poison_guard.h"

#include <algorithm>

#include "alert/alert.h"
#include "common/log.h"

namespace leakd {
namespace {

std::string StrikesPathOf(const std::string& journal_path) {
  const std::string suffix = ".inflight";
  return journal_path.substr(0, journal_path.size() - suffix.size()) + ".strikes";
}

// In the worker's format, so one grep follows a message through every event.
std::string OriginOf(const InflightEntry& e) {
  return OriginText({e.topic, e.partition, e.offset, 0});
}

}  // namespace

PoisonGuard::PoisonGuard(const Options& options)
    : poison_after_(std::max(1u, options.poison_after)),
      journal_(InflightJournal::Open(options.state_dir, options.name)),
      recovered_(journal_->recovered()),
      book_(StrikesPathOf(journal_->path())) {
  book_.Load();
  if (!recovered_.empty()) {
    book_.Strike(recovered_);
    book_.Save();  // before Reset: the strikes must outlive the journal's marks
  }
  journal_->Reset(options.workers);
  for (const InflightEntry& e : recovered_) {
    Log(LogLevel::kWarn, "crash-suspect",
        {{"origin", OriginOf(e)}, {"strikes", book_.Count(e)}, {"journal", journal_->path()}});
  }
  book_empty_ = book_.size() == 0;
}

PoisonGuard::Pass PoisonGuard::Enter(size_t worker, InflightEntry entry) {
  if (book_empty_.load(std::memory_order_acquire)) {
    journal_->Begin(worker, entry);
    return Pass(this, worker, std::move(entry), Pass::Mode::kFast, 0);
  }
  std::unique_lock<std::mutex> lock(mu_);
  const unsigned strikes = book_.Count(entry);
  if (strikes >= poison_after_) {
    return Pass(this, worker, std::move(entry), Pass::Mode::kPoison, strikes);
  }
  if (strikes > 0) {
    ++suspects_waiting_;
    changed_.wait(lock, [this] { return !suspect_running_ && running_ == 0; });
    --suspects_waiting_;
    suspect_running_ = true;
    Log(LogLevel::kInfo, "suspect-alone", {{"origin", OriginOf(entry)}, {"strikes", strikes}});
    journal_->Begin(worker, entry);
    return Pass(this, worker, std::move(entry), Pass::Mode::kAlone, strikes);
  }
  changed_.wait(lock, [this] { return !suspect_running_ && suspects_waiting_ == 0; });
  ++running_;
  journal_->Begin(worker, entry);
  return Pass(this, worker, std::move(entry), Pass::Mode::kShared, 0);
}

void PoisonGuard::Leave(Pass& pass) {
  if (pass.mode_ == Pass::Mode::kPoison) return;
  journal_->End(pass.worker_);
  if (pass.mode_ == Pass::Mode::kFast) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (pass.mode_ == Pass::Mode::kShared) {
      --running_;
    } else {
      suspect_running_ = false;
      book_.Clear(pass.entry_);
      try {
        book_.Save();
      } catch (const std::exception& e) {
        // The message is done; a stale strike only makes it run alone again.
        Log(LogLevel::kError, "strikes-not-saved", {{"error", e.what()}});
      }
      Log(LogLevel::kInfo, "suspect-cleared", {{"origin", OriginOf(pass.entry_)}});
    }
  }
  changed_.notify_all();
}

PoisonGuard::Pass::Pass(PoisonGuard* guard, size_t worker, InflightEntry entry, Mode mode,
                        unsigned strikes)
    : guard_(guard), worker_(worker), entry_(std::move(entry)), mode_(mode), strikes_(strikes) {}

PoisonGuard::Pass::Pass(Pass&& other) noexcept
    : guard_(other.guard_),
      worker_(other.worker_),
      entry_(std::move(other.entry_)),
      mode_(other.mode_),
      strikes_(other.strikes_) {
  other.mode_ = Mode::kDone;
}

PoisonGuard::Pass::~Pass() {
  if (mode_ != Mode::kDone) guard_->Leave(*this);
}

}  // namespace leakd
