#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace leakd {

bool Progress::TerminalAttached() {
  return isatty(STDOUT_FILENO) && isatty(STDERR_FILENO);
}

Progress::Progress(size_t total_files, bool draw_bar, const char* unit)
    : total_files_(total_files), draw_bar_(draw_bar), unit_(unit) {
  if (!draw_bar_) return;
  drawer_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return done_; }))
      Draw(false);
  });
}

Progress::~Progress() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  wake_.notify_all();
  if (drawer_.joinable()) drawer_.join();
}

void Progress::FileDone(uint64_t bytes, size_t findings) {
  bytes_ += bytes;
  findings_ += findings;
  ++files_;
}

void Progress::Finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  wake_.notify_all();
  if (drawer_.joinable()) drawer_.join();
  Draw(true);
}

void Progress::Draw(bool final) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double mb = bytes_ / 1e6;
  const double rate = seconds > 0 ? mb / seconds : 0;
  const size_t files = files_;
  if (final) {
    // \33[2K clears a bar left on the line (only ever drawn on a terminal).
    std::fprintf(stderr, "%sleakd: scanned %zu %s, %.1f MB in %.2f s (%.0f MB/s): %zu finding%s\n",
                 draw_bar_ ? "\r\33[2K" : "", files, unit_, mb, seconds, rate, findings_.load(),
                 findings_ == 1 ? "" : "s");
    return;
  }
  constexpr int kWidth = 30;
  const size_t total = total_files_;
  const int filled = total ? static_cast<int>(kWidth * std::min(files, total) / total) : kWidth;
  char bar[kWidth + 1];
  for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
  bar[kWidth] = '\0';
  std::fprintf(stderr, "\r\33[2K[%s] %zu/%zu %s  %.1f MB  %zu findings  %.0f MB/s", bar, files,
               total, unit_, mb, findings_.load(), rate);
  std::fflush(stderr);
}

}  // namespace leakd
