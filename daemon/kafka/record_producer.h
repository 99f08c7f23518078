// RecordProducer: publishes alerts and dead-letter records, and reports how
// each one ended: acknowledged by the broker, rejected for good, or aborted.
//
// Idempotent producer, acks=all, small linger, Nagle off. Invariants:
// - Every Produce() ends in exactly one callback, whatever happens.
// - A retriable failure (broker away, leader moving, timeout) is sent again
//   after a backoff, in the background: it never blocks the caller.
// - A permanent failure (record too large, topic missing or forbidden; see
//   produce_error.h) is reported as kRejected at once, never retried: a record
//   that can never be written must not wedge whoever waits for it. A record
//   sent with OnRefusal::kRetry is the exception: it is the last resort of its
//   caller (a small dead letter), so a refusal of its topic (missing,
//   forbidden) is retried like a retriable failure until the broker takes it
//   or Abort(); a refusal of the record itself (too large, malformed) still
//   ends it as kRejected.
// - A client that fails for good (librdkafka's fatal error: the idempotent
//   sequence lost with a broker, the producer fenced) refuses every record
//   from then on. It is replaced by a new one, and the records it held are
//   sent again on that one: possibly twice, never lost. Replacements are at
//   least a second apart, doubling to 30 s while no record gets through.
// - After Abort() (the shutdown deadline), nothing is retried or waited for:
//   what is not acknowledged yet ends as kAborted, and Produce() returns at once.
// The only waits in Produce() are for room (in librdkafka's local queue, and
// fewer records that failed once and have not ended than the RetryBound) and
// for a failed client's replacement, and all end at Abort(). Produce() called
// from a callback (the poll thread) never waits: that thread makes the room.
//
// Threads: Produce() is thread-safe. Callbacks run on the internal poll thread,
// or on the caller's thread when a record is rejected before it is queued, so
// a callback may call Produce() again but must be quick and hold no lock that
// the caller of Produce() holds.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kafka/kafka_error.h"

namespace RdKafka {
class Conf;
class Producer;
class EventCb;
}  // namespace RdKafka

namespace leakd {

struct OutRecord {
  std::string topic;
  std::optional<std::string> key;    // nullopt: a null key
  std::optional<std::string> value;  // nullopt: a null value (a tombstone stays one)
  std::vector<std::pair<std::string, std::string>> headers;

  // Bytes the record takes on the wire, about: what the size limits compare.
  size_t ApproximateSize() const;
};

enum class DeliveryStatus { kAcked, kRejected, kAborted };
// What a permanent failure does: end the record as kRejected, or retry it.
enum class OnRefusal { kReport, kRetry };

struct Delivery {
  DeliveryStatus status = DeliveryStatus::kAcked;
  int error = 0;       // librdkafka's code when not acknowledged
  std::string reason;  // librdkafka's error text; never record content
};
using DeliveryCallback = std::function<void(const Delivery&)>;

// Records that failed once and have not ended, past which callers of
// RecordProducer::Produce wait: a bound on memory while the broker refuses
// records (a missing topic) or is away. Either bound suffices: many small
// records, or fewer large ones.
struct ProducerRetryBound {
  size_t records = 50000;
  size_t bytes = 64u << 20;  // OutRecord::ApproximateSize of each
};

class RecordProducer {
 public:
  using RetryBound = ProducerRetryBound;

  // `properties` are passed to librdkafka after leakd's defaults, so they win.
  // `events`, when given, receives librdkafka's log, error and stats events.
  explicit RecordProducer(const KafkaProperties& properties, RdKafka::EventCb* events = nullptr,
                          RetryBound retry_bound = RetryBound());
  // Waits up to 2 s for outstanding records, then aborts the rest.
  ~RecordProducer();
  RecordProducer(const RecordProducer&) = delete;
  RecordProducer& operator=(const RecordProducer&) = delete;

  void Produce(OutRecord record, DeliveryCallback on_done,
               OnRefusal on_refusal = OnRefusal::kReport);
  // Makes the client look the topics up now, in the background: librdkafka
  // otherwise asks for a topic's metadata at its first record, which then
  // waits about a second for its partition's leader (bench/serve_bench.cpp,
  // --only=first). Call before producing to them.
  void Prepare(const std::vector<std::string>& topics);
  // Waits until every record has ended or the timeout passes; true if all ended.
  bool Flush(std::chrono::milliseconds timeout);
  // Ends every outstanding record as kAborted, now and from now on.
  void Abort();

  // The largest record the client accepts (its message.max.bytes).
  size_t max_record_bytes() const { return max_record_bytes_; }
  uint64_t acknowledged() const { return acknowledged_; }
  uint64_t delivery_failures() const { return delivery_failures_; }  // failed attempts
  uint64_t rejected() const { return rejected_; }
  uint64_t replacements() const { return replacements_; }    // clients replaced after a fatal error
  size_t retrying() const { return retrying_; }              // records that failed once, not ended
  size_t retrying_bytes() const { return retrying_bytes_; }  // their approximate size
  int64_t outstanding() const { return outstanding_; }

 private:
  struct Pending;
  class DeliveryReports;
  using Clock = std::chrono::steady_clock;

  // Hands the record to librdkafka. `wait_for_room`: block while there is no
  // room (callers); otherwise leave it for the next retry (poll thread).
  void Send(std::unique_ptr<Pending> pending, bool wait_for_room);
  // The failure ends the record (kRejected) rather than being retried. Counts
  // a permanent refusal in rejected_ either way.
  bool EndsRecord(int error, const Pending& pending);
  void Finish(std::unique_ptr<Pending> pending, const Delivery& delivery);
  void Retry(std::unique_ptr<Pending> pending);
  void SendDueRetries();
  // Poll thread: replaces the client once it has failed for good, when due.
  void ReplaceIfFailed();
  std::unique_ptr<RdKafka::Producer> NewClient(std::string* error) const;
  void LookUp(RdKafka::Producer& client, const std::vector<std::string>& topics) const;

  std::unique_ptr<DeliveryReports> reports_;
  std::unique_ptr<RdKafka::Conf> conf_;  // a replacement client is made from it
  // Guards producer_ against its replacement: shared to use the client,
  // exclusive (poll thread) to swap it. prepared_ is what Prepare() asked for.
  std::shared_mutex client_mu_;
  std::unique_ptr<RdKafka::Producer> producer_;
  std::vector<std::string> prepared_;
  // Poll thread only: when the next replacement may happen, the wait after
  // it, and the acknowledgements seen at the last one.
  Clock::time_point next_replacement_{};
  std::chrono::milliseconds replacement_wait_{1000};
  uint64_t acknowledged_at_replacement_ = 0;
  size_t max_record_bytes_ = 1000000;
  std::atomic<bool> stop_{false}, aborted_{false};
  std::mutex retry_mu_;
  std::vector<std::pair<Clock::time_point, std::unique_ptr<Pending>>> retries_;
  std::thread poller_;
  const RetryBound retry_bound_;
  std::atomic<size_t> retrying_{0};        // records that failed once and have not ended
  std::atomic<size_t> retrying_bytes_{0};  // their ApproximateSize
  std::atomic<uint64_t> acknowledged_{0}, delivery_failures_{0}, rejected_{0}, replacements_{0};
  std::atomic<int64_t> outstanding_{0};
};

}  // namespace leakd
