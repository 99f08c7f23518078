#include "drain_trace.h"

#include <chrono>
#include <cstdio>
#include <fstream>

#include "serve_load.h"

namespace leakd::bench {
namespace {

struct CpuTicks {
  long long busy = 0, idle = 0;
};

// The first line of /proc/stat: user nice system idle iowait irq softirq steal.
CpuTicks MachineTicks() {
  std::ifstream stat("/proc/stat");
  std::string cpu;
  stat >> cpu;
  CpuTicks t;
  long long v = 0;
  for (int i = 0; i < 8 && stat >> v; ++i) (i == 3 || i == 4 ? t.idle : t.busy) += v;
  return t;
}

}  // namespace

DrainTrace::DrainTrace(bool on, std::string label, int64_t start_us,
                       std::function<uint64_t()> consumed, std::function<size_t()> outputs) {
  if (!on) return;
  thread_ = std::thread([this, label, start_us, consumed, outputs] {
    CpuTicks last = MachineTicks();
    while (!stop_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      const CpuTicks now = MachineTicks();
      const long long busy = now.busy - last.busy, all = busy + now.idle - last.idle;
      last = now;
      std::fprintf(stderr, "trace %s +%.2f s: consumed %llu, outputs %zu, machine busy %lld%%\n",
                   label.c_str(), (NowUs() - start_us) / 1e6,
                   static_cast<unsigned long long>(consumed()), outputs(),
                   all > 0 ? 100 * busy / all : 0);
    }
  });
}

DrainTrace::~DrainTrace() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace leakd::bench
