// The measurements of leakd_serve_bench, each taken for the relay and for
// leakd in turn, on the same broker, with the same load generator and the same
// OutputWatcher.
//
// Latency: stamped ~600 B commit events (one token each) at a fixed rate to
// the side's input; latency = arrival on the output topic − push time. After
// a warm-up of both sides, each rate runs in one-second slices, the sides
// taking turns (alternating which goes first), so that both meet the same
// broker (JIT, GC, page cache) moments.
// Throughput: a side is started on a fresh lane and warmed up (one record
// through it); then a backlog (4 KB commit events, or 512 KB upload chunks in
// uploads of three) appears at once (backlog.h: one transaction). Every chunk
// holds a token; of the events every token_every-th does (default: all), and
// so does the last event of each partition (events go round-robin to the 4
// partitions), so that the last alert of a partition comes after all of it is
// processed. The relay's outputs: every record; leakd's: one alert per token.
// The rate: the backlog's bytes over the time from the transaction's commit
// to the arrival of the last expected output. (On librdkafka's mock, which
// does not hide uncommitted records, from the start of writing the backlog.)
#pragma once

#include <map>
#include <random>
#include <vector>

#include "kafka/record_producer.h"
#include "serve_load.h"
#include "serve_sides.h"

namespace leakd::bench {

struct BenchContext {
  BenchBroker& broker;
  ServeConfig base;  // both sides' settings
  std::shared_ptr<const PatternDatabase> db;
  RecordProducer& pusher;
  std::string run;                 // prefix of every topic of this run
  std::string watcher_fetch_wait;  // the sides' fetch.wait.max.ms
  int token_every = 1;  // 4 KB events: a token in every Nth (and the last of each partition)
  bool trace = false;   // throughput drains: progress every 200 ms (bench/drain_trace.h)
  std::mt19937 rng{42};
};

struct LatencyResult {
  Percentiles p;
  size_t received = 0;
  int sent = 0;
};
// By rate, then side.
using LatencyTable = std::map<int, std::map<SideKind, LatencyResult>>;
LatencyTable MeasureLatency(BenchContext& ctx, const std::vector<int>& rates, double seconds);

// The first alert of a side just started and assigned its partitions: one
// stamped event, push → arrival, for `rounds` fresh lanes and sides. By side.
// (What a restart or a rolling deploy costs the next leak.)
std::map<SideKind, Percentiles> MeasureFirstAlert(BenchContext& ctx, int rounds);

enum class Load { kCommitEvents, kUploadChunks };
struct ThroughputResult {
  double mb_s = 0;
  size_t records = 0, bytes_each = 0;
  bool complete = true;  // every output record arrived
};
ThroughputResult MeasureThroughput(BenchContext& ctx, SideKind side, Load load, int count,
                                   int repeat_index);

}  // namespace leakd::bench
