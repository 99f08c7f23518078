#include "backlog.h"

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <memory>
#include <thread>

#include "serve_load.h"

namespace leakd::bench {
namespace {

class Reports : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& m) override {
    if (m.err() != RdKafka::ERR_NO_ERROR) failed = true;
  }
  std::atomic<bool> failed{false};
};

void Check(RdKafka::Error* error, const char* step) {
  if (!error) return;
  const std::string text = error->str();
  delete error;
  throw KafkaError(std::string("backlog: ") + step + ": " + text);
}

}  // namespace

int64_t WriteBacklog(const std::string& brokers, const std::vector<OutRecord>& records,
                     const std::vector<int32_t>& partitions) {
  static std::atomic<int> counter{0};
  Reports reports;
  auto conf = MakeKafkaConf({{"bootstrap.servers", brokers},
                             {"transactional.id", "bench-backlog-" + std::to_string(NowUs()) + "-" +
                                                      std::to_string(++counter)},
                             {"linger.ms", "5"}});
  std::string err;
  if (conf->set("dr_cb", &reports, err) != RdKafka::Conf::CONF_OK) throw KafkaError(err);
  std::unique_ptr<RdKafka::Producer> p(RdKafka::Producer::create(conf.get(), err));
  if (!p) throw KafkaError("backlog: " + err);
  Check(p->init_transactions(60000), "init");
  Check(p->begin_transaction(), "begin");
  for (size_t i = 0; i < records.size(); ++i) {
    const OutRecord& r = records[i];
    const int32_t partition = partitions.empty() ? RdKafka::Topic::PARTITION_UA : partitions[i];
    RdKafka::Headers* headers = RdKafka::Headers::create();
    for (const auto& [name, value] : r.headers) headers->add(name, value.data(), value.size());
    for (;;) {
      const RdKafka::ErrorCode rc = p->produce(r.topic, partition, RdKafka::Producer::RK_MSG_COPY,
                                               const_cast<char*>(r.value->data()), r.value->size(),
                                               r.key ? r.key->data() : nullptr,
                                               r.key ? r.key->size() : 0, 0, headers, nullptr);
      if (rc == RdKafka::ERR_NO_ERROR) break;
      if (rc != RdKafka::ERR__QUEUE_FULL) {
        delete headers;
        throw KafkaError("backlog: produce: " + RdKafka::err2str(rc));
      }
      p->poll(10);
    }
    p->poll(0);
  }
  Check(p->commit_transaction(300000), "commit");
  const int64_t committed = NowUs();
  if (reports.failed) throw KafkaError("backlog: a record was not delivered");
  return committed;
}

}  // namespace leakd::bench
