// GroupOffsets: a consumer group member's side of at-least-once, shared by
// `leakd serve` and `leakd forward`: the OffsetTracker of what is done, the
// rebalance callback (commit what is done before giving partitions up), the
// offset-commit callback (a failed commit is offered again), and the commits
// themselves.
//
// Invariants:
// - Only offsets the tracker reports done are ever committed.
// - Commits are asynchronous: a dead broker never holds the consumer loop; a
//   lost commit only means some messages are delivered again.
// - On revocation, in-flight messages still finish but are no longer
//   committed by this member (the next owner sees them again).
//
// Threads: the callbacks run on the consumer thread (inside consume());
// Next, CommitDone, CommitAllBy, SetPaused and tracker() are for that thread
// too. assigned() and assigned_partitions() may be read from any thread.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

#include "kafka/batch_skipper.h"
#include "kafka/offset_tracker.h"

namespace leakd {

class GroupOffsets : public RdKafka::RebalanceCb, public RdKafka::OffsetCommitCb {
 public:
  // Called for each partition given up, after its done offset is committed.
  using RevokedHook = std::function<void(const PartitionKey&)>;
  explicit GroupOffsets(RevokedHook on_revoked = nullptr) : on_revoked_(std::move(on_revoked)) {}

  // The consumer whose offsets these are (not owned); set before consuming.
  void Attach(RdKafka::KafkaConsumer* consumer) { consumer_ = consumer; }
  OffsetTracker& tracker() { return tracker_; }

  // One turn of the consumer loop: the next message, or null. What is not a
  // message is handled alike for every member: a subscribed topic that does
  // not exist yet makes it ready (it joins when the topic appears; warned
  // once), other errors are logged, a timeout is nothing. A record batch the
  // client cannot decode (a compression bomb, corrupt data) is returned with
  // its err() set, its partition and offset, and no payload, once; the
  // partition is then moved past it (kafka/batch_skipper.h): librdkafka would
  // fetch it again forever.
  std::unique_ptr<RdKafka::Message> Next(int timeout_ms);
  // Commits what is done, asynchronously. `final`: every partition, changed or
  // not. Returns whether a commit was sent (its result comes to
  // offset_commit_cb).
  bool CommitDone(bool final);
  // At shutdown, with every partition paused: commits everything done and
  // serves the consumer's callbacks until the commit's result comes or
  // `until`. Returns whether nothing is left waiting: no commit was due, or
  // its result came (a failed one is logged by offset_commit_cb).
  bool CommitAllBy(std::chrono::steady_clock::time_point until);
  // Newly assigned partitions start paused while the member is paused.
  void SetPaused(bool paused) { paused_ = paused; }
  // Joined (even with no partitions), or found nothing to join yet.
  void MarkAssigned() { assigned_ = true; }

  bool assigned() const { return assigned_; }
  // Whether destroying the consumer would abort the process: librdkafka
  // before 2.3.0 asserts when it destroys a cooperative-sticky member that
  // joined its group but was never given an assignment (its assignor state is
  // still null: confluentinc/librdkafka#4312). A member stopped mid-rebalance
  // is one.
  bool DestroyWouldAbort() const;
  size_t assigned_partitions() const { return assigned_partitions_; }

  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override;
  void offset_commit_cb(RdKafka::ErrorCode err,
                        std::vector<RdKafka::TopicPartition*>& offsets) override;

 private:
  void Revoke(RdKafka::KafkaConsumer* consumer, std::vector<RdKafka::TopicPartition*>& partitions);
  // Seeks and logs as `step` says; `m` if it is to be delivered, else null.
  std::unique_ptr<RdKafka::Message> Follow(const PartitionKey& key, const BatchSkipper::Step& step,
                                           std::unique_ptr<RdKafka::Message> m);

  RevokedHook on_revoked_;
  OffsetTracker tracker_;
  BatchSkipper skipper_;
  RdKafka::KafkaConsumer* consumer_ = nullptr;
  bool paused_ = false;
  bool topic_missing_logged_ = false;
  std::atomic<bool> assigned_{false};
  std::atomic<bool> given_assignment_{false};  // by the group, not MarkAssigned()
  std::atomic<size_t> assigned_partitions_{0};
  std::atomic<uint64_t> commit_callbacks_{0};
};

// librdkafka's close() leaves the group, which waits for a broker: with every
// broker down it would not return in time. Closes `*consumer` on another
// thread and waits until `until`. Returns whether the consumer may still be
// destroyed. False: past `until` (it is still in use by the closer), or
// `keep_open` (destroying it would abort); the consumer is then released,
// never destroyed, and the process must exit without destructors.
bool CloseConsumerBy(std::unique_ptr<RdKafka::KafkaConsumer>* consumer,
                     std::chrono::steady_clock::time_point until, bool keep_open);

}  // namespace leakd
