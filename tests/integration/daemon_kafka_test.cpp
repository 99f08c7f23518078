// The delivery guarantee against real Apache Kafka (KRaft) brokers: what the
// mock cannot show as production sees it — real consumer-group rebalances, a
// broker SIGKILLed and restarted, a partition leader moving to another broker.
// Skipped (exit 77) when the Kafka jars were not fetched.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <iostream>

#include "kafka_fixture.h"
#include "kraft_cluster.h"
#include "scan/fingerprint.h"

using namespace leakd;
using namespace leakd::testing;
using namespace std::chrono_literals;

namespace {

void SkipWithoutKafka() {
  if (KafkaLibs().empty()) {
    std::cout << "Kafka jars not found (scripts/fetch-kafka.sh): skipped\n";
    std::exit(77);
  }
}

// One single-node cluster shared by the tests that do not kill it: a JVM start
// costs seconds on this machine.
KraftCluster& SharedCluster() {
  static KraftCluster cluster(1);
  return cluster;
}

}  // namespace

TEST_CASE("real Kafka: no alert lost when the daemon is SIGKILLed and restarted", "[kafka]") {
  SkipWithoutKafka();
  auto& cluster = SharedCluster();
  const std::string group = NewGroup();
  Traffic traffic(cluster.bootstraps());
  Reader reader(cluster.bootstraps(), 4);
  auto daemon = std::make_unique<Daemon>(cluster.bootstraps(), group);
  traffic.Push(100);
  REQUIRE(reader.ReadUntil([&] { return reader.alerts.size() >= 20; }, 60s));
  daemon->Kill(SIGKILL);
  traffic.Push(100);
  daemon = std::make_unique<Daemon>(cluster.bootstraps(), group);
  traffic.pusher.Flush(30s);
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 90s));
  CHECK(daemon->Kill(SIGTERM) == 0);
}

TEST_CASE("real Kafka: no alert lost when group members leave and join", "[kafka]") {
  SkipWithoutKafka();
  auto& cluster = SharedCluster();
  const std::string group = NewGroup();
  Traffic traffic(cluster.bootstraps());
  Reader reader(cluster.bootstraps(), 4);
  Daemon first(cluster.bootstraps(), group);
  traffic.Push(60, 10ms);
  auto second = std::make_unique<Daemon>(cluster.bootstraps(), group);  // joins: partitions move
  traffic.Push(60, 10ms);
  CHECK(second->Kill(SIGTERM) == 0);  // leaves: they move back
  traffic.Push(60, 10ms);
  traffic.pusher.Flush(30s);
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 90s));
  CHECK(first.Kill(SIGTERM) == 0);
}

TEST_CASE("real Kafka: no alert lost when the broker is killed and restarted mid-stream",
          "[kafka]") {
  SkipWithoutKafka();
  KraftCluster cluster(1);
  const std::string group = NewGroup();
  Traffic traffic(cluster.bootstraps());
  Daemon daemon(cluster.bootstraps(), group);
  traffic.Push(50);
  cluster.Stop(1, SIGKILL);
  std::this_thread::sleep_for(2s);
  cluster.Start(1);
  traffic.Push(50);
  cluster.WaitReady();
  traffic.pusher.Flush(60s);
  Reader reader(cluster.bootstraps(), 4);
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 120s));
  CHECK(daemon.Kill(SIGTERM) == 0);
}

TEST_CASE("real Kafka: no alert lost when partition leaders move (3 brokers, one killed)",
          "[kafka]") {
  SkipWithoutKafka();
  KraftCluster cluster(3);
  const std::string group = NewGroup();
  Traffic traffic(cluster.bootstraps());
  Daemon daemon(cluster.bootstraps(), group);
  traffic.Push(60);
  cluster.Stop(2, SIGKILL);  // its partitions' leadership moves to the other two
  traffic.Push(60);
  traffic.pusher.Flush(60s);
  Reader reader(cluster.bootstraps(), 4);
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 120s));
  cluster.Start(2);
  CHECK(daemon.Kill(SIGTERM) == 0);
}
