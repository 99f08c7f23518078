#include "kafka/batch_skipper.h"

#include <algorithm>

namespace leakd {

BatchSkipper::Step BatchSkipper::OnUndecodable(const PartitionKey& key, int64_t base,
                                               int64_t last) {
  auto it = skipping_.find(key);
  bool first_report = false;
  if (it == skipping_.end() || it->second.base != base) {
    it = skipping_.insert_or_assign(key, Batch{base, base, -1, base}).first;
    first_report = true;
  } else {
    it->second.inside = std::max(it->second.inside, it->second.probe);  // the probe was inside
  }
  Step step = Next(it, last);
  step.deliver = first_report;
  return step;
}

BatchSkipper::Step BatchSkipper::OnMessageWhileSkipping(const PartitionKey& key, int64_t offset) {
  auto it = skipping_.find(key);
  if (it == skipping_.end()) return {};
  Batch& b = it->second;
  // Fetched before the last seek (librdkafka should already have dropped it).
  if (offset < b.probe) return {false, std::nullopt, std::nullopt};
  b.past = b.probe;  // the probe landed past the batch
  Step step = Next(it, -1);
  if (step.ended) {
    step.seek.reset();  // this message is the first after the batch: delivered
  } else {
    step.deliver = false;  // fetched again once the end is known
  }
  return step;
}

BatchSkipper::Step BatchSkipper::Next(std::map<PartitionKey, Batch>::iterator it, int64_t last) {
  Batch& b = it->second;
  Step step;
  // A batch is appended whole: one that holds the last offset the log has
  // ends with the log.
  if (b.past < 0 && last >= 0 && b.inside >= last) b.past = last + 1;
  if (b.past >= 0 && b.past == b.inside + 1) {  // met: fetch from the first offset after it
    step.seek = b.past;
    step.ended = b.past;
    skipping_.erase(it);
    return step;
  }
  int64_t probe;
  if (b.past >= 0) {
    probe = b.inside + (b.past - b.inside) / 2;  // strictly between
  } else {
    // Twice the known length, but not past the last offset that exists: a
    // fetch past the log's end is out of range (auto.offset.reset would start
    // the partition over), and one at its end waits for new messages while
    // those before it, maybe after the batch, wait too. An unknown end: one
    // step at a time.
    probe = last < 0 ? b.inside + 1
                     : std::min(b.inside + (b.inside - b.base + 1), std::max(last, b.inside + 1));
  }
  b.probe = probe;
  step.seek = probe;
  return step;
}

}  // namespace leakd
