// The load generator of leakd_serve_bench: synthetic commit events and upload
// chunks (made-up GitHub-style tokens, never real secrets), pushed at a fixed
// rate or all at once, and the percentile summary of latencies.
//
// Latency events carry their push time (steady clock, microseconds) in the
// `commit` field as "t<us>": leakd's alert echoes it, the relay forwards the
// event itself, and OutputWatcher reads it back from either.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "kafka/record_producer.h"

namespace leakd::bench {

using Clock = std::chrono::steady_clock;

int64_t NowUs();
// A made-up token of GitHub's format with a valid checksum (so leakd alerts).
std::string Token(std::mt19937& rng);
// `n` bytes of harmless source lines.
std::string Filler(size_t n);
// A commit event JSON whose patch adds every line of `added`.
std::string CommitEvent(const std::string& commit, const std::string& added);
// A ~600 B commit event with one token, stamped with the push time.
std::string StampedEvent(std::mt19937& rng);
// A ~4 KB commit event (commit "x": not a latency sample), with one token or none.
std::string BulkEvent(std::mt19937& rng, bool with_token = true);
// An upload chunk of `bytes` with one token in the middle, and its headers.
OutRecord UploadChunk(std::mt19937& rng, const std::string& topic, int index, size_t bytes);

struct Percentiles {
  double p50 = 0, p99 = 0, max = 0;
};
Percentiles Summarize(std::vector<double> values);

// Pushes `total` stamped events to `topic` at `rate` per second (each one
// stamped as it is sent).
void PushAtRate(RecordProducer& pusher, const std::string& topic, int rate, int total,
                std::mt19937& rng);

}  // namespace leakd::bench
