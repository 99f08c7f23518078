// DedupeWindow: the same secret (fingerprint) at the same repo and path within
// a time window yields one alert. Memory is bounded: at most `max_entries`
// keys are remembered; past that the oldest are forgotten first (a duplicate
// alert is possible then, a lost one is not). Thread-safe.
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

 private:
  void ExpireLocked(Clock::time_point now);
  std::chrono::milliseconds window_;
  size_t max_entries_;
  std::mutex mu_;
  std::unordered_map<std::string, Clock::time_point> seen_;  // key → when first seen
  std::deque<std::pair<Clock::time_point, std::string>> order_;
};

}  // namespace leakd
