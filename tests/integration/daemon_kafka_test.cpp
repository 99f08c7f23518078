// The delivery guarantee against real Apache Kafka (KRaft) brokers: what the
// mock cannot show as production sees it — real consumer-group rebalances, a
// broker SIGKILLed and restarted, a partition leader moving to another broker.
// Skipped (exit 77) when the Kafka jars were not fetched.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "ingest/gzip.h"
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

TEST_CASE("real Kafka: the broker killed and restarted mid-stream: /readyz follows, no alert lost",
          "[kafka]") {
  SkipWithoutKafka();
  KraftCluster cluster(1);
  const std::string group = NewGroup();
  const int port = FreePort();
  Traffic traffic(cluster.bootstraps());
  Daemon daemon(cluster.bootstraps(), group,
                {"--set", "metrics_address=127.0.0.1:" + std::to_string(port)});
  REQUIRE(WaitForStatus(port, "/readyz", 200, 60s));
  traffic.Push(50);
  cluster.Stop(1, SIGKILL);
  CHECK(WaitForStatus(port, "/readyz", 503, 15s));  // within 15 s of the broker's death
  CHECK(HttpGet(port, "/healthz").first == 200);    // alive: a restart would not help
  cluster.Start(1);
  traffic.Push(50);
  cluster.WaitReady();
  CHECK(WaitForStatus(port, "/readyz", 200, 60s));
  traffic.pusher.Flush(60s);
  Reader reader(cluster.bootstraps(), 4);
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 120s));
  CHECK(daemon.Kill(SIGTERM) == 0);
}

namespace {

// Sum of the samples of a metric family in a Prometheus text scrape (those
// whose line contains `label`, when given).
double MetricSum(const std::string& scrape, const std::string& name,
                 const std::string& label = "") {
  double sum = 0;
  std::istringstream lines(scrape);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name, 0) != 0 || line.find(label) == std::string::npos) continue;
    const char next = line[name.size()];
    if (next != '{' && next != ' ') continue;
    sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

// Peak resident memory of a process (VmHWM), in bytes.
size_t PeakRss(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
  }
  return 0;
}

}  // namespace

TEST_CASE("real Kafka: peak memory stays under 512 MB with default settings, whatever the input",
          "[kafka][memory]") {
  SkipWithoutKafka();
  auto& cluster = SharedCluster();
  const int port = FreePort();
  RecordProducer pusher({{"bootstrap.servers", cluster.bootstraps()},
                         {"message.max.bytes", "12000000"},
                         {"linger.ms", "5"}});
  size_t pushed = 0;  // to leakd.uploads: other tests on this cluster push commits only
  // Large messages: 9 MB files, 9.5 MB invalid commit events (backlog in bytes).
  std::string big(9u << 20, 'a');
  for (size_t i = 0; i < big.size(); i += 64) big[i] = '\n';
  for (int i = 0; i < 24; ++i) {
    pusher.Produce(
        {"leakd.uploads", "big" + std::to_string(i), big, {{"repo", "r"}, {"path", "f"}}}, nullptr);
    pusher.Produce({"leakd.commits", "c" + std::to_string(i), std::string(9500000, '['), {}},
                   nullptr);
    ++pushed;
  }
  // Gzip bombs: each would inflate to 1 GB; the bound stops them at 64 MB.
  const std::string bomb = GzipCompress(std::string(256u << 20, 'A'));
  for (int i = 0; i < 8; ++i) {
    pusher.Produce({"leakd.uploads",
                    "bomb" + std::to_string(i),
                    bomb,
                    {{"repo", "r"}, {"path", "b"}, {"content-encoding", "gzip"}}},
                   nullptr);
    ++pushed;
  }
  // Uploads that never finish.
  for (int i = 0; i < 20000; ++i) {
    const std::string id = "open-" + std::to_string(i);
    pusher.Produce({"leakd.uploads",
                    id,
                    std::string("partial line\n"),
                    {{"repo", "r"}, {"path", "p"}, {"upload-id", id}, {"chunk", "0"}}},
                   nullptr);
    ++pushed;
  }
  REQUIRE(pusher.Flush(120s));
  // The whole backlog is there before the daemon starts: the worst case for memory.
  const std::string log = "/tmp/leakd-memory-test.log";  // kept for a failed run
  Daemon daemon(
      cluster.bootstraps(), NewGroup(),
      {"--set", "metrics_address=127.0.0.1:" + std::to_string(port), "--set", "log_level=info"},
      log);
  double consumed = 0;
  Eventually(
      [&] {
        consumed = MetricSum(HttpGet(port, "/metrics").second, "leakd_messages_consumed_total",
                             "topic=\"leakd.uploads\"");
        return consumed >= static_cast<double>(pushed);
      },
      240s, 500ms);
  CHECK(consumed >= static_cast<double>(pushed));
  const size_t peak = PeakRss(daemon.pid());
  INFO("peak RSS " << peak / (1u << 20) << " MiB");
  CHECK(peak > 0);
  CHECK(peak < (512u << 20));
  const std::string scrape = HttpGet(port, "/metrics").second;
  CHECK(MetricSum(scrape, "leakd_open_uploads") <= 2000);  // 1,000 per worker
  CHECK(MetricSum(scrape, "leakd_uploads_closed_total") >= 18000);
  CHECK(daemon.Kill(SIGTERM) == 0);
}

// Topics of one test's own, on the shared cluster: a message this large would
// slow every later test's group. The alert and dead-letter topics exist from
// the start, so the reader can be assigned to them at once.
struct OwnLane {
  explicit OwnLane(const std::string& name, const std::string& brokers)
      : prefix(name + "-" + std::to_string(::getpid())),
        commits(prefix + ".commits"),
        alerts(prefix + ".alerts"),
        dlq(prefix + ".dlq") {
    RecordProducer setup({{"bootstrap.servers", brokers}});
    for (const std::string& topic : {alerts, dlq}) {
      setup.Produce({topic, "setup", std::string("setup"), {}}, nullptr);
    }
    REQUIRE(setup.Flush(60s));
  }
  // A commit event with a new token, on the partition of the messages before
  // it; its fingerprint.
  std::string PushToken(RecordProducer& pusher) const {
    const std::string token = UniqueGithubToken();
    pusher.Produce({commits, "same-key", CommitEventJson("org/after", "a.py", "T=" + token), {}},
                   nullptr);
    REQUIRE(pusher.Flush(120s));
    return Sha256Hex(token);
  }
  std::vector<std::string> Settings(const std::string& log_level = "info") const {
    return {"--set", "commits_topic=" + commits, "--set", "uploads_topic=" + prefix + ".uploads",
            "--set", "alerts_topic=" + alerts,   "--set", "dlq_topic=" + dlq,
            "--set", "log_level=" + log_level};
  }
  // Reads until `parked` dead letters and an alert of `fingerprint` arrived,
  // then for `linger` more (to see that no more come).
  bool ReadUntil(const std::string& brokers, size_t parked, const std::string& fingerprint,
                 std::chrono::seconds linger = 0s) {
    TopicWatcher watcher(brokers, prefix + "-reader", {{alerts, 4}, {dlq, 4}});
    const auto take = [&](RdKafka::Message& m) {
      if (m.topic_name() == dlq) {
        auto headers = HeaderMap(m);
        if (!headers.count("leakd-error")) return;  // the setup record
        dead_letters.push_back(headers);
        dead_letter_has_value.push_back(m.payload() != nullptr);
      } else if (ValueOf(m).find(fingerprint) != std::string::npos) {
        alerted = true;
      }
    };
    const bool done =
        watcher.ReadUntil([&] { return dead_letters.size() >= parked && alerted; }, 180s, take);
    if (done && linger > 0s) watcher.ReadUntil([] { return false; }, linger, take);
    return done;
  }

  std::string prefix, commits, alerts, dlq;
  std::vector<std::map<std::string, std::string>> dead_letters;
  std::vector<bool> dead_letter_has_value;
  bool alerted = false;
};

TEST_CASE("real Kafka: a 100 MiB message is parked without its value; what follows is scanned",
          "[kafka][huge]") {
  SkipWithoutKafka();
  auto& cluster = SharedCluster();
  OwnLane lane("huge", cluster.bootstraps());
  RecordProducer pusher(
      {{"bootstrap.servers", cluster.bootstraps()}, {"message.max.bytes", "120000000"}});
  const size_t huge = 100u << 20;
  pusher.Produce({lane.commits, "same-key", std::string(huge, '{'), {}}, nullptr);
  const std::string fingerprint = lane.PushToken(pusher);
  Daemon daemon(cluster.bootstraps(), NewGroup(), lane.Settings(),
                "/tmp/leakd-huge-test.log");  // kept for a failed run
  CHECK(lane.ReadUntil(cluster.bootstraps(), 1, fingerprint));
  REQUIRE(lane.dead_letters.size() == 1);
  CHECK(lane.dead_letters[0]["leakd-error"] == "message-too-large");
  CHECK(lane.dead_letters[0]["leakd-original-size"] == std::to_string(huge));
  CHECK_FALSE(lane.dead_letter_has_value[0]);
  CHECK(daemon.Kill(SIGTERM) == 0);
}

TEST_CASE(
    "real Kafka: a compressed batch that inflates past the cap is parked; what follows is scanned",
    "[kafka][huge]") {
  SkipWithoutKafka();
  auto& cluster = SharedCluster();
  OwnLane lane("bomb", cluster.bootstraps());
  const int batches = PushCompressionBombs(cluster.bootstraps(), lane.commits, "same-key");
  RecordProducer pusher({{"bootstrap.servers", cluster.bootstraps()}});
  const std::string fingerprint = lane.PushToken(pusher);
  Daemon daemon(cluster.bootstraps(), NewGroup(), lane.Settings(),
                "/tmp/leakd-bomb-test.log");  // kept for a failed run
  // One record per batch, not one per probe: none more in the 3 s after.
  CHECK(lane.ReadUntil(cluster.bootstraps(), batches, fingerprint, 3s));
  REQUIRE(lane.dead_letters.size() == static_cast<size_t>(batches));
  for (auto& parked : lane.dead_letters) CHECK(parked["leakd-error"] == "undecodable-batch");
  INFO("peak RSS " << PeakRss(daemon.pid()) / (1u << 20) << " MiB");
  CHECK(PeakRss(daemon.pid()) < (512u << 20));
  CHECK(daemon.Kill(SIGTERM) == 0);
}

TEST_CASE("real Kafka: no alert lost when partition leaders move (3 brokers, one killed)",
          "[kafka]") {
  SkipWithoutKafka();
  KraftCluster cluster(3);
  const std::string group = NewGroup();
  Traffic traffic(cluster.bootstraps());
  Daemon daemon(cluster.bootstraps(), group, {"--set", "log_level=info"},
                "/tmp/leakd-leader-move-test.log");  // kept for a failed run
  Reader reader(cluster.bootstraps(), 4);
  traffic.Push(60);
  // The group, its offsets topic (replication factor 3) and every topic exist
  // before a broker dies: then leadership can move, and only then is this the
  // test it means to be.
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 120s));
  cluster.Stop(2, SIGKILL);  // its partitions' leadership moves to the other two
  traffic.Push(60);
  traffic.pusher.Flush(60s);
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 120s));
  cluster.Start(2);
  CHECK(daemon.Kill(SIGTERM) == 0);
}
