#include "serve/serve_command.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <thread>

#include "common/log.h"
#include "common/process_signals.h"
#include "common/settings.h"
#include "kafka/embedded_broker.h"
#include "obs/http_server.h"
#include "obs/metrics.h"
#include "scan/engine_config.h"
#include "serve/demo_traffic.h"
#include "serve/pipeline.h"

namespace leakd {

ServeConfig LoadServeConfig(const ServeOptions& options) {
  ServeConfig config;
  if (!options.config_file.empty()) config.LoadYamlFile(options.config_file);
  config.LoadEnvironment(ProcessEnvironment());
  ApplySetArguments(options.sets,
                    [&config](const std::string& n, const std::string& v) { config.Set(n, v); });
  config.Validate();
  if (!config.ignore_file.empty()) {
    auto ignore = std::make_shared<IgnoreList>();
    std::string error;
    if (!ignore->AddFile(config.ignore_file, &error)) {
      throw std::invalid_argument("ignore_file: " + error);
    }
    config.ignore = std::move(ignore);
  }
  return config;
}

namespace {

// The HTTP side door: metrics, liveness, readiness.
HttpResponse Endpoint(const std::string& path, const Metrics& metrics, const Pipeline& pipeline) {
  if (path == "/metrics")
    return {200, "text/plain; version=0.0.4; charset=utf-8", metrics.Scrape()};
  if (path == "/healthz") {
    std::string why;
    return pipeline.Alive(&why)
               ? HttpResponse{200, "text/plain; charset=utf-8", "ok\n"}
               : HttpResponse{503, "text/plain; charset=utf-8", "not alive: " + why + "\n"};
  }
  if (path == "/readyz") {
    std::string why;
    return pipeline.Ready(&why)
               ? HttpResponse{200, "text/plain; charset=utf-8", "ready\n"}
               : HttpResponse{503, "text/plain; charset=utf-8", "not ready: " + why + "\n"};
  }
  return {404, "text/plain; charset=utf-8", "not found: /metrics /healthz /readyz\n"};
}

// What the demo shows of /metrics: the counters a SOC dashboard starts from.
void PrintDemoMetrics(const Metrics& metrics, int port) {
  std::printf("\nmetrics (http://127.0.0.1:%d/metrics, excerpt):\n", port);
  std::istringstream lines(metrics.Scrape());
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#' || line.find("_bucket") != std::string::npos) continue;
    if (line.size() > 2 && line.compare(line.size() - 2, 2, " 0") == 0) continue;  // nothing yet
    for (const char* name :
         {"leakd_messages_consumed_total", "leakd_findings_total", "leakd_alerts_produced_total",
          "leakd_dead_letters_total", "leakd_push_to_alert_seconds_", "leakd_scanned_bytes_total",
          "leakd_pattern_database_rules"}) {
      if (line.rfind(name, 0) == 0) {
        std::printf("  %s\n", line.c_str());
        break;
      }
    }
  }
  std::fflush(stdout);
}

// Everything RunServe builds before serving, in the order it is built (and
// destroyed in reverse: the HTTP server before the pipeline it reports on).
struct Daemon {
  ProcessSignals& signals = InstallProcessSignals();  // first: a SIGTERM while rules load stops
  ServeConfig config;
  std::shared_ptr<const PatternDatabase> db;
  std::unique_ptr<EmbeddedBroker> broker;
  Metrics metrics;
  std::unique_ptr<Pipeline> pipeline;
  std::unique_ptr<HttpServer> http;
};

void LoadRules(Daemon* d) {
  EngineConfig engine = d->config.engine;
  engine.with_stream = true;
  engine.compile_stage2_now = true;
  try {
    d->db = LoadEngine(engine);
  } catch (...) {
    d->metrics.PatternDatabaseLoadFailed();
    throw;
  }
  d->metrics.PatternDatabaseLoaded(*d->db);
}

void StartEmbeddedBroker(Daemon* d) {
  d->broker = std::make_unique<EmbeddedBroker>(1);
  for (const auto& topic :
       {d->config.commits_topic, d->config.uploads_topic, d->config.alerts_topic}) {
    d->broker->CreateTopic(topic, 4);
  }
  d->broker->CreateTopic(d->config.dlq_topic, 1);
  d->config.brokers = d->broker->bootstraps();
  std::printf("embedded broker: %s\n", d->config.brokers.c_str());
  std::fflush(stdout);
}

void StartHttp(const ServeOptions& options, Daemon* d) {
  // The demo must not collide with anything on the default port.
  if (options.demo && d->config.metrics_address == ServeConfig().metrics_address) {
    d->config.metrics_address = "127.0.0.1:0";
  }
  if (d->config.metrics_address == "off") return;
  d->http = std::make_unique<HttpServer>(d->config.metrics_address, [d](const std::string& path) {
    return Endpoint(path, d->metrics, *d->pipeline);
  });
  Log(LogLevel::kInfo, "http-listening",
      {{"address", d->config.metrics_address}, {"port", d->http->port()}});
}

// Settings, rules, broker, pipeline, HTTP. False when `--check-config` ends here.
bool Build(const ServeOptions& options, Daemon* d) {
  d->config = LoadServeConfig(options);
  LogLevel level;
  if (!ParseLogLevel(d->config.log_level, &level))
    throw std::invalid_argument("log_level: " + d->config.log_level);
  SetLogLevel(level);
  LoadRules(d);
  if (options.check_config) {
    std::printf("config ok: brokers %s, group %s, %zu rules\n", d->config.brokers.c_str(),
                d->config.group_id.c_str(), d->db->size());
    return false;
  }
  Log(LogLevel::kInfo, "rules-loaded",
      {{"rules", d->db->size()},
       {"hash", d->db->content_hash().substr(0, 16)},
       {"from_cache", d->db->loaded_from_cache()},
       {"seconds", d->db->build_seconds()}});
  if (options.embedded_broker) StartEmbeddedBroker(d);
  d->pipeline = std::make_unique<Pipeline>(d->config, d->db, d->metrics, &d->signals.reload);
  StartHttp(options, d);
  return true;
}

// --demo: pushes sample traffic once the group has partitions, prints what
// comes back and the metrics, then stops the daemon.
std::thread StartDemo(Daemon* d, DemoResult* demo) {
  return std::thread([d, demo] {
    // Push only once the group has assigned partitions, so that the latency
    // printed is the steady-state one, not the first join (~3 s on the mock).
    for (int i = 0; i < 300 && !d->pipeline->assigned() && !d->signals.stop; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    try {
      *demo =
          RunDemoTraffic(d->config, 30000, [d] { return d->pipeline->stats().consumed.load(); });
      std::this_thread::sleep_for(std::chrono::milliseconds(300));  // last acks counted
      PrintDemoMetrics(d->metrics, d->http ? d->http->port() : 0);
    } catch (const std::exception& e) {
      std::cerr << "leakd: demo: " << e.what() << '\n';
    }
    d->signals.stop = true;
  });
}

}  // namespace

int RunServe(const ServeOptions& options) {
  // Daemon installs the signal handlers first: a SIGTERM while the rules load
  // must stop the daemon cleanly once it can, not kill it.
  Daemon d;
  try {
    if (!Build(options, &d)) return 0;
  } catch (const std::exception& e) {
    std::cerr << "leakd: " << e.what() << '\n';
    return 2;
  }
  DemoResult demo;
  std::thread demo_thread;
  if (options.demo) demo_thread = StartDemo(&d, &demo);
  int status = 0;
  try {
    d.pipeline->Run(d.signals.stop);
  } catch (const std::exception& e) {
    std::cerr << "leakd: " << e.what() << '\n';
    status = 2;
    d.signals.stop = true;
  }
  if (demo_thread.joinable()) demo_thread.join();
  if (options.demo && status == 0 && !demo.complete()) status = 1;
  if (d.pipeline->consumer_kept_open() || d.pipeline->reload_running()) {
    // The consumer is still closing on another thread (no broker answers) or
    // must not be destroyed, or rules are compiling: destructors would wait
    // past the shutdown deadline or abort.
    std::fflush(nullptr);
    std::_Exit(status);
  }
  return status;
}

}  // namespace leakd
