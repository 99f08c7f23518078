#include "kafka/record_producer.h"

#include <librdkafka/rdkafkacpp.h>

namespace leakd {

struct RecordProducer::Pending {
  OutRecord record;
  std::function<void()> on_ack;
};

class RecordProducer::DeliveryReports : public RdKafka::DeliveryReportCb {
 public:
  explicit DeliveryReports(RecordProducer* owner) : owner_(owner) {}
  void dr_cb(RdKafka::Message& message) override {
    auto* pending = static_cast<Pending*>(message.msg_opaque());
    if (message.err() != RdKafka::ERR_NO_ERROR) {
      ++owner_->delivery_failures_;
      owner_->Send(pending);  // again: nothing derived from a message may be lost
      return;
    }
    ++owner_->acknowledged_;
    --owner_->outstanding_;
    if (pending->on_ack) pending->on_ack();
    delete pending;
  }

 private:
  RecordProducer* owner_;
};

RecordProducer::RecordProducer(const KafkaProperties& properties, RdKafka::EventCb* events)
    : reports_(std::make_unique<DeliveryReports>(this)) {
  KafkaProperties props = {{"enable.idempotence", "true"},
                           {"acks", "all"},
                           {"linger.ms", "1"},
                           {"socket.nagle.disable", "true"},
                           {"message.timeout.ms", "120000"}};
  for (const auto& [k, v] : properties) props[k] = v;
  auto conf = MakeKafkaConf(props);
  std::string err;
  if (conf->set("dr_cb", reports_.get(), err) != RdKafka::Conf::CONF_OK ||
      (events && conf->set("event_cb", events, err) != RdKafka::Conf::CONF_OK)) {
    throw KafkaError(err);
  }
  producer_.reset(RdKafka::Producer::create(conf.get(), err));
  if (!producer_) throw KafkaError("cannot create producer: " + err);
  poller_ = std::thread([this] {
    while (!stop_) producer_->poll(5);
  });
}

RecordProducer::~RecordProducer() {
  stop_ = true;
  if (poller_.joinable()) poller_.join();
  producer_->flush(2000);
  producer_->poll(0);
}

void RecordProducer::Produce(OutRecord record, std::function<void()> on_ack) {
  ++outstanding_;
  Send(new Pending{std::move(record), std::move(on_ack)});
}

void RecordProducer::Send(Pending* pending) {
  const OutRecord& r = pending->record;
  for (;;) {
    RdKafka::Headers* headers = nullptr;
    if (!r.headers.empty()) {
      headers = RdKafka::Headers::create();
      for (const auto& [name, value] : r.headers) headers->add(name, value.data(), value.size());
    }
    const RdKafka::ErrorCode rc =
        producer_->produce(r.topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                           const_cast<char*>(r.value.data()), r.value.size(), r.key.data(),
                           r.key.size(), 0, headers, pending);
    if (rc == RdKafka::ERR_NO_ERROR) return;  // headers now belong to librdkafka
    delete headers;
    // A full local queue drains as the poll thread serves reports; anything
    // else (unknown topic while metadata loads) is retried the same way.
    std::this_thread::sleep_for(std::chrono::milliseconds(rc == RdKafka::ERR__QUEUE_FULL ? 1 : 50));
  }
}

bool RecordProducer::Flush(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (outstanding_ > 0 && std::chrono::steady_clock::now() < deadline) {
    producer_->flush(50);
  }
  return outstanding_ == 0;
}

}  // namespace leakd
