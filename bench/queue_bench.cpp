// The handoff between the consumer thread and a worker (common/bounded_queue.h)
// while a backlog drains: one producer keeps a 256-slot queue full, one
// consumer does ~5 µs of work per item. Reports the CPU and the voluntary
// context switches per item: with a wake per pop, producer and consumer
// traded the core at every item.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <thread>

#include "common/bounded_queue.h"

namespace {

using Clock = std::chrono::steady_clock;

void Spin(std::chrono::microseconds d) {
  const auto end = Clock::now() + d;
  while (Clock::now() < end) {
  }
}

double CpuSeconds(const rusage& r) {
  return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
         static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

void BM_QueueHandoff(benchmark::State& state) {
  const int items = 20000;
  double cpu = 0, switches = 0;
  for (auto _ : state) {
    leakd::BoundedQueue<int> q(256);
    rusage before{}, after{};
    getrusage(RUSAGE_SELF, &before);
    std::thread consumer([&] {
      while (q.Pop(std::chrono::milliseconds(100))) Spin(std::chrono::microseconds(5));
    });
    for (int i = 0; i < items; ++i) {
      int v = i;
      while (!q.PushUntil(v, Clock::now() + std::chrono::milliseconds(100))) {
      }
    }
    q.Close();
    consumer.join();
    getrusage(RUSAGE_SELF, &after);
    cpu += CpuSeconds(after) - CpuSeconds(before);
    switches += static_cast<double>(after.ru_nvcsw - before.ru_nvcsw);
  }
  const double n = static_cast<double>(state.iterations()) * items;
  state.counters["cpu_us_per_item"] = cpu / n * 1e6;
  state.counters["switches_per_item"] = switches / n;
  state.SetItemsProcessed(static_cast<int64_t>(n));
}

BENCHMARK(BM_QueueHandoff)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
