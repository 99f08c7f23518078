#include "serve_phases.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <thread>

#include "backlog.h"
#include "drain_trace.h"
#include "output_watcher.h"

namespace leakd::bench {
namespace {

using std::chrono::seconds;
constexpr SideKind kSides[] = {SideKind::kRelay, SideKind::kLeakd};

// CPU seconds this process has used (all threads: the side, the watcher).
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Not measured: connections, metadata, the first fetches, the broker's JIT
// (its first seconds under load are slow: both sides get them here).
void WarmUp(BenchContext& ctx, const Lane& lane, OutputWatcher& watcher) {
  const size_t before = watcher.records();
  PushAtRate(ctx.pusher, lane.commits(), 1000, 2000, ctx.rng);
  watcher.WaitForRecords(before + 2000, seconds(30));
  watcher.TakeLatencies();
}

// One slice of a rate for one side: pushed, waited for, latencies appended.
void Slice(BenchContext& ctx, const Lane& lane, OutputWatcher& watcher, int rate, int count,
           LatencyResult& into, std::vector<double>& latencies) {
  const size_t before = watcher.records();
  PushAtRate(ctx.pusher, lane.commits(), rate, count, ctx.rng);
  watcher.WaitForRecords(before + count, seconds(30));
  const auto lat = watcher.TakeLatencies();
  latencies.insert(latencies.end(), lat.begin(), lat.end());
  into.sent += count;
}

}  // namespace

std::map<SideKind, Percentiles> MeasureFirstAlert(BenchContext& ctx, int rounds) {
  std::map<SideKind, std::vector<double>> latencies;
  const auto lane_of = [&](int round, SideKind kind) {
    return Lane{ctx.run + ".first" + std::to_string(round) + "." + SideName(kind)};
  };
  // Every lane's topics first, and time for the broker to settle them: a
  // daemon restarts against topics that exist. The watchers start here too:
  // a consumer assigned partitions whose leaders it does not know yet waits
  // 500 ms before it looks their offsets up (librdkafka 2.0.2), and a watcher
  // started with its side put that wait into every side's figure (~480 ms,
  // until 2026-11-27).
  std::map<std::pair<int, SideKind>, std::unique_ptr<OutputWatcher>> watchers;
  for (int round = 0; round < rounds; ++round) {
    for (SideKind kind : kSides) {
      const Lane lane = lane_of(round, kind);
      lane.Create(ctx.broker);
      ctx.pusher.Prepare({lane.commits()});  // the push is not what is measured
      watchers[{round, kind}] = std::make_unique<OutputWatcher>(ctx.broker.bootstraps(), lane.out(),
                                                                4, ctx.watcher_fetch_wait);
    }
  }
  std::this_thread::sleep_for(seconds(3));
  for (int round = 0; round < rounds; ++round) {
    for (SideKind kind : kSides) {
      const Lane lane = lane_of(round, kind);
      OutputWatcher& watcher = *watchers.at({round, kind});
      const auto side = StartSide(kind, lane, ctx.base, ctx.db);
      if (!side->WaitAssigned(seconds(60))) throw KafkaError("side did not join its group");
      PushAtRate(ctx.pusher, lane.commits(), 1000, 1, ctx.rng);
      watcher.WaitForRecords(1, seconds(30));
      const auto lat = watcher.TakeLatencies();
      latencies[kind].insert(latencies[kind].end(), lat.begin(), lat.end());
    }
  }
  std::map<SideKind, Percentiles> out;
  for (const auto& [kind, values] : latencies) out[kind] = Summarize(values);
  return out;
}

LatencyTable MeasureLatency(BenchContext& ctx, const std::vector<int>& rates, double secs) {
  std::map<SideKind, Lane> lanes;
  std::map<SideKind, std::unique_ptr<Side>> sides;
  std::map<SideKind, std::unique_ptr<OutputWatcher>> watchers;
  for (SideKind kind : kSides) {
    lanes[kind] = Lane{ctx.run + ".latency." + SideName(kind)};
    lanes[kind].Create(ctx.broker);
    watchers[kind] = std::make_unique<OutputWatcher>(ctx.broker.bootstraps(), lanes[kind].out(), 4,
                                                     ctx.watcher_fetch_wait);
    sides[kind] = StartSide(kind, lanes[kind], ctx.base, ctx.db);
  }
  for (SideKind kind : kSides) {
    if (!sides[kind]->WaitAssigned(seconds(60))) throw KafkaError("side did not join its group");
  }
  for (int round = 0; round < 2; ++round) {
    for (SideKind kind : kSides) WarmUp(ctx, lanes[kind], *watchers[kind]);
  }
  // Each rate in one-second slices, the sides taking turns (relay first in
  // even slices, leakd first in odd ones): both see the same broker moments.
  LatencyTable table;
  for (int rate : rates) {
    const int slices = std::max(1, static_cast<int>(secs));
    std::map<SideKind, std::vector<double>> latencies;
    for (int i = 0; i < slices; ++i) {
      for (int turn = 0; turn < 2; ++turn) {
        const SideKind kind = kSides[(i + turn) % 2];
        Slice(ctx, lanes[kind], *watchers[kind], rate, static_cast<int>(rate * secs / slices),
              table[rate][kind], latencies[kind]);
      }
    }
    for (SideKind kind : kSides) {
      LatencyResult& r = table[rate][kind];
      r.p = Summarize(latencies[kind]);
      r.received = latencies[kind].size();
      std::fprintf(stderr, "latency %s %d/s: %zu of %d\n", SideName(kind), rate, r.received,
                   r.sent);
    }
  }
  return table;
}

ThroughputResult MeasureThroughput(BenchContext& ctx, SideKind kind, Load load, int count,
                                   int repeat_index) {
  const bool events = load == Load::kCommitEvents;
  const Lane lane{ctx.run + (events ? ".events." : ".chunks.") + SideName(kind) + "." +
                  std::to_string(repeat_index)};
  lane.Create(ctx.broker);
  ThroughputResult r;
  r.records = static_cast<size_t>(count);
  r.bytes_each = events ? 4096 : 512 * 1024;
  std::vector<OutRecord> backlog;
  std::vector<int32_t> partitions;
  size_t bytes = 0, tokens = 0;
  for (int i = 0; i < count; ++i) {
    const bool token = !events || i % ctx.token_every == 0 || i >= count - 4;
    tokens += token;
    backlog.push_back(
        events ? OutRecord{lane.commits(), "c" + std::to_string(i), BulkEvent(ctx.rng, token), {}}
               : UploadChunk(ctx.rng, lane.uploads(), i, r.bytes_each));
    if (events) partitions.push_back(i % 4);
    bytes += backlog.back().value->size();
  }
  const size_t expected = kind == SideKind::kRelay ? r.records : tokens;
  OutputWatcher watcher(ctx.broker.bootstraps(), lane.out(), 4, ctx.watcher_fetch_wait);
  auto side = StartSide(kind, lane, ctx.base, ctx.db);
  if (!side->WaitAssigned(seconds(60))) throw KafkaError("side did not join its group");
  // Warm: one record through the side (its producer id, the output's metadata).
  ctx.pusher.Produce({lane.commits(), "warm", BulkEvent(ctx.rng), {}}, nullptr);
  if (!watcher.WaitForRecords(1, seconds(60))) throw KafkaError("side did not warm up");
  // librdkafka's mock does not hide uncommitted records: there the clock
  // starts before the backlog is written (and includes writing it).
  const int64_t begin = NowUs();
  const int64_t committed = WriteBacklog(ctx.broker.bootstraps(), backlog, partitions);
  const int64_t start = ctx.broker.real() ? committed : begin;
  const double cpu_start = CpuSeconds();
  {
    DrainTrace trace(
        ctx.trace, SideName(kind), start, [&] { return side->consumed(); },
        [&] { return watcher.records(); });
    r.complete = watcher.WaitForRecords(expected + 1, seconds(300));
  }
  const double cpu = CpuSeconds() - cpu_start;
  const double s = (watcher.last_arrival_us() - start) / 1e6;
  r.mb_s = bytes / s / 1e6;
  std::fprintf(stderr,
               "throughput %s %s #%d: %zu records, %.1f MB in %.2f s: %.1f MB/s, %.2f CPU s in "
               "this process%s\n",
               SideName(kind), events ? "events" : "chunks", repeat_index, watcher.records() - 1,
               bytes / 1e6, s, r.mb_s, cpu, r.complete ? "" : " (INCOMPLETE)");
  return r;
}

}  // namespace leakd::bench
