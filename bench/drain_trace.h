// DrainTrace: while a throughput drain runs, prints every 200 ms to stderr how
// far the side has got (records consumed, outputs arrived) and how busy the
// whole machine was (from /proc/stat). A side that stops consuming while its
// workers are idle and the machine is busy is starved by something else on
// the cores (the broker, a build); one that stops while the machine idles
// waits on a client or broker timer. `leakd_serve_bench --trace`.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace leakd::bench {

class DrainTrace {
 public:
  // Does nothing unless `on`. `start_us` is the drain's clock start (NowUs).
  DrainTrace(bool on, std::string label, int64_t start_us, std::function<uint64_t()> consumed,
             std::function<size_t()> outputs);
  ~DrainTrace();
  DrainTrace(const DrainTrace&) = delete;
  DrainTrace& operator=(const DrainTrace&) = delete;

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace leakd::bench
