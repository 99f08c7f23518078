// KafkaError: a Kafka client could not be configured or created. Messages name
// the setting and librdkafka's reason; they never carry message payloads.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>

namespace RdKafka {
class Conf;
}

namespace leakd {

class KafkaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using KafkaProperties = std::map<std::string, std::string>;

// A global Conf holding `properties` (librdkafka names, passed through
// unchanged). Throws KafkaError naming the first property librdkafka rejects.
std::unique_ptr<RdKafka::Conf> MakeKafkaConf(const KafkaProperties& properties);

}  // namespace leakd
