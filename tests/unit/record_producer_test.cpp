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
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "eventually.h"
#include "kafka/embedded_broker.h"

using namespace leakd;

namespace {
// How the records given its callback ended.
struct Endings {
  std::atomic<int> acked{0}, rejected{0}, aborted{0};
  DeliveryCallback Counter() {
    return [this](const Delivery& d) {
      ++(d.status == DeliveryStatus::kAcked      ? acked
         : d.status == DeliveryStatus::kRejected ? rejected
                                                 : aborted);
    };
  }
};
}  // namespace

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
  // retries=0: librdkafka gives each failed attempt back at once, so every
  // retry below is the RecordProducer's own. NOT_ENOUGH_REPLICAS counts
  // against librdkafka's retries; NOT_LEADER_FOR_PARTITION, which this test
  // used before, does not (librdkafka retries it itself until
  // message.timeout.ms), so whether it ever reached the RecordProducer
  // depended on timing.
  RecordProducer producer({{"bootstrap.servers", broker.bootstraps()},
                           {"retries", "0"},
                           {"enable.idempotence", "false"}});
  // Produce fails 5 times with NOT_ENOUGH_REPLICAS (retriable).
  broker.InjectErrors(kafka_api::kProduce, 5, RdKafka::ERR_NOT_ENOUGH_REPLICAS);
  std::atomic<int> acked{0};
  producer.Produce({"t", "k", std::string("v"), {}}, [&](const Delivery& d) {
    if (d.status == DeliveryStatus::kAcked) ++acked;
  });
  REQUIRE(producer.Flush(std::chrono::seconds(30)));
  CHECK(acked == 1);
  CHECK(producer.delivery_failures() == 5);
}

TEST_CASE("RecordProducer: a record sent with OnRefusal::kRetry is retried through refusals",
          "[kafka-clients]") {
  EmbeddedBroker broker(1);
  broker.CreateTopic("t", 1);
  RecordProducer producer({{"bootstrap.servers", broker.bootstraps()}});
  REQUIRE(producer.Flush(std::chrono::seconds(5)));
  Endings ends;
  broker.InjectErrors(kafka_api::kProduce, 1, RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED);
  producer.Produce({"t", "k", std::string("reported"), {}}, ends.Counter());
  REQUIRE(producer.Flush(std::chrono::seconds(10)));
  CHECK(ends.rejected == 1);
  broker.InjectErrors(kafka_api::kProduce, 3, RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED);
  producer.Produce({"t", "k", std::string("retried"), {}}, ends.Counter(), OnRefusal::kRetry);
  REQUIRE(producer.Flush(std::chrono::seconds(20)));
  CHECK(ends.acked == 1);
  CHECK(ends.rejected == 1);
  // Every refusal is counted; librdkafka also refuses records to a topic
  // locally for a while after the broker forbade it, so there may be more.
  CHECK(producer.rejected() >= 4);
  // A refusal of the record itself ends it even so: no retry could pass.
  broker.InjectErrors(kafka_api::kProduce, 1, RdKafka::ERR_MSG_SIZE_TOO_LARGE);
  producer.Produce({"t", "k", std::string("too large"), {}}, ends.Counter(), OnRefusal::kRetry);
  REQUIRE(producer.Flush(std::chrono::seconds(20)));
  CHECK(ends.rejected == 2);
}

TEST_CASE("RecordProducer: past the retry bound, in records or bytes, callers wait until Abort",
          "[kafka-clients]") {
  // The topic refuses everything; the records are sent with kRetry, so none
  // ends and the count cannot fall: the next caller must wait.
  RecordProducer::RetryBound bound;
  std::string value;
  SECTION("three small records") {
    bound = {3, 64u << 20};
    value = "small";
  }
  SECTION("three records of 4,000 bytes against a bound of 10,000 bytes") {
    bound = {1000, 10000};
    value = std::string(4000, 'v');
  }
  EmbeddedBroker broker(1);
  broker.CreateTopic("t", 1);
  RecordProducer producer({{"bootstrap.servers", broker.bootstraps()}}, nullptr, bound);
  REQUIRE(producer.Flush(std::chrono::seconds(5)));
  broker.InjectErrors(kafka_api::kProduce, 100000, RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED);
  Endings ends;
  for (int i = 0; i < 3; ++i) {
    producer.Produce({"t", "k", value, {}}, ends.Counter(), OnRefusal::kRetry);
  }
  for (int i = 0; i < 400 && producer.retrying() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  REQUIRE(producer.retrying() == 3);
  CHECK(producer.retrying_bytes() >= 3 * value.size());
  std::atomic<bool> returned{false};
  std::thread caller([&] {
    producer.Produce({"t", "k", std::string("fourth"), {}}, ends.Counter(), OnRefusal::kRetry);
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK_FALSE(returned);  // waiting: the bound is reached
  CHECK(producer.retrying() == 3);
  producer.Abort();
  caller.join();
  CHECK(returned);
  CHECK(producer.Flush(std::chrono::seconds(2)));
  CHECK(ends.aborted == 4);
  CHECK(producer.retrying() == 0);
  CHECK(producer.retrying_bytes() == 0);
}

TEST_CASE("RecordProducer: a callback that produces never waits for room on the poll thread",
          "[kafka-clients]") {
  // A one-record local queue: while the refused record's report is served,
  // the queue is full, and only the poll thread (running the callback) could
  // empty it. Waiting there would never end.
  EmbeddedBroker broker(1);
  broker.CreateTopic("t", 1);
  RecordProducer producer(
      {{"bootstrap.servers", broker.bootstraps()}, {"queue.buffering.max.messages", "1"}});
  producer.Produce({"t", "k", std::string("warm-up"), {}}, nullptr);
  REQUIRE(producer.Flush(std::chrono::seconds(5)));
  std::atomic<int> acked{0};
  broker.InjectErrors(kafka_api::kProduce, 1, RdKafka::ERR_MSG_SIZE_TOO_LARGE);
  producer.Produce({"t", "k", std::string("refused"), {}}, [&](const Delivery& d) {
    CHECK(d.status == DeliveryStatus::kRejected);
    for (const char* value : {"second", "third"}) {
      producer.Produce({"t", "k", std::string(value), {}}, [&](const Delivery& again) {
        if (again.status == DeliveryStatus::kAcked) ++acked;
      });
    }
  });
  REQUIRE(producer.Flush(std::chrono::seconds(20)));
  CHECK(acked == 2);
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

namespace {
// The latest statistics JSON librdkafka sent (statistics.interval.ms).
class StatsKeeper : public RdKafka::EventCb {
 public:
  void event_cb(RdKafka::Event& event) override {
    if (event.type() != RdKafka::Event::EVENT_STATS) return;
    std::lock_guard<std::mutex> lock(mu_);
    latest_ = nlohmann::json::parse(event.str(), nullptr, false);
  }
  nlohmann::json latest() {
    std::lock_guard<std::mutex> lock(mu_);
    return latest_;
  }
  // The latest statistics once `holds` is true of them, or the last seen
  // when `seconds` pass first.
  template <typename Predicate>
  nlohmann::json WaitFor(Predicate holds, int seconds) {
    nlohmann::json seen;
    testing::Eventually([&] { return holds(seen = latest()); }, std::chrono::seconds(seconds),
                        std::chrono::milliseconds(50));
    return seen;
  }

 private:
  std::mutex mu_;
  nlohmann::json latest_;
};

// True once the client knows the leader of the topic's partition 0.
bool LeaderKnown(const nlohmann::json& stats, const std::string& topic) {
  if (!stats.is_object() || !stats.contains("topics") || !stats["topics"].contains(topic)) {
    return false;
  }
  const auto& partitions = stats["topics"][topic]["partitions"];
  return partitions.contains("0") && partitions["0"].value("leader", -1) >= 0;
}

// The client the statistics are from (librdkafka's handle name).
std::string ClientName(const nlohmann::json& stats) {
  return stats.is_object() ? stats.value("name", "") : "";
}
}  // namespace

TEST_CASE("RecordProducer: a prepared topic is looked up before its first record",
          "[kafka-clients]") {
  // Without Prepare, librdkafka asks for a topic's metadata at its first
  // record, which then waits about a second (bench/serve_bench.cpp, --only=first).
  EmbeddedBroker broker(1);
  broker.CreateTopic("prepared", 2);
  broker.CreateTopic("not-prepared", 2);
  StatsKeeper stats;
  RecordProducer producer(
      {{"bootstrap.servers", broker.bootstraps()}, {"statistics.interval.ms", "100"}}, &stats);
  producer.Prepare({"prepared"});
  const nlohmann::json seen =
      stats.WaitFor([](const nlohmann::json& j) { return LeaderKnown(j, "prepared"); }, 20);
  CHECK(LeaderKnown(seen, "prepared"));
  CHECK_FALSE(LeaderKnown(seen, "not-prepared"));
  CHECK(producer.acknowledged() == 0);  // no record was needed for it
}

TEST_CASE("RecordProducer: a client that fails for good is replaced, and its records sent again",
          "[kafka-clients]") {
  // OUT_OF_ORDER_SEQUENCE_NUMBER makes librdkafka's idempotent producer fail
  // for good (its fatal error): every record after it would be refused.
  EmbeddedBroker broker(1);
  broker.CreateTopic("t", 2);
  broker.CreateTopic("prepared", 1);
  StatsKeeper stats;
  RecordProducer producer(
      {{"bootstrap.servers", broker.bootstraps()}, {"statistics.interval.ms", "100"}}, &stats);
  producer.Prepare({"prepared"});
  Endings ends;
  const DeliveryCallback count = ends.Counter();
  producer.Produce({"t", "k", std::string("before"), {}}, count);
  REQUIRE(producer.Flush(std::chrono::seconds(10)));
  const std::string first_client =
      ClientName(stats.WaitFor([](const nlohmann::json& j) { return !ClientName(j).empty(); }, 5));
  REQUIRE_FALSE(first_client.empty());
  broker.InjectErrors(kafka_api::kProduce, 1, RdKafka::ERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
  for (int i = 0; i < 20; ++i) producer.Produce({"t", "k", std::to_string(i), {}}, count);
  REQUIRE(producer.Flush(std::chrono::seconds(30)));
  CHECK(producer.replacements() == 1);
  CHECK(ends.acked == 21);
  CHECK(ends.rejected + ends.aborted == 0);
  // The new client goes on, and looked up the prepared topic by itself.
  producer.Produce({"t", "k", std::string("after"), {}}, count);
  REQUIRE(producer.Flush(std::chrono::seconds(10)));
  CHECK(ends.acked == 22);
  const auto new_client = [&](const nlohmann::json& j) {
    return !ClientName(j).empty() && ClientName(j) != first_client;
  };
  const nlohmann::json seen = stats.WaitFor(
      [&](const nlohmann::json& j) { return new_client(j) && LeaderKnown(j, "prepared"); }, 10);
  CHECK(new_client(seen));
  CHECK(LeaderKnown(seen, "prepared"));
}
