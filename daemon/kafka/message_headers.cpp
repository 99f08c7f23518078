#include "kafka/message_headers.h"

#include <librdkafka/rdkafkacpp.h>

namespace leakd {

std::vector<std::pair<std::string, std::string>> HeadersOf(RdKafka::Message& message) {
  std::vector<std::pair<std::string, std::string>> out;
  if (RdKafka::Headers* headers = message.headers()) {
    for (const auto& h : headers->get_all()) {
      out.emplace_back(h.key(),
                       h.value() ? std::string(static_cast<const char*>(h.value()), h.value_size())
                                 : std::string());
    }
  }
  return out;
}

}  // namespace leakd
