// Progress: a one-line progress bar for `leakd scan` on a terminal (files,
// bytes, findings, rate), redrawn on stderr ten times a second from its own
// thread, and a summary line at the end. Disabled (summary only) when stdout
// or stderr is not a terminal, so pipes and CI logs stay clean.
// FileDone() is called from the scan workers: thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace leakd {

class Progress {
 public:
  // `unit`: what is counted ("files", "blobs", "commits").
  Progress(size_t total_files, bool draw_bar, const char* unit = "files");
  ~Progress();
  void FileDone(uint64_t bytes, size_t findings);
  // When the amount of work is known only after start (a git history's blobs).
  void SetTotal(size_t total) { total_files_ = total; }
  // Stops the bar and prints the summary line to stderr.
  void Finish();

  static bool TerminalAttached();  // stdout and stderr are both terminals

 private:
  void Draw(bool final);
  std::atomic<size_t> total_files_;
  const bool draw_bar_;
  const char* const unit_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::atomic<size_t> files_{0}, findings_{0};
  std::atomic<uint64_t> bytes_{0};
  std::mutex mu_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread drawer_;
};

}  // namespace leakd
