#include "kafka/record_producer.h"

#include <librdkafka/rdkafkacpp.h>

#include <algorithm>
#include <utility>

#include "common/log.h"
#include "common/thread_name.h"
#include "kafka/kafka_clients.h"
#include "kafka/produce_error.h"

namespace leakd {

size_t OutRecord::ApproximateSize() const {
  size_t n = topic.size() + (key ? key->size() : 0) + (value ? value->size() : 0) + 64;
  for (const auto& [name, v] : headers) n += name.size() + v.size() + 8;
  return n;
}

struct RecordProducer::Pending {
  OutRecord record;
  DeliveryCallback on_done;
  OnRefusal on_refusal = OnRefusal::kReport;
  int attempts = 0;
  bool retried = false;  // counted in retrying_
};

class RecordProducer::DeliveryReports : public RdKafka::DeliveryReportCb {
 public:
  explicit DeliveryReports(RecordProducer* owner) : owner_(owner) {}
  void dr_cb(RdKafka::Message& message) override {
    std::unique_ptr<Pending> pending(static_cast<Pending*>(message.msg_opaque()));
    const RdKafka::ErrorCode err = message.err();
    if (err == RdKafka::ERR_NO_ERROR) {
      ++owner_->acknowledged_;
      owner_->Finish(std::move(pending), {DeliveryStatus::kAcked, 0, ""});
      return;
    }
    ++owner_->delivery_failures_;
    if (owner_->aborted_) {
      owner_->Finish(std::move(pending), {DeliveryStatus::kAborted, err, RdKafka::err2str(err)});
    } else if (owner_->EndsRecord(err, *pending)) {
      owner_->Finish(std::move(pending), {DeliveryStatus::kRejected, err, RdKafka::err2str(err)});
    } else {
      // Nothing derived from a message may be lost. This includes the records
      // a failed client gives back as it is replaced (purged, or fatal).
      owner_->Retry(std::move(pending));
    }
  }

 private:
  RecordProducer* owner_;
};

RecordProducer::RecordProducer(const KafkaProperties& properties, RdKafka::EventCb* events,
                               RetryBound retry_bound)
    : reports_(std::make_unique<DeliveryReports>(this)), retry_bound_(retry_bound) {
  KafkaProperties props = {{"enable.idempotence", "true"},
                           {"acks", "all"},
                           {"linger.ms", "1"},
                           {"socket.nagle.disable", "true"},
                           {"message.timeout.ms", "120000"}};
  for (const auto& [k, v] : properties) props[k] = v;
  conf_ = ProducerConf(props, reports_.get(), events);
  std::string err, max_bytes;
  if (conf_->get("message.max.bytes", max_bytes) == RdKafka::Conf::CONF_OK) {
    max_record_bytes_ = std::stoul(max_bytes);
  }
  producer_ = NewClient(&err);
  if (!producer_) throw KafkaError("cannot create producer: " + err);
  poller_ = std::thread([this] {
    NameThisThread("leakd-acks");
    while (!stop_) {
      producer_->poll(5);  // this thread is the one that replaces producer_
      SendDueRetries();
      ReplaceIfFailed();
    }
  });
}

std::unique_ptr<RdKafka::Producer> RecordProducer::NewClient(std::string* error) const {
  return std::unique_ptr<RdKafka::Producer>(RdKafka::Producer::create(conf_.get(), *error));
}

RecordProducer::~RecordProducer() {
  Flush(std::chrono::milliseconds(2000));
  Abort();
  stop_ = true;
  if (poller_.joinable()) poller_.join();
  producer_->poll(0);  // the purged records' reports
}

void RecordProducer::Prepare(const std::vector<std::string>& topics) {
  std::unique_lock<std::shared_mutex> lock(client_mu_);
  prepared_.insert(prepared_.end(), topics.begin(), topics.end());
  LookUp(*producer_, topics);
}

void RecordProducer::LookUp(RdKafka::Producer& client,
                            const std::vector<std::string>& topics) const {
  for (const std::string& name : topics) {
    // Creating the handle is what starts the lookup; librdkafka keeps the
    // topic and what it learns, so the handle itself is not needed. A name
    // the client refuses is refused again at the first record, which then
    // says why (produce_error.h).
    std::string err;
    delete RdKafka::Topic::create(&client, name, nullptr, err);
  }
}

void RecordProducer::Produce(OutRecord record, DeliveryCallback on_done, OnRefusal on_refusal) {
  ++outstanding_;
  // A callback (on the poll thread) must not wait for the room that only the
  // poll thread can make.
  const bool wait_for_room = std::this_thread::get_id() != poller_.get_id();
  while (wait_for_room && !aborted_ &&
         (retrying_ >= retry_bound_.records || retrying_bytes_ >= retry_bound_.bytes)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  Send(std::unique_ptr<Pending>(new Pending{std::move(record), std::move(on_done), on_refusal}),
       wait_for_room);
}

bool RecordProducer::EndsRecord(int error, const Pending& pending) {
  if (!IsPermanentProduceError(error)) return false;
  ++rejected_;  // counted either way: the broker refused it
  // kRetry waits for a topic to be fixed; a record refused for what it is
  // would never get through.
  return pending.on_refusal == OnRefusal::kReport || RefusesRecord(error);
}

void RecordProducer::Send(std::unique_ptr<Pending> pending, bool wait_for_room) {
  const OutRecord& r = pending->record;
  for (;;) {
    if (aborted_) return Finish(std::move(pending), {DeliveryStatus::kAborted, 0, "aborted"});
    ++pending->attempts;
    RdKafka::Headers* headers = nullptr;
    if (!r.headers.empty()) {
      headers = RdKafka::Headers::create();
      for (const auto& [name, value] : r.headers) headers->add(name, value.data(), value.size());
    }
    RdKafka::ErrorCode rc;
    {
      std::shared_lock<std::shared_mutex> lock(client_mu_);
      rc = producer_->produce(r.topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                              r.value ? const_cast<char*>(r.value->data()) : nullptr,
                              r.value ? r.value->size() : 0, r.key ? r.key->data() : nullptr,
                              r.key ? r.key->size() : 0, 0, headers, pending.get());
    }
    if (rc == RdKafka::ERR_NO_ERROR) {
      pending.release();  // the delivery report owns it now; headers belong to librdkafka
      return;
    }
    delete headers;
    // The local queue drains as the poll thread serves reports; a failed
    // client is replaced by it. Waiting here bounds what a caller can pile up.
    const bool wait = rc == RdKafka::ERR__QUEUE_FULL || rc == RdKafka::ERR__FATAL;
    if (!wait || !wait_for_room) {
      ++delivery_failures_;
      if (EndsRecord(rc, *pending)) {
        return Finish(std::move(pending), {DeliveryStatus::kRejected, rc, RdKafka::err2str(rc)});
      }
      return Retry(std::move(pending));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void RecordProducer::Finish(std::unique_ptr<Pending> pending, const Delivery& delivery) {
  if (pending->retried) {
    --retrying_;
    retrying_bytes_ -= pending->record.ApproximateSize();
  }
  if (pending->on_done) pending->on_done(delivery);
  --outstanding_;
}

void RecordProducer::Retry(std::unique_ptr<Pending> pending) {
  if (aborted_) return Finish(std::move(pending), {DeliveryStatus::kAborted, 0, "aborted"});
  // 50 ms doubling to 2 s: a broker that is away is not hammered.
  const int shift = std::min(pending->attempts, 6);
  const auto backoff = std::chrono::milliseconds(std::min(50 << shift, 2000));
  std::lock_guard<std::mutex> lock(retry_mu_);
  if (!pending->retried) {
    pending->retried = true;
    ++retrying_;
    retrying_bytes_ += pending->record.ApproximateSize();
  }
  retries_.emplace_back(Clock::now() + backoff, std::move(pending));
}

void RecordProducer::SendDueRetries() {
  std::vector<std::unique_ptr<Pending>> due;
  {
    std::lock_guard<std::mutex> lock(retry_mu_);
    if (retries_.empty()) return;
    const auto now = Clock::now();
    auto kept = retries_.begin();  // one pass: the list may hold 50,000 records
    for (auto& entry : retries_) {
      if (aborted_ || entry.first <= now) {
        due.push_back(std::move(entry.second));
      } else {
        if (&*kept != &entry) *kept = std::move(entry);
        ++kept;
      }
    }
    retries_.erase(kept, retries_.end());
  }
  for (auto& p : due) Send(std::move(p), false);
}

bool RecordProducer::Flush(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (outstanding_ > 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return outstanding_ == 0;
}

void RecordProducer::Abort() {
  aborted_ = true;
  {
    std::shared_lock<std::shared_mutex> lock(client_mu_);
    producer_->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
  }
  // The poll thread ends the purged records and the waiting retries; wait for
  // it briefly so that callers see every callback before they go on.
  if (!stop_) Flush(std::chrono::milliseconds(500));
}

void RecordProducer::ReplaceIfFailed() {
  std::string reason;
  if (aborted_ || producer_->fatal_error(reason) == RdKafka::ERR_NO_ERROR) return;
  const auto now = Clock::now();
  if (now < next_replacement_) return;
  // A record got through since the last replacement: the cause was passing.
  if (acknowledged_ > acknowledged_at_replacement_) replacement_wait_ = std::chrono::seconds(1);
  next_replacement_ = now + replacement_wait_;
  replacement_wait_ =
      std::min<std::chrono::milliseconds>(replacement_wait_ * 2, std::chrono::seconds(30));
  acknowledged_at_replacement_ = acknowledged_;
  std::string err;
  std::unique_ptr<RdKafka::Producer> fresh = NewClient(&err);
  if (!fresh) {
    Log(LogLevel::kError, "producer-failed", {{"error", reason}, {"replacement", err}});
    return;  // tried again when due
  }
  std::unique_ptr<RdKafka::Producer> failed;
  {
    std::unique_lock<std::shared_mutex> lock(client_mu_);
    LookUp(*fresh, prepared_);
    failed = std::exchange(producer_, std::move(fresh));
  }
  ++replacements_;
  Log(LogLevel::kError, "producer-replaced",
      {{"error", reason}, {"replacements", replacements_.load()}});
  // The failed client gives its records back through their reports, as
  // purged; they are retried on the new client. Destroying it before every
  // report is served would lose them, so it is drained first.
  failed->purge(RdKafka::Producer::PURGE_QUEUE | RdKafka::Producer::PURGE_INFLIGHT);
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  while (failed->outq_len() > 0 && Clock::now() < deadline) failed->poll(10);
  // Past the deadline, what it still holds is never reported: those messages
  // stay uncommitted and are delivered again after a restart.
}

}  // namespace leakd
