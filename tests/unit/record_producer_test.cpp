// RecordProducer against librdkafka's mock cluster: every record ends in one
// callback; permanent errors end a record instead of wedging its caller;
// retriable ones are retried; Abort ends everything at once. These start
// librdkafka threads, so they run in the release and ASan builds, not TSan
// (see README, Tests).
#include "kafka/record_producer.h"

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>

#include "kafka/embedded_broker.h"

using namespace leakd;

TEST_CASE("RecordProducer: a record too large ends as rejected, never retried forever",
          "[kafka-clients]") {
  EmbeddedBroker broker(1);
  broker.CreateTopic("t", 1);
  RecordProducer producer({{"bootstrap.servers", broker.bootstraps()}});
  REQUIRE(producer.max_record_bytes() == 1000000);
  std::atomic<int> acked{0}, rejected{0};
  const auto count = [&](const Delivery& d) {
    if (d.status == DeliveryStatus::kAcked) ++acked;
    if (d.status == DeliveryStatus::kRejected) {
      CHECK(d.error == RdKafka::ERR_MSG_SIZE_TOO_LARGE);
      ++rejected;
    }
  };
  producer.Produce({"t", "k", std::string(1100000, 'x'), {}}, count);
  producer.Produce({"t", std::nullopt, std::nullopt, {}}, count);  // null key and value
  REQUIRE(producer.Flush(std::chrono::seconds(30)));
  CHECK(rejected == 1);
  CHECK(acked == 1);
  CHECK(producer.rejected() == 1);
}

TEST_CASE("RecordProducer: retriable broker errors are retried until acknowledged",
          "[kafka-clients]") {
  EmbeddedBroker broker(1);
  broker.CreateTopic("t", 1);
  RecordProducer producer({{"bootstrap.servers", broker.bootstraps()},
                           {"message.timeout.ms", "300"},
                           {"retries", "0"},
                           {"enable.idempotence", "false"}});
  // Produce API (0) fails 5 times with NOT_LEADER_FOR_PARTITION (retriable).
  broker.InjectErrors(0, 5, RdKafka::ERR_NOT_LEADER_FOR_PARTITION);
  std::atomic<int> acked{0};
  producer.Produce({"t", "k", std::string("v"), {}}, [&](const Delivery& d) {
    if (d.status == DeliveryStatus::kAcked) ++acked;
  });
  REQUIRE(producer.Flush(std::chrono::seconds(30)));
  CHECK(acked == 1);
  CHECK(producer.delivery_failures() >= 1);
}

TEST_CASE("RecordProducer: Abort ends every outstanding record at once", "[kafka-clients]") {
  EmbeddedBroker broker(1);
  broker.CreateTopic("t", 1);
  RecordProducer producer({{"bootstrap.servers", broker.bootstraps()}});
  REQUIRE(producer.Flush(std::chrono::seconds(5)));
  broker.SetBrokerUp(1, false);
  std::atomic<int> aborted{0};
  for (int i = 0; i < 10; ++i) {
    producer.Produce({"t", "k", std::string("v"), {}}, [&](const Delivery& d) {
      if (d.status == DeliveryStatus::kAborted) ++aborted;
    });
  }
  CHECK_FALSE(producer.Flush(std::chrono::milliseconds(300)));
  const auto start = std::chrono::steady_clock::now();
  producer.Abort();
  CHECK(producer.Flush(std::chrono::seconds(2)));
  CHECK(aborted == 10);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
  // After Abort, Produce ends at once too.
  producer.Produce({"t", "k", std::string("v"), {}},
                   [&](const Delivery& d) { CHECK(d.status == DeliveryStatus::kAborted); });
  CHECK(producer.outstanding() == 0);
}
