// The streaming daemon's latency and throughput on the embedded broker
// (librdkafka's mock cluster, in this process, as in the demo).
//
// Latency: commit events (~600 B, one secret each) at a fixed rate; the push
// time in microseconds travels in the event's `commit` field, which the alert
// echoes back, and a subscriber of the alert topic measures push -> alert
// received (an upper bound of push -> alert acknowledged: one more fetch).
// Throughput: 4 KB commit events and 512 KB upload chunks pushed as fast as
// the producer goes; the time until the daemon has processed them all.
// Totals stay under ~2 MiB per partition: the mock keeps about 5 MiB.
//
//   leakd_serve_bench [--seconds=N]
#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "common/log.h"
#include "kafka/embedded_broker.h"
#include "kafka/record_producer.h"
#include "scan/engine_config.h"
#include "scan/validators.h"
#include "serve/pipeline.h"

using namespace leakd;
using Clock = std::chrono::steady_clock;

namespace {

int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch())
      .count();
}

std::string Token(std::mt19937& rng) {
  const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string body;
  for (int i = 0; i < 30; ++i) body += a[rng() % 62];
  return "ghp_" + body + GithubStyleChecksum(body);
}

std::string Filler(size_t n) {
  std::string s;
  while (s.size() < n) s += " counter += step  # accumulate the running total for the report\n";
  s.resize(n);
  return s;
}

// A commit event whose patch adds every line of `added`.
std::string Event(const std::string& commit, const std::string& added) {
  std::string patch = "@@ -1 +1,2 @@\n ctx\n";
  size_t from = 0;
  while (from < added.size()) {
    size_t nl = added.find('\n', from);
    if (nl == std::string::npos) nl = added.size();
    patch += "+" + added.substr(from, nl - from) + "\n";
    from = nl + 1;
  }
  nlohmann::json files = nlohmann::json::array();
  files.push_back({{"path", "src/app.py"}, {"patch", patch}});
  return nlohmann::json{{"repo", "bench/repo"}, {"commit", commit}, {"files", files}}.dump();
}

struct Percentiles {
  double p50, p99, max;
};
Percentiles Summarize(std::vector<double> v) {
  if (v.empty()) return {0, 0, 0};
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<size_t>(q * v.size()))]; };
  return {at(0.50), at(0.99), v.back()};
}

class AlertWatcher {
 public:
  explicit AlertWatcher(const std::string& brokers) {
    auto conf = MakeKafkaConf({{"bootstrap.servers", brokers},
                               {"group.id", "bench-watch"},
                               {"enable.auto.commit", "false"},
                               {"fetch.wait.max.ms", "1"}});
    std::string err;
    consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
    std::vector<RdKafka::TopicPartition*> parts;
    for (int p = 0; p < 4; ++p)
      parts.push_back(
          RdKafka::TopicPartition::create("leakd.alerts", p, RdKafka::Topic::OFFSET_END));
    consumer_->assign(parts);
    RdKafka::TopicPartition::destroy(parts);
    thread_ = std::thread([this] {
      while (!stop_) {
        std::unique_ptr<RdKafka::Message> m(consumer_->consume(20));
        if (m->err() != RdKafka::ERR_NO_ERROR) continue;
        const int64_t now = NowUs();
        const auto a =
            nlohmann::json::parse(std::string(static_cast<const char*>(m->payload()), m->len()));
        const std::string commit = a["commit"];
        if (commit.rfind("t", 0) != 0) continue;
        std::lock_guard<std::mutex> lock(mu_);
        latencies_ms_.push_back((now - std::stoll(commit.substr(1))) / 1000.0);
      }
    });
  }
  ~AlertWatcher() {
    stop_ = true;
    thread_.join();
    consumer_->close();
  }
  std::vector<double> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(latencies_ms_, {});
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mu_);
    return latencies_ms_.size();
  }

 private:
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<double> latencies_ms_;
};

}  // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--seconds=", 10) == 0) seconds = std::stod(argv[i] + 10);
  }
  SetLogLevel(LogLevel::kError);
  EmbeddedBroker broker(1);
  for (const char* t : {"leakd.commits", "leakd.uploads", "leakd.alerts"}) broker.CreateTopic(t, 4);
  broker.CreateTopic("leakd.dlq", 1);

  ServeConfig config;
  config.brokers = broker.bootstraps();
  config.engine.rules_path = LEAKD_BENCH_PATTERNS;
  config.engine.with_stream = true;
  config.dedupe_window_ms = 0;
  config.commit_interval_ms = 100;
  config.consumer["fetch.wait.max.ms"] = "1";
  auto db = LoadEngine(config.engine);
  Metrics metrics;
  Pipeline pipeline(config, db, metrics);
  std::atomic<bool> stop{false};
  std::thread serve([&] { pipeline.Run(stop); });
  while (!pipeline.assigned()) std::this_thread::sleep_for(std::chrono::milliseconds(20));

  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}, {"linger.ms", "0"}});
  AlertWatcher watcher(broker.bootstraps());
  std::mt19937 rng(42);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // watcher connected

  // Warm-up, not measured: connections, each topic's metadata (a first
  // produce to a topic waits about a second for it on the mock), first fetches.
  pusher.Produce({"leakd.uploads", "warm", "x", {{"repo", "bench/repo"}, {"path", "warm"}}},
                 nullptr);
  for (int i = 0; i < 200; ++i) {
    pusher.Produce({"leakd.commits",
                    "w" + std::to_string(i),
                    Event("t" + std::to_string(NowUs()), "TOKEN=\"" + Token(rng) + "\""),
                    {}},
                   nullptr);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (int i = 0; i < 300 && watcher.count() < 200; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  watcher.Take();

  std::printf("| rate (events/s) | events | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n");
  for (int rate : {100, 1000, 5000}) {
    const int total = static_cast<int>(rate * seconds);
    const auto start = Clock::now();
    for (int i = 0; i < total; ++i) {
      std::this_thread::sleep_until(
          start + std::chrono::microseconds(static_cast<int64_t>(1e6 * i / rate)));
      pusher.Produce(
          {"leakd.commits",
           "k" + std::to_string(i),
           Event("t" + std::to_string(NowUs()), Filler(400) + "TOKEN=\"" + Token(rng) + "\""),
           {}},
          nullptr);
    }
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (watcher.count() < static_cast<size_t>(total) && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const auto lat = watcher.Take();
    const auto p = Summarize(lat);
    std::printf("| %d | %zu of %d | %.2f | %.2f | %.2f |\n", rate, lat.size(), total, p.p50, p.p99,
                p.max);
    std::fflush(stdout);
  }

  // Throughput, against a baseline in the same run: the same messages pushed
  // to a topic leakd does not read and fetched by a plain consumer, i.e. what
  // the mock broker alone sustains on this machine.
  int baseline_runs = 0;
  auto baseline = [&](int count, const std::string& payload) {
    // A fresh topic read from its beginning: nothing is skipped or left over.
    const std::string topic = "bench.baseline." + std::to_string(++baseline_runs);
    broker.CreateTopic(topic, 4);
    auto conf = MakeKafkaConf({{"bootstrap.servers", broker.bootstraps()},
                               {"group.id", "bench-baseline"},
                               {"enable.auto.commit", "false"},
                               {"fetch.wait.max.ms", "1"}});
    std::string err;
    std::unique_ptr<RdKafka::KafkaConsumer> c(RdKafka::KafkaConsumer::create(conf.get(), err));
    std::vector<RdKafka::TopicPartition*> parts;
    for (int p = 0; p < 4; ++p)
      parts.push_back(RdKafka::TopicPartition::create(topic, p, RdKafka::Topic::OFFSET_BEGINNING));
    c->assign(parts);
    RdKafka::TopicPartition::destroy(parts);
    // Warm up: connections and the first fetch are not part of the rate.
    pusher.Produce({topic, "warm", "x", {}}, nullptr);
    for (bool warm = false; !warm;) {
      std::unique_ptr<RdKafka::Message> m(c->consume(100));
      warm = m->err() == RdKafka::ERR_NO_ERROR;
    }
    const auto start = Clock::now();
    for (int i = 0; i < count; ++i)
      pusher.Produce({topic, "b" + std::to_string(i), payload, {}}, nullptr);
    int got = 0;
    const auto deadline = start + std::chrono::seconds(60);
    while (got < count && Clock::now() < deadline) {
      std::unique_ptr<RdKafka::Message> m(c->consume(100));
      if (m->err() == RdKafka::ERR_NO_ERROR) ++got;
    }
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    c->close();
    return count * payload.size() / s / 1e6;
  };
  auto throughput = [&](const char* what, int count, size_t bytes_each, double base_mb_s,
                        auto make) {
    const uint64_t before = pipeline.stats().processed;
    const uint64_t pauses_before = pipeline.stats().pauses;
    const auto start = Clock::now();
    for (int i = 0; i < count; ++i) make(i);
    const auto deadline = start + std::chrono::seconds(60);
    while (pipeline.stats().processed < before + count && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    const double mb_s = count * bytes_each / s / 1e6;
    std::printf("| %s | %d x %zu KB | %.1f MB/s | %.1f MB/s | %.2fx | %llu |\n", what, count,
                bytes_each >> 10, mb_s, base_mb_s, mb_s / base_mb_s,
                static_cast<unsigned long long>(pipeline.stats().pauses - pauses_before));
    std::fflush(stdout);
  };
  std::printf(
      "\n| input | volume | leakd | mock alone | leakd/mock | pauses "
      "|\n|---|---|---|---|---|---|\n");
  const std::string filler4k = Filler(4000);
  const double base_commits = baseline(1500, Event("x", filler4k));
  throughput("commit events", 1500, 4096, base_commits, [&](int i) {
    pusher.Produce({"leakd.commits", "c" + std::to_string(i), Event("x", filler4k), {}}, nullptr);
  });
  const std::string chunk = Filler(512 * 1024);
  const double base_chunks = baseline(12, chunk);
  throughput("upload chunks", 12, 512 * 1024, base_chunks, [&](int i) {
    const std::string id = "up" + std::to_string(i / 3);
    std::vector<std::pair<std::string, std::string>> h = {{"repo", "bench/repo"},
                                                          {"path", "weights.txt"},
                                                          {"upload-id", id},
                                                          {"chunk", std::to_string(i % 3)}};
    if (i % 3 == 2) h.emplace_back("final", "true");
    pusher.Produce({"leakd.uploads", id, chunk, h}, nullptr);
  });

  stop = true;
  serve.join();
  return 0;
}
