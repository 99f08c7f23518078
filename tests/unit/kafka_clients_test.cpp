// The Kafka clients are built in one place with every callback leakd relies
// on; these tests fail if one is dropped, and follow each statistic to its
// metric. No client is started here (see record_producer_test.cpp for that).
#include "kafka/kafka_clients.h"

#include <librdkafka/rdkafkacpp.h>

#include <catch2/catch.hpp>

#include "kafka/kafka_events.h"
#include "kafka/produce_error.h"
#include "obs/metrics.h"

using namespace leakd;

namespace {

struct NoopCallbacks : RdKafka::RebalanceCb, RdKafka::OffsetCommitCb {
  void rebalance_cb(RdKafka::KafkaConsumer*, RdKafka::ErrorCode,
                    std::vector<RdKafka::TopicPartition*>&) override {}
  void offset_commit_cb(RdKafka::ErrorCode, std::vector<RdKafka::TopicPartition*>&) override {}
};

std::string Get(RdKafka::Conf& conf, const std::string& name) {
  std::string value;
  REQUIRE(conf.get(name, value) == RdKafka::Conf::CONF_OK);
  return value;
}

}  // namespace

TEST_CASE("the consumer is built with every callback and statistics on", "[kafka-clients]") {
  NoopCallbacks cbs;
  KafkaEvents events;
  KafkaClientSettings settings;
  settings.brokers = "127.0.0.1:1";
  settings.group_id = "g";
  auto conf = ConsumerConf(settings, {&cbs, &cbs, &events});
  RdKafka::RebalanceCb* rebalance = nullptr;
  RdKafka::OffsetCommitCb* commit = nullptr;
  RdKafka::EventCb* event = nullptr;
  REQUIRE(conf->get(rebalance) == RdKafka::Conf::CONF_OK);
  REQUIRE(conf->get(commit) == RdKafka::Conf::CONF_OK);
  REQUIRE(conf->get(event) == RdKafka::Conf::CONF_OK);
  CHECK(rebalance == &cbs);
  CHECK(commit == &cbs);
  CHECK(event == &events);
  CHECK(Get(*conf, "statistics.interval.ms") == "5000");
  CHECK(Get(*conf, "enable.auto.commit") == "false");
  CHECK(Get(*conf, "partition.assignment.strategy") == "cooperative-sticky");
  // Prefetch large enough that draining a backlog never waits on librdkafka's
  // once-a-second look at a full queue; larger still for the largest message.
  CHECK(Get(*conf, "queued.max.messages.kbytes") == "262144");
  settings.max_message_bytes = 512u << 20;
  CHECK(Get(*ConsumerConf(settings, {&cbs, &cbs, &events}), "queued.max.messages.kbytes") ==
        std::to_string((512u << 10) + 64));
  settings.max_message_bytes = KafkaClientSettings().max_message_bytes;
  // Any message the broker can hold is read and parked, never a fetch that
  // fails for good (daemon_kafka "[huge]" shows it on a real broker).
  CHECK(Get(*conf, "receive.message.max.bytes") == std::to_string(256u << 20));

  // A missing callback is a programming error caught at start-up.
  CHECK_THROWS_AS(ConsumerConf(settings, {&cbs, nullptr, &events}), KafkaError);

  // The user's properties win over leakd's defaults.
  settings.consumer["statistics.interval.ms"] = "1000";
  CHECK(Get(*ConsumerConf(settings, {&cbs, &cbs, &events}), "statistics.interval.ms") == "1000");
}

TEST_CASE("the producer is built with its delivery and event callbacks", "[kafka-clients]") {
  KafkaEvents events;
  KafkaClientSettings settings;
  settings.brokers = "127.0.0.1:1";
  const KafkaProperties props = ProducerProperties(settings);
  CHECK(props.at("statistics.interval.ms") == "5000");
  struct Reports : RdKafka::DeliveryReportCb {
    void dr_cb(RdKafka::Message&) override {}
  } reports;
  auto conf = ProducerConf(props, &reports, &events);
  RdKafka::DeliveryReportCb* dr = nullptr;
  RdKafka::EventCb* event = nullptr;
  REQUIRE(conf->get(dr) == RdKafka::Conf::CONF_OK);
  REQUIRE(conf->get(event) == RdKafka::Conf::CONF_OK);
  CHECK(dr == &reports);
  CHECK(event == &events);
}

TEST_CASE("consumer statistics reach the lag gauges and broker state", "[kafka-clients]") {
  Metrics metrics;
  KafkaEvents events(
      [&](const std::string& t, int32_t p, int64_t lag) { metrics.ConsumerLag(t, p, lag); });
  events.OnStatistics(R"({"type":"consumer","brokers":{
      "b1":{"nodeid":1,"state":"UP"},"boot":{"nodeid":-1,"state":"INIT"}},
    "topics":{"leakd.commits":{"partitions":{
      "0":{"partition":0,"consumer_lag":42,"fetch_state":"active"},
      "1":{"partition":1,"consumer_lag":-1,"fetch_state":"active"},
      "2":{"partition":2,"consumer_lag":5,"fetch_state":"none"},
      "-1":{"partition":-1,"consumer_lag":7}}}}})");
  CHECK(events.brokers_up());
  const std::string scrape = metrics.Scrape();
  CHECK(scrape.find(R"(leakd_consumer_lag_messages{partition="0",topic="leakd.commits"} 42)") !=
        std::string::npos);
  CHECK(scrape.find(R"(partition="1")") == std::string::npos);   // unknown lag
  CHECK(scrape.find(R"(partition="2")") == std::string::npos);   // not fetched by us
  CHECK(scrape.find(R"(partition="-1")") == std::string::npos);  // librdkafka's internal one

  // The lag falls as commits catch up, and a revoked partition's gauge goes away.
  events.OnStatistics(R"({"type":"consumer","brokers":{"b1":{"nodeid":1,"state":"UP"}},
    "topics":{"leakd.commits":{"partitions":{"0":{"partition":0,"consumer_lag":0,"fetch_state":"active"}}}}})");
  CHECK(metrics.Scrape().find(
            R"(leakd_consumer_lag_messages{partition="0",topic="leakd.commits"} 0)") !=
        std::string::npos);
  metrics.ForgetConsumerLag("leakd.commits", 0);
  CHECK(metrics.Scrape().find(R"(partition="0")") == std::string::npos);

  // No broker of the cluster UP: not ready.
  events.OnStatistics(R"({"type":"consumer","brokers":{"b1":{"nodeid":1,"state":"DOWN"},
    "boot":{"nodeid":-1,"state":"UP"}}})");
  CHECK_FALSE(events.brokers_up());
  events.OnStatistics(R"({"type":"consumer","brokers":{"b1":{"nodeid":1,"state":"UP"}}})");
  CHECK(events.brokers_up());
  // Producer statistics and garbage change nothing.
  events.OnStatistics(R"({"type":"producer","brokers":{}})");
  events.OnStatistics("not json");
  events.OnStatistics(R"({"type":"consumer","brokers":[1,2],"topics":"x"})");
  CHECK(events.brokers_up());
}

TEST_CASE("permanent and retriable produce errors are told apart", "[kafka-clients]") {
  CHECK(IsPermanentProduceError(RdKafka::ERR_MSG_SIZE_TOO_LARGE));
  CHECK(IsPermanentProduceError(RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED));
  CHECK(IsPermanentProduceError(RdKafka::ERR__UNKNOWN_TOPIC));
  CHECK_FALSE(IsPermanentProduceError(RdKafka::ERR__MSG_TIMED_OUT));
  CHECK_FALSE(IsPermanentProduceError(RdKafka::ERR_NOT_LEADER_FOR_PARTITION));
  CHECK_FALSE(IsPermanentProduceError(RdKafka::ERR__TRANSPORT));
  CHECK_FALSE(IsPermanentProduceError(RdKafka::ERR__FATAL));  // the client is replaced
  CHECK_FALSE(IsPermanentProduceError(RdKafka::ERR_NOT_ENOUGH_REPLICAS));
  // Of the permanent ones, those about the record itself: no topic fix helps.
  CHECK(RefusesRecord(RdKafka::ERR_MSG_SIZE_TOO_LARGE));
  CHECK(RefusesRecord(RdKafka::ERR_INVALID_RECORD));
  CHECK_FALSE(RefusesRecord(RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED));
  CHECK_FALSE(RefusesRecord(RdKafka::ERR__UNKNOWN_TOPIC));
  CHECK_FALSE(RefusesRecord(RdKafka::ERR_NOT_LEADER_FOR_PARTITION));
}
