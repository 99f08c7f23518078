#include "forward/forward_command.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "common/log.h"
#include "common/process_signals.h"
#include "common/seal_key.h"
#include "common/settings.h"
#include "forward/forward_metrics.h"
#include "forward/forwarder.h"
#include "forward/public_keys.h"
#include "forward/signer.h"
#include "obs/http_server.h"

namespace leakd {
namespace {

ForwardConfig LoadConfig(const ForwardOptions& options) {
  ForwardConfig config;
  if (!options.config_file.empty()) config.LoadYamlFile(options.config_file);
  config.LoadEnvironment(ProcessEnvironment());
  ApplySetArguments(options.sets,
                    [&config](const std::string& n, const std::string& v) { config.Set(n, v); });
  config.Validate();
  LogLevel level;
  if (!ParseLogLevel(config.log_level, &level))
    throw std::invalid_argument("log_level: " + config.log_level);
  SetLogLevel(level);
  return config;
}

// /meta/public_keys for receivers, /metrics, /healthz, /readyz.
HttpResponse Endpoint(const std::string& path, const std::string& keys,
                      const ForwardMetrics& metrics, const Forwarder* forwarder) {
  const char* text = "text/plain; charset=utf-8";
  if (path == "/meta/public_keys") return {200, "application/json", keys};
  if (path == "/metrics")
    return {200, "text/plain; version=0.0.4; charset=utf-8", metrics.Scrape()};
  std::string why = "starting";
  if (path == "/healthz") {
    return forwarder && forwarder->Alive(&why)
               ? HttpResponse{200, text, "ok\n"}
               : HttpResponse{503, text, "not alive: " + why + "\n"};
  }
  if (path == "/readyz") {
    return forwarder && forwarder->Ready(&why)
               ? HttpResponse{200, text, "ready\n"}
               : HttpResponse{503, text, "not ready: " + why + "\n"};
  }
  return {404, text, "not found: /meta/public_keys /metrics /healthz /readyz\n"};
}

}  // namespace

int RunForward(const ForwardOptions& options) {
  ProcessSignals& signals = InstallProcessSignals();
  ForwardConfig config;
  std::optional<Signer> signer;
  std::optional<SealKeyPair> seal_key;
  ForwardMetrics metrics;
  std::unique_ptr<Forwarder> forwarder;
  std::unique_ptr<HttpServer> http;
  std::atomic<Forwarder*> running{nullptr};
  try {
    config = LoadConfig(options);
    signer = Signer::FromFile(config.signing_key);
    if (!config.secret_key_file.empty()) seal_key = ReadSealSecretKeyFile(config.secret_key_file);
    forwarder =
        std::make_unique<Forwarder>(config, *signer, seal_key ? &*seal_key : nullptr, metrics);
    if (options.check_config) {
      std::printf("config ok: %zu routes, key %s\n", config.routes.size(),
                  signer->key_identifier().c_str());
      return 0;
    }
    if (config.metrics_address != "off") {
      const std::string keys = PublicKeysDocument(*signer);
      http = std::make_unique<HttpServer>(config.metrics_address, [&, keys](const std::string& p) {
        return Endpoint(p, keys, metrics, running.load());
      });
      Log(LogLevel::kInfo, "http-listening",
          {{"address", config.metrics_address}, {"port", http->port()}});
    }
  } catch (const std::exception& e) {
    std::cerr << "leakd: " << e.what() << '\n';
    return 2;
  }
  running = forwarder.get();
  int status = 0;
  try {
    forwarder->Run(signals.stop);
  } catch (const std::exception& e) {
    std::cerr << "leakd: " << e.what() << '\n';
    status = 2;
  }
  running = nullptr;
  http.reset();
  if (forwarder->consumer_kept_open()) {
    std::fflush(nullptr);
    std::_Exit(status);
  }
  return status;
}

}  // namespace leakd
