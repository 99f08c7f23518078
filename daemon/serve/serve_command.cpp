#include "serve/serve_command.h"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include "kafka/embedded_broker.h"
#include "obs/log.h"
#include "scan/engine_config.h"
#include "serve/demo_traffic.h"
#include "serve/pipeline.h"

extern char** environ;

namespace leakd {
namespace {

std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

void OnSignal(int) {
  g_stop = true;
}

void InstallSignalHandlers() {
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
}

ServeConfig LoadConfig(const ServeOptions& options) {
  ServeConfig config;
  if (!options.config_file.empty()) config.LoadYamlFile(options.config_file);
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  config.LoadEnvironment(env);
  for (const std::string& set : options.sets) {
    const size_t eq = set.find('=');
    if (eq == std::string::npos) throw std::invalid_argument("--set expects key=value, got " + set);
    config.Set(set.substr(0, eq), set.substr(eq + 1));
  }
  return config;
}

}  // namespace

int RunServe(const ServeOptions& options) {
  ServeConfig config;
  std::shared_ptr<const PatternDatabase> db;
  std::unique_ptr<EmbeddedBroker> broker;
  try {
    config = LoadConfig(options);
    LogLevel level;
    if (!ParseLogLevel(config.log_level, &level))
      throw std::invalid_argument("log_level: " + config.log_level);
    SetLogLevel(level);
    EngineConfig engine = config.engine;
    engine.with_stream = true;
    db = LoadEngine(engine);
    Log(LogLevel::kInfo, "rules-loaded",
        {{"rules", db->size()},
         {"hash", db->content_hash().substr(0, 16)},
         {"from_cache", db->loaded_from_cache()},
         {"seconds", db->build_seconds()}});
    if (options.embedded_broker) {
      broker = std::make_unique<EmbeddedBroker>(1);
      for (const auto& topic : {config.commits_topic, config.uploads_topic, config.alerts_topic}) {
        broker->CreateTopic(topic, 4);
      }
      broker->CreateTopic(config.dlq_topic, 1);
      config.brokers = broker->bootstraps();
      std::printf("embedded broker: %s\n", config.brokers.c_str());
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::cerr << "leakd: " << e.what() << '\n';
    return 2;
  }

  InstallSignalHandlers();
  Pipeline pipeline(config, db);
  DemoResult demo;
  std::thread demo_thread;
  if (options.demo) {
    demo_thread = std::thread([&] {
      // Push only once the group has assigned partitions, so that the latency
      // printed is the steady-state one, not the first join (~3 s on the mock).
      for (int i = 0; i < 300 && !pipeline.assigned() && !g_stop; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      try {
        demo = RunDemoTraffic(config, 30000);
      } catch (const std::exception& e) {
        std::cerr << "leakd: demo: " << e.what() << '\n';
      }
      g_stop = true;
    });
  }
  int status = 0;
  try {
    pipeline.Run(g_stop);
  } catch (const std::exception& e) {
    std::cerr << "leakd: " << e.what() << '\n';
    status = 2;
    g_stop = true;
  }
  if (demo_thread.joinable()) demo_thread.join();
  if (options.demo && status == 0 && !demo.complete()) status = 1;
  return status;
}

}  // namespace leakd
