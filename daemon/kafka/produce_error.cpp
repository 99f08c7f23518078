#include "kafka/produce_error.h"

#include <librdkafka/rdkafkacpp.h>

namespace leakd {

bool RefusesRecord(int error) {
  switch (static_cast<RdKafka::ErrorCode>(error)) {
    case RdKafka::ERR__INVALID_ARG:  // refused by the client before it leaves the process
    case RdKafka::ERR_MSG_SIZE_TOO_LARGE:
    case RdKafka::ERR_RECORD_LIST_TOO_LARGE:
    case RdKafka::ERR_INVALID_MSG:
    case RdKafka::ERR_INVALID_RECORD:
    case RdKafka::ERR_UNSUPPORTED_FOR_MESSAGE_FORMAT:
    case RdKafka::ERR_POLICY_VIOLATION:
      return true;
    default:
      return false;
  }
}

bool IsPermanentProduceError(int error) {
  if (RefusesRecord(error)) return true;
  switch (static_cast<RdKafka::ErrorCode>(error)) {
    // The topic, or who sends to it: the same for every record to it.
    case RdKafka::ERR__UNKNOWN_TOPIC:
    case RdKafka::ERR__UNKNOWN_PARTITION:
    case RdKafka::ERR_INVALID_REQUIRED_ACKS:
    case RdKafka::ERR_TOPIC_EXCEPTION:
    case RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED:
    case RdKafka::ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RdKafka::ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
    case RdKafka::ERR_UNSUPPORTED_VERSION:
    case RdKafka::ERR_SASL_AUTHENTICATION_FAILED:
      return true;
    default:
      return false;
  }
}

}  // namespace leakd
