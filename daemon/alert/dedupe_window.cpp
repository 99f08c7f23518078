#include "alert/dedupe_window.h"

#include "common/sha256.h"

namespace leakd {

void DedupeWindow::ExpireLocked(Clock::time_point now) {
  while (!order_.empty() &&
         (order_.front().first + window_ <= now || order_.size() > max_entries_)) {
    auto it = seen_.find(order_.front().second);
    if (it != seen_.end() && it->second == order_.front().first) seen_.erase(it);
    key_bytes_ -= order_.front().second.size();
    order_.pop_front();
  }
}

bool DedupeWindow::FirstSeen(const std::string& fingerprint, const std::string& repo,
                             const std::string& path, Clock::time_point now) {
  if (window_.count() == 0) return true;
  // Unit separators keep "a/b"+"c" and "a"+"b/c" apart.
  std::string key = fingerprint + '\x1f' + repo + '\x1f' + path;
  if (key.size() > kMaxKeyBytes) key = fingerprint + '\x1e' + Sha256Hex(key);
  std::lock_guard<std::mutex> lock(mu_);
  ExpireLocked(now);
  auto it = seen_.find(key);
  if (it != seen_.end() && it->second + window_ > now) return false;
  seen_[key] = now;
  key_bytes_ += key.size();
  order_.emplace_back(now, std::move(key));
  ExpireLocked(now);
  return true;
}

size_t DedupeWindow::remembered_bytes() {
  std::lock_guard<std::mutex> lock(mu_);
  return key_bytes_;
}

}  // namespace leakd
