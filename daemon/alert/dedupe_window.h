// DedupeWindow: the same secret (fingerprint) at the same repo and path within
// a time window yields one alert. Memory is bounded: at most `max_entries`
// keys are remembered; past that the oldest are forgotten first (a duplicate
// alert is possible then, a lost one is not). A key is at most kMaxKeyBytes
// whatever the pusher's repo and path: longer ones are remembered by their
// SHA-256, so a push of long paths cannot fill memory. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace leakd {

class DedupeWindow {
 public:
  using Clock = std::chrono::steady_clock;
  DedupeWindow(std::chrono::milliseconds window, size_t max_entries)
      : window_(window), max_entries_(max_entries) {}

  // True the first time a key is seen within the window (send the alert);
  // false for a repeat. A zero window disables deduplication.
  bool FirstSeen(const std::string& fingerprint, const std::string& repo, const std::string& path,
                 Clock::time_point now = Clock::now());

  static constexpr size_t kMaxKeyBytes = 512;
  // Bytes of the keys remembered now (each is stored twice: map and order).
  size_t remembered_bytes();

 private:
  void ExpireLocked(Clock::time_point now);
  std::chrono::milliseconds window_;
  size_t max_entries_;
  std::mutex mu_;
  std::unordered_map<std::string, Clock::time_point> seen_;  // key → when first seen
  std::deque<std::pair<Clock::time_point, std::string>> order_;
  size_t key_bytes_ = 0;  // the sum of order_'s key sizes
};

}  // namespace leakd
