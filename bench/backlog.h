// A backlog that appears at once: records written in one Kafka transaction
// are invisible to read_committed consumers (librdkafka's default, the
// daemon's and the relay's) until the transaction commits. So a side can be
// started and warmed up first (group joined, producer id, metadata), and then
// find the whole backlog at one instant: the start of a throughput measurement.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kafka/record_producer.h"

namespace leakd::bench {

// Writes `records` in one transaction; returns the steady-clock µs at which
// the commit was acknowledged. `partitions`: each record's partition, or
// empty for key-based. Throws KafkaError on any failure.
int64_t WriteBacklog(const std::string& brokers, const std::vector<OutRecord>& records,
                     const std::vector<int32_t>& partitions = {});

}  // namespace leakd::bench
