// KraftCluster: real Apache Kafka brokers (KRaft, combined broker+controller)
// from the jars scripts/fetch-kafka.sh fetched, on free loopback ports, with a
// small heap, for the integration tests. Each node is a child JVM that can be
// SIGKILLed and restarted on the same ports and data.
#pragma once

#include <arpa/inet.h>
#include <librdkafka/rdkafkacpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "eventually.h"
#include "free_port.h"
#include "kafka/kafka_error.h"
#include "kafka/record_producer.h"

namespace leakd::testing {

// The folder of Kafka jars, or "" when they were not fetched (tests skip).
inline std::string KafkaLibs() {
  const char* env = std::getenv("LEAKD_TEST_KAFKA_LIBS");
  std::string dir = env ? env
                        : std::string(std::getenv("HOME") ? std::getenv("HOME") : "/root") +
                              "/.cache/leakd/kafka-libs";
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().filename().string().rfind("kafka_2.13-", 0) == 0) return dir;
  }
  return "";
}

// The JVM options of the tests' brokers: a small heap and quick start-up.
inline std::vector<std::string> TestJvmOptions() {
  return {"-Xms128m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"};
}
// What Kafka's own kafka-server-start.sh runs a broker with (its
// KAFKA_HEAP_OPTS and KAFKA_JVM_PERFORMANCE_OPTS defaults): for benchmarks.
inline std::vector<std::string> ProductionJvmOptions() {
  return {"-Xms1G",
          "-Xmx1G",
          "-server",
          "-XX:+UseG1GC",
          "-XX:MaxGCPauseMillis=20",
          "-XX:InitiatingHeapOccupancyPercent=35",
          "-XX:+ExplicitGCInvokesConcurrent",
          "-XX:MaxInlineLevel=15"};
}

class KraftCluster {
 public:
  explicit KraftCluster(int nodes, std::vector<std::string> jvm_options = TestJvmOptions())
      : libs_(KafkaLibs()), jvm_options_(std::move(jvm_options)) {
    if (libs_.empty()) throw KafkaError("Kafka jars not found: run scripts/fetch-kafka.sh");
    root_ = std::filesystem::temp_directory_path() /
            ("leakd-kraft-" + std::to_string(::getpid()) + "-" + std::to_string(++counter_));
    std::filesystem::remove_all(root_);
    std::string voters;
    for (int i = 1; i <= nodes; ++i) {
      nodes_.push_back({i, FreePort(), FreePort(), -1});
      voters += (i > 1 ? "," : "") + std::to_string(i) +
                "@127.0.0.1:" + std::to_string(nodes_.back().controller_port);
    }
    const std::string cluster_id = "bGVha2QtdGVzdHMtY2x1cw";  // any 22-char base64 id
    for (auto& n : nodes_) {
      const auto dir = root_ / ("node" + std::to_string(n.id));
      std::filesystem::create_directories(dir / "data");
      std::ofstream(dir / "server.properties")
          << "process.roles=broker,controller\nnode.id=" << n.id
          << "\ncontroller.quorum.voters=" << voters
          << "\nlisteners=PLAINTEXT://127.0.0.1:" << n.port
          << ",CONTROLLER://127.0.0.1:" << n.controller_port
          << "\nadvertised.listeners=PLAINTEXT://127.0.0.1:" << n.port
          << "\ncontroller.listener.names=CONTROLLER\ninter.broker.listener.name=PLAINTEXT"
          << "\nlistener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
          << "\nlog.dirs=" << (dir / "data").string() << "\nnum.partitions=4"
          << "\ndefault.replication.factor=" << nodes
          << "\nmin.insync.replicas=" << (nodes > 1 ? 2 : 1)
          << "\noffsets.topic.replication.factor=" << nodes << "\noffsets.topic.num.partitions=4"
          << "\ntransaction.state.log.replication.factor=" << nodes
          << "\ntransaction.state.log.min.isr=1"
          << "\ngroup.initial.rebalance.delay.ms=0\nauto.create.topics.enable=true"
          << "\nunclean.leader.election.enable=false"
          // Room for leakd's largest messages (max_message_bytes, 10 MiB), as a
          // platform that sends them must configure, and for a hostile 100 MiB one
          // on a platform that allows such messages (daemon_kafka "[huge]").
          << "\nmessage.max.bytes=115343360\nreplica.fetch.max.bytes=115343360"
          << "\nsocket.request.max.bytes=125829120\n";
      Java(n,
           {"kafka.tools.StorageTool", "format", "-t", cluster_id, "-c",
            (dir / "server.properties").string(), "--ignore-formatted"},
           true);
    }
    for (auto& n : nodes_) Start(n.id);
    WaitReady();
  }
  ~KraftCluster() {
    for (auto& n : nodes_) Stop(n.id, SIGKILL);
    std::filesystem::remove_all(root_);
  }

  std::string bootstraps() const {
    std::string s;
    for (const auto& n : nodes_)
      s += (s.empty() ? "" : ",") + std::string("127.0.0.1:") + std::to_string(n.port);
    return s;
  }
  void Start(int id) {
    Node& n = nodes_[id - 1];
    n.pid = Java(
        n, {"kafka.Kafka", (root_ / ("node" + std::to_string(id)) / "server.properties").string()},
        false);
  }
  void Stop(int id, int signal) {
    Node& n = nodes_[id - 1];
    if (n.pid <= 0) return;
    ::kill(n.pid, signal);
    waitpid(n.pid, nullptr, 0);
    n.pid = -1;
  }
  // Waits until a produce is acknowledged (metadata, leaders elected). Not
  // librdkafka's flush(): it also returns once a record has failed for good.
  void WaitReady(std::chrono::seconds timeout = std::chrono::seconds(120)) {
    RecordProducer p({{"bootstrap.servers", bootstraps()}, {"message.timeout.ms", "5000"}});
    std::atomic<bool> acked{false};
    p.Produce({"leakd.ready", std::string("x"), std::string("x"), {}},
              [&](const Delivery& d) { acked = d.status == DeliveryStatus::kAcked; });
    if (!Eventually([&] { return acked.load(); }, timeout)) {
      throw KafkaError("Kafka did not become ready");
    }
  }

 private:
  struct Node {
    int id, port, controller_port;
    pid_t pid;
  };
  pid_t Java(const Node& n, const std::vector<std::string>& args, bool wait) {
    const auto log = root_ / ("node" + std::to_string(n.id)) / (wait ? "format.log" : "server.log");
    const pid_t pid = fork();
    if (pid == 0) {
      std::vector<std::string> argv = {"java"};
      argv.insert(argv.end(), jvm_options_.begin(), jvm_options_.end());
      argv.insert(argv.end(), {"-Djava.awt.headless=true", "-cp", libs_ + "/*"});
      argv.insert(argv.end(), args.begin(), args.end());
      std::vector<char*> raw;
      for (auto& a : argv) raw.push_back(a.data());
      raw.push_back(nullptr);
      FILE* out = std::fopen(log.c_str(), "a");
      if (out) {
        dup2(fileno(out), 1);
        dup2(fileno(out), 2);
      }
      execvp("java", raw.data());
      _exit(127);
    }
    if (wait) {
      int status = 0;
      waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw KafkaError("kafka storage format failed: see " + log.string());
      return -1;
    }
    return pid;
  }

  static inline int counter_ = 0;
  std::string libs_;
  std::vector<std::string> jvm_options_;
  std::filesystem::path root_;
  std::vector<Node> nodes_;
};

}  // namespace leakd::testing
