#include "common/log.h"
#include "serve/pipeline_impl.h"

namespace leakd {

using Clock = PipelineClock;
using std::chrono::milliseconds;

// ---- rebalances and commits (consumer thread) ------------------------------

void Pipeline::Impl::rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                                  std::vector<RdKafka::TopicPartition*>& partitions) {
  const bool cooperative = consumer->rebalance_protocol() == "COOPERATIVE";
  if (err == RdKafka::ERR__ASSIGN_PARTITIONS) {
    Log(LogLevel::kInfo, "partitions-assigned", {{"count", partitions.size()}});
    assigned_partitions_ =
        cooperative ? assigned_partitions_ + partitions.size() : partitions.size();
    if (cooperative) {
      consumer->incremental_assign(partitions);
    } else {
      consumer->assign(partitions);
    }
    assigned = true;
    if (paused_) consumer->pause(partitions);
    return;
  }
  // Revoked: commit what is done for these partitions before giving them up,
  // asynchronously (a dead broker must not hold the loop; a lost commit only
  // means the next owner sees some messages again). In-flight messages still
  // finish, but are not committed by us.
  std::vector<RdKafka::TopicPartition*> commits;
  for (const auto* tp : partitions) {
    const PartitionKey key{tp->topic(), tp->partition()};
    const int64_t done = tracker_.Committable(key);
    if (done >= 0)
      commits.push_back(RdKafka::TopicPartition::create(key.topic, key.partition, done));
    tracker_.Forget(key);
    router_->Forget(key);
    metrics_.ForgetConsumerLag(key.topic, key.partition);
  }
  if (!commits.empty()) consumer->commitAsync(commits);
  RdKafka::TopicPartition::destroy(commits);
  Log(LogLevel::kInfo, "partitions-revoked", {{"count", partitions.size()}});
  assigned_partitions_ = cooperative && assigned_partitions_ >= partitions.size()
                             ? assigned_partitions_ - partitions.size()
                             : 0;
  if (cooperative) {
    consumer->incremental_unassign(partitions);
  } else {
    consumer->unassign();
  }
}

void Pipeline::Impl::offset_commit_cb(RdKafka::ErrorCode err,
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

// Commits what is done, asynchronously: the result comes to offset_commit_cb,
// which offers a failed partition again. `final`: every partition, changed or not.
void Pipeline::Impl::CommitDone(bool final) {
  const auto done = final ? tracker_.AllCommittable() : tracker_.TakeCommittable();
  if (done.empty()) return;
  std::vector<RdKafka::TopicPartition*> tps;
  for (const auto& [key, offset] : done) {
    tps.push_back(RdKafka::TopicPartition::create(key.topic, key.partition, offset));
  }
  const RdKafka::ErrorCode rc = consumer_->commitAsync(tps);
  if (rc != RdKafka::ERR_NO_ERROR) offset_commit_cb(rc, tps);
  RdKafka::TopicPartition::destroy(tps);
}

}  // namespace leakd
