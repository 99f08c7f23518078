#include "kafka/kafka_events.h"

#include <nlohmann/json.hpp>

#include "common/log.h"

namespace leakd {

void KafkaEvents::event_cb(RdKafka::Event& event) {
  switch (event.type()) {
    case RdKafka::Event::EVENT_STATS:
      OnStatistics(event.str());
      break;
    case RdKafka::Event::EVENT_LOG: {
      const int severity = static_cast<int>(event.severity());  // syslog levels
      const LogLevel level = severity <= 3   ? LogLevel::kError
                             : severity == 4 ? LogLevel::kWarn
                             : severity <= 6 ? LogLevel::kInfo
                                             : LogLevel::kDebug;
      Log(level, "kafka", {{"facility", event.fac()}, {"message", event.str()}});
      break;
    }
    case RdKafka::Event::EVENT_ERROR:
      if (event.err() == RdKafka::ERR__ALL_BROKERS_DOWN) brokers_up_ = false;
      Log(event.fatal() ? LogLevel::kError : LogLevel::kWarn, "kafka-error",
          {{"error", RdKafka::err2str(event.err())}, {"message", event.str()}});
      break;
    default:
      break;
  }
}

void KafkaEvents::OnStatistics(const std::string& json) {
  const auto stats = nlohmann::json::parse(json, nullptr, false);
  if (stats.is_discarded() || !stats.is_object()) return;
  if (stats.value("type", "") != "consumer") return;
  if (stats.contains("brokers") && stats["brokers"].is_object()) {
    bool any_up = false;
    for (const auto& [name, broker] : stats["brokers"].items()) {
      // Bootstrap entries (nodeid -1) are not brokers of the cluster.
      if (broker.is_object() && broker.value("nodeid", -1) >= 0 &&
          broker.value("state", "") == "UP") {
        any_up = true;
      }
    }
    brokers_up_ = any_up;
  }
  if (!on_lag_ || !stats.contains("topics") || !stats["topics"].is_object()) return;
  for (const auto& [topic, t] : stats["topics"].items()) {
    if (!t.is_object() || !t.contains("partitions") || !t["partitions"].is_object()) continue;
    for (const auto& [id, p] : t["partitions"].items()) {
      if (!p.is_object()) continue;
      const int32_t partition = p.value("partition", -1);
      const int64_t lag = p.value("consumer_lag", int64_t{-1});
      // Partition -1 is librdkafka's internal UA partition; lag -1 means unknown.
      if (partition >= 0 && lag >= 0 && p.value("fetch_state", "") != "none") {
        on_lag_(topic, partition, lag);
      }
    }
  }
}

}  // namespace leakd
