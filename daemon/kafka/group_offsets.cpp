#include "kafka/group_offsets.h"

#include <thread>

#include "common/log.h"

namespace leakd {

void GroupOffsets::rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                                std::vector<RdKafka::TopicPartition*>& partitions) {
  if (err != RdKafka::ERR__ASSIGN_PARTITIONS) return Revoke(consumer, partitions);
  Log(LogLevel::kInfo, "partitions-assigned", {{"count", partitions.size()}});
  if (consumer->rebalance_protocol() == "COOPERATIVE") {
    assigned_partitions_ += partitions.size();
    delete consumer->incremental_assign(partitions);  // an Error*, or nullptr
  } else {
    assigned_partitions_ = partitions.size();
    consumer->assign(partitions);
  }
  assigned_ = true;
  given_assignment_ = true;
  if (paused_) consumer->pause(partitions);
}

bool GroupOffsets::DestroyWouldAbort() const {
  constexpr int kFixedIn = 0x02030000;  // 2.3.0
  return RdKafka::version() < kFixedIn && !given_assignment_;
}

// Commits what is done for these partitions before giving them up.
void GroupOffsets::Revoke(RdKafka::KafkaConsumer* consumer,
                          std::vector<RdKafka::TopicPartition*>& partitions) {
  std::vector<RdKafka::TopicPartition*> commits;
  for (const auto* tp : partitions) {
    const PartitionKey key{tp->topic(), tp->partition()};
    const int64_t done = tracker_.Committable(key);
    if (done >= 0)
      commits.push_back(RdKafka::TopicPartition::create(key.topic, key.partition, done));
    tracker_.Forget(key);
    skipper_.Forget(key);
    if (on_revoked_) on_revoked_(key);
  }
  if (!commits.empty()) consumer->commitAsync(commits);
  RdKafka::TopicPartition::destroy(commits);
  Log(LogLevel::kInfo, "partitions-revoked", {{"count", partitions.size()}});
  if (consumer->rebalance_protocol() == "COOPERATIVE") {
    const size_t n = assigned_partitions_;
    assigned_partitions_ = n >= partitions.size() ? n - partitions.size() : 0;
    delete consumer->incremental_unassign(partitions);
  } else {
    assigned_partitions_ = 0;
    consumer->unassign();
  }
}

void GroupOffsets::offset_commit_cb(RdKafka::ErrorCode err,
                                    std::vector<RdKafka::TopicPartition*>& offsets) {
  ++commit_callbacks_;
  if (err == RdKafka::ERR__NO_OFFSET) return;  // nothing was due
  for (const auto* tp : offsets) {
    if (err == RdKafka::ERR_NO_ERROR && tp->err() == RdKafka::ERR_NO_ERROR) continue;
    tracker_.CommitFailed({tp->topic(), tp->partition()});  // offered again next time
    Log(LogLevel::kWarn, "commit-failed",
        {{"topic", tp->topic()},
         {"partition", tp->partition()},
         {"error", RdKafka::err2str(err != RdKafka::ERR_NO_ERROR ? err : tp->err())}});
  }
}

namespace {

// A record batch the client cannot decode: compressed data that inflates past
// receive.message.max.bytes, or is corrupt. librdkafka reports it with its
// partition and offset, then fetches the same batch again, forever.
bool Undecodable(const RdKafka::Message& m) {
  const RdKafka::ErrorCode err = m.err();
  return (err == RdKafka::ERR__BAD_COMPRESSION || err == RdKafka::ERR__BAD_MSG ||
          err == RdKafka::ERR_INVALID_MSG) &&
         !m.topic_name().empty() && m.partition() >= 0 && m.offset() >= 0;
}

}  // namespace

std::unique_ptr<RdKafka::Message> GroupOffsets::Next(int timeout_ms) {
  std::unique_ptr<RdKafka::Message> m(consumer_->consume(timeout_ms));
  const RdKafka::ErrorCode err = m->err();
  if (err == RdKafka::ERR_NO_ERROR) {
    if (!skipper_.skipping()) return m;
    const PartitionKey key{m->topic_name(), m->partition()};
    const BatchSkipper::Step step = skipper_.OnMessage(key, m->offset());
    return Follow(key, step, std::move(m));
  }
  if (Undecodable(*m)) {
    const PartitionKey key{m->topic_name(), m->partition()};
    int64_t low = 0, high = -1;
    consumer_->get_watermark_offsets(key.topic, key.partition, &low, &high);
    const BatchSkipper::Step step =
        skipper_.OnUndecodable(key, m->offset(), high > 0 ? high - 1 : -1);
    if (step.deliver) {
      Log(LogLevel::kError, "undecodable-batch",
          {{"topic", key.topic},
           {"partition", key.partition},
           {"offset", m->offset()},
           {"error", m->errstr()}});
    }
    // Delivered with its error: the caller parks it like any message it cannot read.
    return Follow(key, step, std::move(m));
  }
  if (err == RdKafka::ERR_UNKNOWN_TOPIC_OR_PART || err == RdKafka::ERR__UNKNOWN_TOPIC) {
    // A member with nothing to consume yet is still ready.
    MarkAssigned();
    if (!topic_missing_logged_) Log(LogLevel::kWarn, "topic-missing", {{"error", m->errstr()}});
    topic_missing_logged_ = true;
  } else if (err != RdKafka::ERR__TIMED_OUT && err != RdKafka::ERR__PARTITION_EOF) {
    Log(LogLevel::kWarn, "consume-error", {{"error", m->errstr()}});
  }
  return nullptr;
}

std::unique_ptr<RdKafka::Message> GroupOffsets::Follow(const PartitionKey& key,
                                                       const BatchSkipper::Step& step,
                                                       std::unique_ptr<RdKafka::Message> m) {
  if (step.ended) {
    // Committed past the batch, not into it: a restart then does not meet it again.
    tracker_.Skipped(key, *step.ended - 1);
    Log(LogLevel::kWarn, "undecodable-batch-skipped",
        {{"topic", key.topic}, {"partition", key.partition}, {"next_offset", *step.ended}});
  }
  if (step.seek) {
    std::unique_ptr<RdKafka::TopicPartition> to(
        RdKafka::TopicPartition::create(key.topic, key.partition, *step.seek));
    const RdKafka::ErrorCode rc = consumer_->seek(*to, 0);  // 0: asynchronous
    if (rc != RdKafka::ERR_NO_ERROR) {
      Log(LogLevel::kError, "seek-failed",
          {{"topic", key.topic}, {"partition", key.partition}, {"error", RdKafka::err2str(rc)}});
    }
  }
  return step.deliver ? std::move(m) : nullptr;
}

bool GroupOffsets::CommitDone(bool final) {
  const auto done = final ? tracker_.AllCommittable() : tracker_.TakeCommittable();
  if (done.empty() || !consumer_) return false;
  std::vector<RdKafka::TopicPartition*> tps;
  for (const auto& [key, offset] : done) {
    tps.push_back(RdKafka::TopicPartition::create(key.topic, key.partition, offset));
  }
  // The result comes to offset_commit_cb, which offers a failed partition again.
  const RdKafka::ErrorCode rc = consumer_->commitAsync(tps);
  if (rc != RdKafka::ERR_NO_ERROR) offset_commit_cb(rc, tps);
  RdKafka::TopicPartition::destroy(tps);
  return true;
}

bool GroupOffsets::CommitAllBy(std::chrono::steady_clock::time_point until) {
  const uint64_t before = commit_callbacks_;
  if (!CommitDone(true)) return true;
  while (std::chrono::steady_clock::now() < until && commit_callbacks_ == before) {
    std::unique_ptr<RdKafka::Message> m(consumer_->consume(10));  // paused: serves callbacks only
  }
  return commit_callbacks_ != before;
}

bool CloseConsumerBy(std::unique_ptr<RdKafka::KafkaConsumer>* consumer,
                     std::chrono::steady_clock::time_point until, bool keep_open) {
  auto closed = std::make_shared<std::atomic<bool>>(false);
  RdKafka::KafkaConsumer* c = consumer->get();
  std::thread closer([c, closed] {
    c->close();
    *closed = true;
  });
  while (!*closed && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (*closed) {
    closer.join();
    if (!keep_open) return true;
    consumer->release();
    Log(LogLevel::kInfo, "consumer-kept-open", {{"reason", "never-assigned"}});
    return false;
  }
  closer.detach();
  consumer->release();  // still in use by the closer; the process exits now
  Log(LogLevel::kWarn, "close-timed-out");
  return false;
}

}  // namespace leakd
