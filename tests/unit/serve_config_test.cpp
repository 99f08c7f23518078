#include "serve/serve_config.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "forward/forward_config.h"

using leakd::ServeConfig;
using leakd::TokenMode;

TEST_CASE("settings come from YAML, then LEAKD_* variables, then --set", "[config]") {
  const auto path = std::filesystem::temp_directory_path() /
                    ("leakd-config-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << "brokers: kafka-1:9092\nworkers: 3\ntoken_mode: omit\n"
                         "kafka:\n  security.protocol: SASL_SSL\n  sasl.mechanism: SCRAM-SHA-512\n"
                         "consumer:\n  session.timeout.ms: 10000\n";
  ServeConfig c;
  c.LoadYamlFile(path.string());
  CHECK(c.brokers == "kafka-1:9092");
  CHECK(c.workers == 3);
  CHECK(c.token_mode == TokenMode::kOmit);
  CHECK(c.kafka.at("security.protocol") == "SASL_SSL");
  CHECK(c.consumer.at("session.timeout.ms") == "10000");

  c.LoadEnvironment({"LEAKD_WORKERS=5", "LEAKD_KAFKA_SASL_USERNAME=leakd",
                     "LEAKD_PRODUCER_LINGER_MS=2", "LEAKD_SOMETHING_ELSE=ignored", "PATH=/usr/bin",
                     "LEAKD_GROUP_ID=g"});
  CHECK(c.workers == 5);
  CHECK(c.kafka.at("sasl.username") == "leakd");
  CHECK(c.producer.at("linger.ms") == "2");
  CHECK(c.group_id == "g");

  c.Set("workers", "7");
  c.Set("kafka.ssl.ca.location", "/etc/ca.pem");
  CHECK(c.workers == 7);
  CHECK(c.kafka.at("ssl.ca.location") == "/etc/ca.pem");
  std::filesystem::remove(path);
}

TEST_CASE("bad settings are refused with their name", "[config]") {
  ServeConfig c;
  CHECK_THROWS_WITH(c.Set("no_such_setting", "1"), Catch::Contains("no_such_setting"));
  CHECK_THROWS_WITH(c.Set("workers", "many"), Catch::Contains("workers"));
  CHECK_THROWS_WITH(c.Set("token_mode", "sealed-later"), Catch::Contains("token_mode"));
  CHECK_THROWS_WITH(c.LoadYamlFile("/nonexistent/leakd.yaml"),
                    Catch::Contains("/nonexistent/leakd.yaml"));
  CHECK(c.SettingNames().size() >= 20);
  CHECK_THROWS_WITH(c.Set("poison_after_crashes", "0"), Catch::Contains("poison_after_crashes"));
  CHECK_THROWS_WITH(c.Set("poison_after_crashes", "101"), Catch::Contains("1 to 100"));
}

TEST_CASE("the identifier tier is off unless the identifiers setting says true", "[config]") {
  ServeConfig c;
  CHECK_FALSE(c.engine.identifiers);
  c.Set("identifiers", "true");
  CHECK(c.engine.identifiers);
  c.Set("identifiers", "false");
  CHECK_FALSE(c.engine.identifiers);
  CHECK_THROWS_WITH(c.Set("identifiers", "yes"), Catch::Contains("identifiers: true or false"));
}

TEST_CASE("the poison guard is off until a state_dir is set", "[config]") {
  ServeConfig c;
  CHECK(c.state_dir.empty());
  CHECK(c.poison_after_crashes == 2);
  c.Set("state_dir", "/var/lib/leakd");
  c.Set("poison_after_crashes", "3");
  CHECK(c.state_dir == "/var/lib/leakd");
  CHECK(c.poison_after_crashes == 3);
  c.Set("queue_capacity", "0");  // below its minimum: the minimum
  CHECK(c.queue_capacity == 1);
}

TEMPLATE_TEST_CASE("each daemon builds its Kafka clients from every client setting of its config",
                   "[config]", ServeConfig, leakd::ForwardConfig) {
  TestType c;
  c.Set("brokers", "kafka-1:9092,kafka-2:9092");
  c.Set("group_id", "scanners");
  c.Set("kafka.security.protocol", "SASL_SSL");
  c.Set("consumer.fetch.wait.max.ms", "7");
  c.Set("producer.linger.ms", "3");
  const leakd::KafkaClientSettings s = leakd::ClientSettingsFrom(c);
  CHECK(s.brokers == "kafka-1:9092,kafka-2:9092");
  CHECK(s.group_id == "scanners");
  CHECK(s.common == leakd::KafkaProperties{{"security.protocol", "SASL_SSL"}});
  CHECK(s.consumer == leakd::KafkaProperties{{"fetch.wait.max.ms", "7"}});
  CHECK(s.producer == leakd::KafkaProperties{{"linger.ms", "3"}});
}

TEST_CASE("serve's Kafka clients also get its message size limit", "[config]") {
  ServeConfig c;
  c.Set("brokers", "kafka-1:9092");
  c.Set("max_message_bytes", "2097152");
  const leakd::KafkaClientSettings s = leakd::ClientSettingsOf(c);
  CHECK(s.brokers == "kafka-1:9092");
  CHECK(s.max_message_bytes == (2u << 20));
}
