// TopicWatcher: reads topics from the beginning without joining a group
// (every listed partition assigned), for tests that check what a daemon or
// forwarder produced. Headers are read into a map by HeaderMap.
#pragma once

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kafka/record_producer.h"

namespace leakd::testing {

class TopicWatcher {
 public:
  // `topics`: each topic with its partition count.
  TopicWatcher(const std::string& brokers, const std::string& name,
               const std::vector<std::pair<std::string, int>>& topics) {
    auto conf = MakeKafkaConf({{"bootstrap.servers", brokers},
                               {"group.id", name},
                               {"enable.auto.commit", "false"},
                               {"fetch.wait.max.ms", "5"}});
    std::string err;
    consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
    std::vector<RdKafka::TopicPartition*> parts;
    for (const auto& [topic, partitions] : topics) {
      for (int p = 0; p < partitions; ++p) {
        parts.push_back(
            RdKafka::TopicPartition::create(topic, p, RdKafka::Topic::OFFSET_BEGINNING));
      }
    }
    consumer_->assign(parts);
    RdKafka::TopicPartition::destroy(parts);
  }
  ~TopicWatcher() { consumer_->close(); }

  // Hands each message to `on_message` until `done()` holds or the timeout
  // passes; true if it held.
  bool ReadUntil(const std::function<bool()>& done, std::chrono::seconds timeout,
                 const std::function<void(RdKafka::Message&)>& on_message) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::unique_ptr<RdKafka::Message> m(consumer_->consume(50));
      if (m->err() == RdKafka::ERR_NO_ERROR) on_message(*m);
    }
    return true;
  }

 private:
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
};

inline std::string ValueOf(const RdKafka::Message& m) {
  return m.payload() ? std::string(static_cast<const char*>(m.payload()), m.len()) : "";
}

inline std::map<std::string, std::string> HeaderMap(RdKafka::Message& m) {
  std::map<std::string, std::string> headers;
  if (auto* h = m.headers()) {
    for (const auto& x : h->get_all()) {
      headers[x.key()] = std::string(static_cast<const char*>(x.value()), x.value_size());
    }
  }
  return headers;
}

}  // namespace leakd::testing
