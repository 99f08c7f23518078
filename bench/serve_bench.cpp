// The streaming daemon's latency and throughput, against a floor measured in
// the same run on the same broker: a bare librdkafka relay with the daemon's
// client settings (relay.h). leakd runs in this process (its Pipeline, as
// `leakd serve` runs it, logging errors only); what is measured is described
// in serve_phases.h.
//
//   leakd_serve_bench [--brokers=HOST:PORT] [--seconds=N] [--events=N]
//                     [--chunks=N] [--repeat=N] [--only=latency|first|events|chunks]
//                     [--token-every=N]   (4 KB events: a token in every Nth; default 1)
//                     [--trace]           (throughput drains: progress every 200 ms)
//                     [--set NAME=VALUE ...]   (leakd's settings, e.g. consumer.fetch.wait.max.ms;
//                                               client properties apply to the relay too)
//
// Without --brokers: librdkafka's mock cluster in this process (small volumes:
// the mock keeps about 5 MiB per partition, and answers a fetch only after
// fetch.wait.max.ms, so both sides get 1 ms there). With --brokers: a real
// Kafka cluster (bench/serve_kafka.sh starts one), the daemon's defaults.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "common/log.h"
#include "kafka/kafka_clients.h"
#include "scan/engine_config.h"
#include "serve_phases.h"

using namespace leakd;
using namespace leakd::bench;

namespace {

struct Options {
  std::string brokers;
  double seconds = 3;
  int events = 1500, chunks = 12, repeat = 2, token_every = 1;
  bool trace = false;
  std::string only;                   // "latency", "events" or "chunks": that measurement alone
  std::vector<std::string> settings;  // --set NAME=VALUE: leakd's settings, for both sides
  bool Runs(const char* what) const { return only.empty() || only == what; }
};

Options Parse(int argc, char** argv) {
  Options o;
  bool events = false, chunks = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char* name) {
      const std::string prefix = std::string(name) + "=";
      return a.rfind(prefix, 0) == 0 ? a.substr(prefix.size()) : std::string();
    };
    if (auto v = value("--brokers"); !v.empty()) o.brokers = v;
    if (auto v = value("--seconds"); !v.empty()) o.seconds = std::stod(v);
    if (auto v = value("--events"); !v.empty()) o.events = std::stoi(v), events = true;
    if (auto v = value("--chunks"); !v.empty()) o.chunks = std::stoi(v), chunks = true;
    if (auto v = value("--repeat"); !v.empty()) o.repeat = std::max(1, std::stoi(v));
    if (auto v = value("--only"); !v.empty()) o.only = v;
    if (auto v = value("--token-every"); !v.empty()) o.token_every = std::max(1, std::stoi(v));
    if (a == "--trace") o.trace = true;
    if (a == "--set" && i + 1 < argc) o.settings.push_back(argv[++i]);
  }
  // 800 MB: a drain of ~4 s. At 200 MB (~1 s) one broker hiccup or fetch
  // ramp-up moved the relay's rate by half from run to run.
  if (!o.brokers.empty() && !events) o.events = 200000;
  if (!o.brokers.empty() && !chunks) o.chunks = 360;  // 180 MB, 120 uploads
  return o;
}

void PrintLatency(const LatencyTable& table) {
  std::printf(
      "| events/s | relay p50 / p99 / max ms | leakd p50 / p99 / max ms | leakd/relay p50 | p99 "
      "| max | p99 leakd−relay ms | received leakd, relay |\n|---|---|---|---|---|---|---|---|\n");
  for (const auto& [rate, sides] : table) {
    const LatencyResult& r = sides.at(SideKind::kRelay);
    const LatencyResult& l = sides.at(SideKind::kLeakd);
    std::printf(
        "| %d | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f | %.2fx | %.2fx | %.2fx | %+.2f | %zu/%d, "
        "%zu/%d |\n",
        rate, r.p.p50, r.p.p99, r.p.max, l.p.p50, l.p.p99, l.p.max, l.p.p50 / r.p.p50,
        l.p.p99 / r.p.p99, l.p.max / r.p.max, l.p.p99 - r.p.p99, l.received, l.sent, r.received,
        r.sent);
  }
}

// Best of `repeat` for each side, the sides taking turns.
void Throughput(BenchContext& ctx, const Options& o, Load load, const char* label) {
  ThroughputResult best[2];
  bool complete = true;
  for (int i = 0; i < o.repeat; ++i) {
    for (SideKind kind : {SideKind::kRelay, SideKind::kLeakd}) {
      const int count = load == Load::kCommitEvents ? o.events : o.chunks;
      const ThroughputResult r = MeasureThroughput(ctx, kind, load, count, i);
      ThroughputResult& b = best[kind == SideKind::kLeakd];
      if (i == 0 || r.mb_s > b.mb_s) b = r;
      complete = complete && r.complete;
    }
  }
  std::printf("| %s | %zu x %zu KB | %.1f | %.1f | %.2fx |%s\n", label, best[0].records,
              best[0].bytes_each >> 10, best[0].mb_s, best[1].mb_s, best[1].mb_s / best[0].mb_s,
              complete ? "" : " INCOMPLETE: not every output arrived |");
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = Parse(argc, argv);
  SetLogLevel(LogLevel::kError);
  BenchBroker broker(o.brokers);
  ServeConfig base;
  base.brokers = broker.bootstraps();
  base.engine.rules_path = LEAKD_BENCH_PATTERNS;
  base.engine.with_stream = true;
  base.dedupe_window_ms = 0;
  if (!broker.real()) {
    base.commit_interval_ms = 100;
    base.consumer["fetch.wait.max.ms"] = "1";
  }
  for (const auto& s : o.settings) {
    const size_t eq = s.find('=');
    base.Set(s.substr(0, eq), eq == std::string::npos ? "" : s.substr(eq + 1));
  }
  auto db = LoadEngine(base.engine);
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}, {"linger.ms", "0"}});
  BenchContext ctx{broker,
                   base,
                   db,
                   pusher,
                   "bench" + std::to_string(NowUs()),
                   ConsumerProperties(ClientSettingsOf(base)).at("fetch.wait.max.ms"),
                   o.token_every,
                   o.trace};

  std::printf(
      "broker: %s; %zu rules; workers: %u (cores); commit_interval_ms: %llu\n\n",
      broker.real() ? ("real Kafka at " + broker.bootstraps()).c_str() : "mock (in process)",
      db->size(), std::thread::hardware_concurrency(),
      static_cast<unsigned long long>(base.commit_interval_ms));
  if (o.Runs("latency")) PrintLatency(MeasureLatency(ctx, {100, 1000, 5000}, o.seconds));
  if (o.Runs("first")) {
    // The relay is a bare client: it does not look its output topic up before
    // its first record (RecordProducer::Prepare), as leakd does.
    const auto first = MeasureFirstAlert(ctx, 5);
    std::printf(
        "\n| first record after start (5 starts) | p50 ms | max ms |\n|---|---|---|\n"
        "| relay (output topic not prepared) | %.2f | %.2f |\n| leakd | %.2f | %.2f |\n",
        first.at(SideKind::kRelay).p50, first.at(SideKind::kRelay).max,
        first.at(SideKind::kLeakd).p50, first.at(SideKind::kLeakd).max);
  }
  std::printf(
      "\n| input | volume | relay MB/s | leakd MB/s | leakd/relay |\n|---|---|---|---|---|\n");
  std::fflush(stdout);
  const std::string events_label =
      o.token_every == 1 ? "commit events, a token in each"
                         : "commit events, a token in 1 of " + std::to_string(o.token_every);
  if (o.Runs("events")) Throughput(ctx, o, Load::kCommitEvents, events_label.c_str());
  if (o.Runs("chunks")) Throughput(ctx, o, Load::kUploadChunks, "upload chunks, a token in each");
  return 0;
}
