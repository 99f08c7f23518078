// One alert on its way to an issuer: the four fields of GitHub's partner
// format, what identifies it without the token (for the DLQ, the logs and the
// revocation records), and where it was consumed (for the offset commit).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "kafka/offset_tracker.h"

namespace leakd {

struct ForwardItem {
  std::string token;  // never logged, never in a metric or a DLQ record
  std::string type, url, source;
  std::string provider, fingerprint, redacted;
  std::string repo, commit, path;
  uint64_t line = 0;
  PartitionKey key;    // the alert's partition …
  int64_t offset = 0;  // … and offset on the alert topic
  std::chrono::steady_clock::time_point consumed_at;
};

using Batch = std::vector<ForwardItem>;

}  // namespace leakd
