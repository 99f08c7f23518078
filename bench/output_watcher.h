// OutputWatcher: reads one output topic (leakd's alerts, or the relay's
// output) from its beginning, on a thread of its own, and records for each
// record its arrival; for a record stamped by the load generator ("commit":
// "t<us>", in an alert or in a relayed event alike) also the latency from push
// to arrival. The same watcher, with the same client settings, measures
// leakd and the relay.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kafka/kafka_error.h"
#include "serve_load.h"

namespace leakd::bench {

class OutputWatcher {
 public:
  OutputWatcher(const std::string& brokers, const std::string& topic, int partitions,
                const std::string& fetch_wait_ms);
  ~OutputWatcher();
  OutputWatcher(const OutputWatcher&) = delete;
  OutputWatcher& operator=(const OutputWatcher&) = delete;

  // The latencies (ms) recorded since the last call.
  std::vector<double> TakeLatencies();
  size_t records() const { return records_; }
  // Steady-clock µs of the first and the latest arrival (0 before any).
  int64_t first_arrival_us() const { return first_arrival_us_; }
  int64_t last_arrival_us() const { return last_arrival_us_; }
  // Waits until `count` records have arrived in all; false after `timeout`.
  bool WaitForRecords(size_t count, std::chrono::seconds timeout) const;

 private:
  void Loop();

  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::atomic<bool> stop_{false};
  std::atomic<size_t> records_{0};
  std::atomic<int64_t> first_arrival_us_{0}, last_arrival_us_{0};
  std::mutex mu_;
  std::vector<double> latencies_ms_;
  std::thread thread_;
};

}  // namespace leakd::bench
