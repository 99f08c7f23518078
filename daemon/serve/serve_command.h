// `leakd serve`: the streaming daemon. Returns the process exit status: 0 after
// a clean shutdown (SIGTERM/SIGINT: stop fetching, drain, flush, commit), 2 on
// a configuration or start-up error, 1 when --demo did not see every alert.
#pragma once

#include <string>
#include <vector>

namespace leakd {

struct ServeOptions {
  std::string config_file;        // YAML, optional
  std::vector<std::string> sets;  // "key=value", applied last
  bool embedded_broker = false;   // start librdkafka's mock cluster in-process
  bool demo = false;              // with embedded_broker: send sample traffic, print alerts, exit
  bool check_config = false;      // load the settings and compile the rules, then exit
};

int RunServe(const ServeOptions& options);

struct ServeConfig;
// The daemon's settings from options.config_file, LEAKD_* variables and
// options.sets, as `leakd serve` reads them (also for `scan --git --publish`).
// Throws std::invalid_argument on a bad setting.
ServeConfig LoadServeConfig(const ServeOptions& options);

}  // namespace leakd
