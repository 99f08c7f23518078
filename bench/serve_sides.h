// The two systems leakd_serve_bench measures, each on a lane of topics of its
// own on the same broker, each on a thread of its own:
//   leakd: the daemon's Pipeline in this process (as `leakd serve` runs it),
//          reading <lane>.commits and <lane>.uploads, alerting to <lane>.out;
//   relay: the bare consume → produce floor (relay.h) with the same client
//          settings, copying every record of the same inputs to <lane>.out.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "bench_broker.h"
#include "scan/pattern_database.h"
#include "serve/serve_config.h"

namespace leakd::bench {

struct Lane {
  std::string prefix;
  std::string commits() const { return prefix + ".commits"; }
  std::string uploads() const { return prefix + ".uploads"; }
  std::string out() const { return prefix + ".out"; }
  std::string dlq() const { return prefix + ".dlq"; }
  // Creates the lane's topics: 4 partitions each, the dead letters 1.
  void Create(BenchBroker& broker) const;
};

enum class SideKind { kRelay, kLeakd };
const char* SideName(SideKind kind);

class Side {
 public:
  virtual ~Side() = default;
  virtual bool assigned() const = 0;
  virtual uint64_t consumed() const = 0;
  // Waits until the consumer has joined its group; false after `timeout`.
  bool WaitAssigned(std::chrono::seconds timeout) const;
};

// Starts a side on `lane` with a consumer group of its own. `base` holds the
// settings both sides share (brokers, client properties, commit cadence).
std::unique_ptr<Side> StartSide(SideKind kind, const Lane& lane, const ServeConfig& base,
                                std::shared_ptr<const PatternDatabase> db);

}  // namespace leakd::bench
