// The daemon's CPU per commit event without Kafka: the worker's code path on
// ~4 KB commit events (bench/serve_load.h BulkEvent, the shape of
// leakd_serve_bench's throughput backlog), one event per iteration.
//
//   BM_Scan        parse + scan with decoding + positions (serve/commit_scan.h:
//                  what Worker::ProcessCommit does before it emits)
//   BM_Worker      the same, plus for each finding what the Emitter does before
//                  it produces (serve/alert_maker.h: metrics, ignore, dedupe,
//                  alert JSON, log line) and the worker's per-message metrics
//   BM_ScanGuarded BM_Scan inside a PoisonGuard pass (serve/poison_guard.h,
//                  state_dir set): /book:0 no strikes (the lock-free path),
//                  /book:1 a strike book that is not empty (a mutex per message)
//   /token:1       a token in every event; /token:0 none
//   /log:error     logs at error level (leakd_serve_bench); /log:info:
//                  `leakd serve`'s default, every alert logged (to /dev/null)
//
//   leakd_worker_bench [benchmark flags]
//   bench/worker_compare.sh BASE_BINARY NEW_BINARY   # before/after, same run
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "bench_rules.h"
#include "common/log.h"
#include "obs/metrics.h"
#include "rules/rule_set.h"
#include "scan/pattern_database.h"
#include "scan/scanner.h"
#include "serve/alert_maker.h"
#include "serve/commit_scan.h"
#include "serve/poison_guard.h"
#include "serve/serve_config.h"
#include "serve_load.h"

namespace {

constexpr size_t kEvents = 256;  // distinct events (and tokens), cycled through

std::shared_ptr<const leakd::PatternDatabase> g_db;
std::vector<std::string> g_with_token, g_without_token;

const std::vector<std::string>& Events(bool token) {
  return token ? g_with_token : g_without_token;
}

leakd::CommitLimits Limits(const leakd::ServeConfig& config) {
  leakd::CommitLimits limits;
  limits.max_message_bytes = config.max_message_bytes;
  limits.max_files = config.max_files;
  limits.max_file_bytes = config.max_decompressed_bytes;
  return limits;
}

void BM_Scan(benchmark::State& state) {
  const auto& events = Events(state.range(0) != 0);
  const leakd::CommitLimits limits = Limits(leakd::ServeConfig());
  leakd::Scanner scanner(g_db);
  leakd::CommitScan scan;
  size_t i = 0, found = 0;
  for (auto _ : state) {
    if (scan.Run(scanner, events[i++ % events.size()], limits) != leakd::DecodeError::kNone) {
      state.SkipWithError("event refused");
      return;
    }
    found += scan.found().size();
  }
  state.counters["findings_per_event"] =
      benchmark::Counter(static_cast<double>(found), benchmark::Counter::kAvgIterations);
}

// A state_dir for BM_ScanGuarded; with `strikes`, a journal that a dead
// process left holding a message this benchmark never sees.
std::string GuardStateDir(bool strikes) {
  const std::string dir =
      "/tmp/leakd-worker-bench-" + std::to_string(::getpid()) + (strikes ? "-struck" : "-clean");
  std::filesystem::remove_all(dir);
  if (strikes) {
    auto journal = leakd::InflightJournal::Open(dir, "bench");
    journal->Reset(1);
    journal->Begin(0, {"elsewhere", 0, 1});
  }  // destroyed without End: as if the process had died
  return dir;
}

void BM_ScanGuarded(benchmark::State& state) {
  const auto& events = Events(true);
  const leakd::CommitLimits limits = Limits(leakd::ServeConfig());
  const std::string dir = GuardStateDir(state.range(0) != 0);
  {
    leakd::PoisonGuard guard({dir, "bench", 1, 2});
    leakd::Scanner scanner(g_db);
    leakd::CommitScan scan;
    int64_t offset = 0;
    for (auto _ : state) {
      const leakd::PoisonGuard::Pass pass = guard.Enter(0, {"leakd.commits", 3, offset});
      if (scan.Run(scanner, events[static_cast<size_t>(offset++) % events.size()], limits) !=
          leakd::DecodeError::kNone) {
        state.SkipWithError("event refused");
        break;
      }
    }
  }
  std::filesystem::remove_all(dir);
}

void BM_Worker(benchmark::State& state) {
  const auto& events = Events(state.range(0) != 0);
  leakd::SetLogLevel(state.range(1) != 0 ? leakd::LogLevel::kInfo : leakd::LogLevel::kError);
  leakd::ServeConfig config;
  config.dedupe_window_ms = 0;  // as leakd_serve_bench: every token is alerted
  const leakd::CommitLimits limits = Limits(config);
  leakd::Metrics metrics;
  leakd::AlertMaker maker(config, metrics);
  leakd::Scanner scanner(g_db);
  leakd::CommitScan scan;
  leakd::Origin origin{config.commits_topic, 3, 0, 0};
  size_t i = 0, alerts = 0, alert_bytes = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    origin.offset = static_cast<int64_t>(i);
    if (scan.Run(scanner, events[i++ % events.size()], limits) != leakd::DecodeError::kNone) {
      state.SkipWithError("event refused");
      return;
    }
    metrics.BytesScanned(scan.bytes_scanned());
    for (const leakd::PlacedFinding& p : scan.found()) {
      leakd::AlertContext ctx;
      ctx.source = "commit";
      ctx.location = {scan.event().repo, scan.event().commit, p.file->path, p.position.line,
                      p.position.column};
      ctx.origin = origin;
      if (auto json = maker.Make(p.finding, ctx)) {
        ++alerts;
        alert_bytes += json->size();
      }
    }
    metrics.ScanSeconds(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    metrics.MessageConsumed(config.commits_topic, "ok");
  }
  state.counters["alerts_per_event"] =
      benchmark::Counter(static_cast<double>(alerts), benchmark::Counter::kAvgIterations);
  state.counters["alert_bytes"] = alerts ? static_cast<double>(alert_bytes / alerts) : 0.0;
}

BENCHMARK(BM_Scan)->ArgName("token")->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ScanGuarded)->ArgName("book")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Worker)
    ->ArgNames({"token", "log_info"})
    ->Args({1, 0})
    ->Args({1, 1})
    ->Args({0, 0})
    ->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  auto rules = std::make_shared<const leakd::RuleSet>(leakd::bench::LoadBenchRules());
  leakd::PatternDatabase::Options options;
  options.with_stream = false;  // commit events are scanned in block mode
  g_db = leakd::PatternDatabase::Build(rules, options);
  std::mt19937 rng(42);
  for (size_t i = 0; i < kEvents; ++i) {
    g_with_token.push_back(leakd::bench::BulkEvent(rng, true));
    g_without_token.push_back(leakd::bench::BulkEvent(rng, false));
  }
  // The log lines at info level go nowhere: stderr is /dev/null from here on.
  const int null_fd = open("/dev/null", O_WRONLY);
  if (null_fd >= 0) dup2(null_fd, STDERR_FILENO);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
