#include "kafka/kafka_error.h"

#include <librdkafka/rdkafkacpp.h>

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

}  // namespace leakd
