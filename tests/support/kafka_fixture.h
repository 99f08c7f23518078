// Test fixtures for the streaming daemon on librdkafka's mock cluster: a
// broker with leakd's topics, a pusher of commit events and uploads, a reader
// of the alert and dead-letter topics, and leakd serve as a child process
// (so that it can really be SIGKILLed).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <librdkafka/rdkafkacpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "eventually.h"
#include "free_port.h"
#include "kafka/embedded_broker.h"
#include "kafka/record_producer.h"
#include "raw_http.h"
#include "scan/fingerprint.h"
#include "scan/validators.h"
#include "topic_watcher.h"

namespace leakd::testing {

inline std::string UniqueGithubToken() {
  static std::atomic<unsigned> counter{0};
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  unsigned state = static_cast<unsigned>(::getpid()) * 7919u + 104729u * ++counter;
  std::string body;
  for (int i = 0; i < 30; ++i) {
    state = state * 1103515245u + 12345u;
    body += alphabet[(state >> 16) % 62];
  }
  return GithubStyleToken("ghp_", body);
}

inline std::string CommitEventJson(const std::string& repo, const std::string& path,
                                   const std::string& added_line) {
  return nlohmann::json{
      {"repo", repo},
      {"commit", "0123456789abcdef0123456789abcdef01234567"},
      {"files", {{{"path", path}, {"patch", "@@ -1 +1,2 @@\n ctx\n+" + added_line + "\n"}}}}}
      .dump();
}

// Polls `path` on 127.0.0.1:`port` until it answers `status`; false after the timeout.
inline bool WaitForStatus(int port, const std::string& path, int status,
                          std::chrono::milliseconds timeout) {
  return Eventually([&] { return HttpGet(port, path).first == status; }, timeout);
}

// Kafka-level compression bombs on `topic` under `key`: 300 MiB of zeros is a
// zstd batch of about 10 KB on the broker, past receive.message.max.bytes once
// inflated. A batch of one record, then one of five that inflate past it only
// together. Returns the number of batches (each should be parked once).
inline int PushCompressionBombs(const std::string& brokers, const std::string& topic,
                                const std::string& key) {
  int batches = 0;
  for (int records : {1, 5}) {
    RecordProducer bomber({{"bootstrap.servers", brokers},
                           {"message.max.bytes", "1000000000"},
                           {"batch.size", "1000000000"},
                           // Sent once it holds all of them, however slow the
                           // 60 MiB copies: never split by an expired linger.
                           {"linger.ms", "60000"},
                           {"batch.num.messages", std::to_string(records)},
                           {"compression.codec", "zstd"}});
    for (int i = 0; i < records; ++i) {
      bomber.Produce({topic, key, std::string((300u << 20) / records, '\0'), {}}, nullptr);
    }
    if (!bomber.Flush(std::chrono::seconds(120)))
      throw std::runtime_error("bombs not acknowledged");
    ++batches;
  }
  return batches;
}

// The value of one exact series in a Prometheus scrape; 0 when absent.
inline double MetricValue(const std::string& scrape, const std::string& series) {
  const size_t at = scrape.find("\n" + series + " ");
  return at == std::string::npos ? 0 : std::atof(scrape.c_str() + at + series.size() + 2);
}

// A consumer group id not used before in this run.
inline std::string NewGroup() {
  static int counter = 0;
  return "leakd-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

// Commit events, each with a new secret, and the fingerprints to expect.
struct Traffic {
  explicit Traffic(const std::string& brokers)
      : pusher({{"bootstrap.servers", brokers}, {"message.timeout.ms", "120000"}}) {}
  void Push(int n, std::chrono::milliseconds gap = std::chrono::milliseconds(2)) {
    for (int i = 0; i < n; ++i) {
      const std::string token = UniqueGithubToken();
      expected.insert(Sha256Hex(token));
      const std::string repo = "org/r" + std::to_string(expected.size() % 13);
      pusher.Produce(
          {"leakd.commits", repo, CommitEventJson(repo, "app.py", "TOKEN=\"" + token + "\""), {}},
          nullptr);
      std::this_thread::sleep_for(gap);
    }
  }
  RecordProducer pusher;
  std::set<std::string> expected;
};

struct Broker {
  EmbeddedBroker broker{1};
  Broker() {
    for (const char* t : {"leakd.commits", "leakd.uploads", "leakd.alerts"})
      broker.CreateTopic(t, 4);
    broker.CreateTopic("leakd.dlq", 1);
  }
  const std::string& bootstraps() const { return broker.bootstraps(); }
};

// Reads leakd.alerts and leakd.dlq from the beginning, without a group.
class Reader {
 public:
  explicit Reader(const std::string& brokers, int dlq_partitions = 1)
      : watcher_(brokers, "test-reader", {{"leakd.alerts", 4}, {"leakd.dlq", dlq_partitions}}) {}

  // Reads until `done()` holds or the timeout passes; true if it held.
  bool ReadUntil(const std::function<bool()>& done, std::chrono::seconds timeout) {
    return watcher_.ReadUntil(done, timeout, [this](RdKafka::Message& m) {
      const std::string value = ValueOf(m);
      if (m.topic_name() == "leakd.dlq") {
        dead_letters.push_back(HeaderMap(m));
        dead_letter_values.push_back(m.payload() ? std::optional<std::string>(value)
                                                 : std::nullopt);
      } else {
        alerts.push_back(nlohmann::json::parse(value));
        alert_keys.push_back(m.key() ? *m.key() : "");
        alert_headers.push_back(HeaderMap(m));
      }
    });
  }
  // True when every expected fingerprint has been alerted (others may be too:
  // duplicates, or earlier tests' alerts on a shared broker).
  bool HasAll(const std::set<std::string>& expected) const {
    const auto have = Fingerprints();
    return std::includes(have.begin(), have.end(), expected.begin(), expected.end());
  }
  std::set<std::string> Fingerprints() const {
    std::set<std::string> out;
    for (const auto& a : alerts) out.insert(a["fingerprint"].get<std::string>());
    return out;
  }

  std::vector<nlohmann::json> alerts;
  std::vector<std::string> alert_keys;
  std::vector<std::map<std::string, std::string>> alert_headers;
  std::vector<std::map<std::string, std::string>> dead_letters;
  std::vector<std::optional<std::string>> dead_letter_values;  // nullopt: a null value

 private:
  TopicWatcher watcher_;
};

// `leakd serve` as a child process.
// `leakd serve` as a child process, with the tests' settings before `extra`.
class Daemon : public ChildProcess {
 public:
  // `log_file`: where the child's stderr (its JSON logs) goes; "" = inherit.
  Daemon(const std::string& brokers, const std::string& group, std::vector<std::string> extra = {},
         const std::string& log_file = "")
      : ChildProcess(Args(brokers, group, std::move(extra)), log_file) {}

 private:
  static std::vector<std::string> Args(const std::string& brokers, const std::string& group,
                                       std::vector<std::string> extra) {
    std::vector<std::string> args = {
        LEAKD_BINARY, "serve", "--brokers", brokers, "--group", group, "--set",
        std::string("rules=") + LEAKD_TEST_PATTERNS, "--set", "workers=2", "--set",
        "commit_interval_ms=50", "--set", "consumer.session.timeout.ms=6000", "--set",
        "consumer.heartbeat.interval.ms=500", "--set", "log_level=warn",
        // several daemons per test: no shared metrics port
        "--set", "metrics_address=127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
};

}  // namespace leakd::testing
