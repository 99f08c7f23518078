// `leakd forward`: the signed partner-protocol forwarder (forwarder.h).
// Returns the process exit status: 0 after a clean shutdown (SIGTERM/SIGINT),
// 2 on a configuration or start-up error (bad key, no route, bad URL).
#pragma once

#include <string>
#include <vector>

namespace leakd {

struct ForwardOptions {
  std::string config_file;        // YAML, optional
  std::vector<std::string> sets;  // "key=value", applied last
  bool check_config = false;      // load settings and keys, then exit
};

int RunForward(const ForwardOptions& options);

}  // namespace leakd
