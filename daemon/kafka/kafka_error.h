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

// The librdkafka properties a command's settings pass through: `kafka.X`
// (both clients), `consumer.X`, `producer.X`. True (and stored under X) when
// `name` is one of them; false for any other setting.
bool SetKafkaProperty(const std::string& name, const std::string& value, KafkaProperties* both,
                      KafkaProperties* consumer, KafkaProperties* producer);

}  // namespace leakd
