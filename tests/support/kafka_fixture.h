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
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "free_port.h"
#include "kafka/embedded_broker.h"
#include "kafka/record_producer.h"
#include "scan/fingerprint.h"
#include "scan/validators.h"

namespace leakd::testing {

// A plain HTTP/1.1 GET on 127.0.0.1: (status, body); status 0 when nothing answers.
inline std::pair<int, std::string> HttpGet(int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return {0, ""};
  }
  const std::string request =
      "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  ::send(fd, request.data(), request.size(), 0);
  std::string response;
  char buf[4096];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
    response.append(buf, static_cast<size_t>(n));
  ::close(fd);
  const size_t space = response.find(' ');
  const size_t body = response.find("\r\n\r\n");
  if (space == std::string::npos || body == std::string::npos) return {0, ""};
  return {std::atoi(response.c_str() + space + 1), response.substr(body + 4)};
}

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
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (HttpGet(port, path).first == status) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
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
  explicit Reader(const std::string& brokers, int dlq_partitions = 1) {
    auto conf = MakeKafkaConf({{"bootstrap.servers", brokers},
                               {"group.id", "test-reader"},
                               {"enable.auto.commit", "false"},
                               {"fetch.wait.max.ms", "5"}});
    std::string err;
    consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
    std::vector<RdKafka::TopicPartition*> parts;
    for (int p = 0; p < 4; ++p)
      parts.push_back(
          RdKafka::TopicPartition::create("leakd.alerts", p, RdKafka::Topic::OFFSET_BEGINNING));
    for (int p = 0; p < dlq_partitions; ++p) {
      parts.push_back(
          RdKafka::TopicPartition::create("leakd.dlq", p, RdKafka::Topic::OFFSET_BEGINNING));
    }
    consumer_->assign(parts);
    RdKafka::TopicPartition::destroy(parts);
  }
  ~Reader() { consumer_->close(); }

  // Reads until `done()` holds or the timeout passes; true if it held.
  bool ReadUntil(const std::function<bool()>& done, std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::unique_ptr<RdKafka::Message> m(consumer_->consume(50));
      if (m->err() != RdKafka::ERR_NO_ERROR) continue;
      const std::string value =
          m->payload() ? std::string(static_cast<const char*>(m->payload()), m->len()) : "";
      if (m->topic_name() == "leakd.dlq") {
        std::map<std::string, std::string> headers;
        if (auto* h = m->headers()) {
          for (const auto& x : h->get_all())
            headers[x.key()] = std::string(static_cast<const char*>(x.value()), x.value_size());
        }
        dead_letters.push_back(headers);
        dead_letter_values.push_back(m->payload() ? std::optional<std::string>(value)
                                                  : std::nullopt);
      } else {
        alerts.push_back(nlohmann::json::parse(value));
        alert_keys.push_back(m->key() ? *m->key() : "");
        std::map<std::string, std::string> headers;
        if (auto* h = m->headers()) {
          for (const auto& x : h->get_all())
            headers[x.key()] = std::string(static_cast<const char*>(x.value()), x.value_size());
        }
        alert_headers.push_back(std::move(headers));
      }
    }
    return true;
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
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
};

// `leakd serve` as a child process.
class Daemon {
 public:
  // `log_file`: where the child's stderr (its JSON logs) goes; "" = inherit.
  Daemon(const std::string& brokers, const std::string& group, std::vector<std::string> extra = {},
         const std::string& log_file = "") {
    std::vector<std::string> args = {
        LEAKD_BINARY, "serve", "--brokers", brokers, "--group", group, "--set",
        std::string("rules=") + LEAKD_TEST_PATTERNS, "--set", "workers=2", "--set",
        "commit_interval_ms=50", "--set", "consumer.session.timeout.ms=6000", "--set",
        "consumer.heartbeat.interval.ms=500", "--set", "log_level=warn",
        // several daemons per test: no shared metrics port
        "--set", "metrics_address=127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = fork();
    if (pid_ == 0) {
      if (!log_file.empty()) {
        const int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd, 2);
      }
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Daemon() {
    if (pid_ > 0) Kill(SIGKILL);
  }
  pid_t pid() const { return pid_; }
  // Sends `signal` and waits at most `limit`; returns the exit status (or
  // 128+signal), or -1 if it had not exited by then (it is SIGKILLed then).
  int KillWithin(int signal, std::chrono::milliseconds limit, std::chrono::milliseconds* took) {
    const auto start = std::chrono::steady_clock::now();
    ::kill(pid_, signal);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() - start > limit) return -1;  // destructor kills
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    *took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  start);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  // Sends `signal` and waits; returns the exit status (or 128+signal).
  int Kill(int signal) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
};

}  // namespace leakd::testing
