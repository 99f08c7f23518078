// Eventually: the one way tests wait. A test waits for what it needs by a
// deadline, never for a number of rounds: a loaded machine stretches every
// step before it.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace leakd::testing {

// Polls `done` every `every` until it holds; false after the timeout. `done`
// is asked at least once, and once more after the last wait.
inline bool Eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                       std::chrono::milliseconds every = std::chrono::milliseconds(100)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(every);
  }
}

}  // namespace leakd::testing
