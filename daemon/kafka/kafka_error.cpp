#include "kafka/kafka_error.h"

#include <librdkafka/rdkafkacpp.h>

#include <utility>

namespace leakd {

std::unique_ptr<RdKafka::Conf> MakeKafkaConf(const KafkaProperties& properties) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string err;
  for (const auto& [name, value] : properties) {
    if (conf->set(name, value, err) != RdKafka::Conf::CONF_OK) {
      throw KafkaError("kafka property " + name + ": " + err);
    }
  }
  return conf;
}

bool SetKafkaProperty(const std::string& name, const std::string& value, KafkaProperties* both,
                      KafkaProperties* consumer, KafkaProperties* producer) {
  for (auto [prefix, target] : {std::pair<std::string, KafkaProperties*>{"kafka.", both},
                                {"consumer.", consumer},
                                {"producer.", producer}}) {
    if (name.rfind(prefix, 0) == 0 && name.size() > prefix.size()) {
      (*target)[name.substr(prefix.size())] = value;
      return true;
    }
  }
  return false;
}

}  // namespace leakd
