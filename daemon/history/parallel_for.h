// Runs `body(state, i)` for every i in [0, n) on up to `threads` threads
// (0: all cores), the calling thread included. Each thread makes its own
// state with `make()` (e.g. a repository handle and a Scanner) and takes the
// next index when done with one, so memory is one item per thread. `body`
// must not throw; `make` may, and the first exception is rethrown after
// every thread has stopped.
#pragma once

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace leakd {

// `threads`, or all cores when 0.
inline unsigned ScanThreads(unsigned threads) {
  return threads ? threads : std::max(1u, std::thread::hardware_concurrency());
}

template <typename Make, typename Body>
void ParallelFor(unsigned threads, size_t n, Make make, Body body) {
  threads = ScanThreads(threads);
  threads = static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(threads, n)));
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mu;
  auto worker = [&] {
    try {
      auto state = make();
      for (size_t i = next++; i < n; i = next++) body(state, i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mu);
      if (!failure) failure = std::current_exception();
      next = n;  // the others stop after their current item
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace leakd
