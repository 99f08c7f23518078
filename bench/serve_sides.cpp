#include "serve_sides.h"

#include <cstdio>

#include "obs/metrics.h"
#include "relay.h"
#include "serve/pipeline.h"

namespace leakd::bench {
namespace {

class LeakdSide : public Side {
 public:
  LeakdSide(ServeConfig config, std::shared_ptr<const PatternDatabase> db)
      : pipeline_(std::move(config), std::move(db), metrics_),
        thread_([this] { pipeline_.Run(stop_); }) {}
  ~LeakdSide() override {
    stop_ = true;
    thread_.join();
    std::fprintf(stderr, "leakd: consumed %llu, pauses %llu\n",
                 static_cast<unsigned long long>(pipeline_.stats().consumed.load()),
                 static_cast<unsigned long long>(pipeline_.stats().pauses.load()));
  }
  bool assigned() const override { return pipeline_.assigned(); }
  uint64_t consumed() const override { return pipeline_.stats().consumed; }

 private:
  Metrics metrics_;
  Pipeline pipeline_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class RelaySide : public Side {
 public:
  RelaySide(const ServeConfig& config, const Lane& lane)
      : relay_(ClientSettingsOf(config), {lane.commits(), lane.uploads()}, lane.out(),
               static_cast<int>(config.commit_interval_ms)),
        thread_([this] { relay_.Run(stop_); }) {}
  ~RelaySide() override {
    stop_ = true;
    thread_.join();
  }
  bool assigned() const override { return relay_.assigned(); }
  uint64_t consumed() const override { return relay_.consumed(); }

 private:
  Relay relay_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

void Lane::Create(BenchBroker& broker) const {
  for (const auto& t : {commits(), uploads(), out()}) broker.CreateTopic(t, 4);
  broker.CreateTopic(dlq(), 1);
}

const char* SideName(SideKind kind) {
  return kind == SideKind::kRelay ? "relay" : "leakd";
}

bool Side::WaitAssigned(std::chrono::seconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!assigned()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

std::unique_ptr<Side> StartSide(SideKind kind, const Lane& lane, const ServeConfig& base,
                                std::shared_ptr<const PatternDatabase> db) {
  ServeConfig config = base;
  config.group_id = "bench-" + lane.prefix;
  config.commits_topic = lane.commits();
  config.uploads_topic = lane.uploads();
  config.alerts_topic = lane.out();
  config.dlq_topic = lane.dlq();
  if (kind == SideKind::kRelay) return std::make_unique<RelaySide>(config, lane);
  return std::make_unique<LeakdSide>(std::move(config), std::move(db));
}

}  // namespace leakd::bench
