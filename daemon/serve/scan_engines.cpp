#include "serve/scan_engines.h"

#include <algorithm>

namespace leakd {

ScanEngines::ScanEngines(std::shared_ptr<const PatternDatabase> db, UploadLimits limits)
    : limits_(limits), current_(std::make_unique<Engine>(std::move(db), limits)) {}

void ScanEngines::Adopt(std::shared_ptr<const PatternDatabase> db) {
  auto next = std::make_unique<Engine>(std::move(db), limits_);
  if (current_->uploads.open_uploads() > 0) retired_.push_back(std::move(current_));
  current_ = std::move(next);
}

UploadStreams::ChunkOutcome ScanEngines::Feed(const std::string& key, const UploadLabel& label,
                                              uint64_t chunk, bool final, std::string_view bytes,
                                              uint64_t new_tag) {
  Engine* engine = current_.get();
  for (auto& r : retired_) {
    if (r->uploads.IsOpen(key)) engine = r.get();
  }
  auto outcome = engine->uploads.Feed(engine->scanner, key, label, chunk, final, bytes, new_tag);
  DropIdleRetired();
  return outcome;
}

UploadStreams::ExpiryOutcome ScanEngines::Expire() {
  UploadStreams::ExpiryOutcome all = current_->uploads.Expire(current_->scanner);
  for (auto& r : retired_) {
    auto outcome = r->uploads.Expire(r->scanner);
    for (auto& f : outcome.findings) all.findings.push_back(std::move(f));
    for (auto& c : outcome.closed) all.closed.push_back(c);
  }
  DropIdleRetired();
  return all;
}

size_t ScanEngines::open_uploads() const {
  size_t n = current_->uploads.open_uploads();
  for (const auto& r : retired_) n += r->uploads.open_uploads();
  return n;
}

void ScanEngines::DropIdleRetired() {
  retired_.erase(std::remove_if(retired_.begin(), retired_.end(),
                                [](const auto& r) { return r->uploads.open_uploads() == 0; }),
                 retired_.end());
}

}  // namespace leakd
