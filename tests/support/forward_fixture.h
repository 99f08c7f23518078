// Fixtures for leakd forward's end-to-end tests: the mock cluster with the
// forwarder's topics and keys made at test time, the Python receiver
// (tests/forward/receiver.py) and its log, `leakd forward` as a child
// process, a pusher of alerts (plain and sealed) and a reader of the forward
// DLQ and leakd.revocations.
#pragma once

#include <sys/stat.h>

#include <fstream>
#include <random>

#include "common/base64.h"
#include "common/seal_key.h"
#include "kafka_fixture.h"
#include "test_keys.h"
#include "topic_watcher.h"

namespace leakd::testing {

// A temporary directory, a signing key and a seal key (made now).
struct ForwardKeys {
  std::string dir, signing_key_path, seal_key_path, key_identifier;
  SealKeyPair seal_key;

  ForwardKeys() {
    static int counter = 0;
    dir = "/tmp/leakd-forward-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    ::mkdir(dir.c_str(), 0700);
    PKey key = NewEcKey();
    signing_key_path = dir + "/forward-key.pem";
    std::ofstream(signing_key_path) << PrivatePem(key.get(), "PrivateKeyInfo");
    key_identifier = Sha256Hex(PublicDer(key.get()));
    std::string secret(32, '\0');
    std::random_device rd;
    for (auto& c : secret) c = static_cast<char>(rd());
    seal_key_path = dir + "/seal.key";
    std::ofstream(seal_key_path) << EncodeBase64(secret) << "\n";
    seal_key = ParseSealSecretKey(EncodeBase64(secret), "test seal key");
  }
  ~ForwardKeys() { std::system(("rm -rf '" + dir + "'").c_str()); }
};

// The mock cluster with the forwarder's topics, and the keys.
struct ForwardWorld : ForwardKeys {
  EmbeddedBroker broker{1};
  ForwardWorld() {
    broker.CreateTopic("leakd.alerts", 4);
    broker.CreateTopic("leakd.forward.dlq", 1);
    broker.CreateTopic("leakd.revocations", 1);
  }
};

// What the receiver wrote: requests received (tokens) and their replies.
struct ReceiverLog {
  std::map<int, std::vector<std::string>> received;
  std::map<int, int> replied;
  int bad_signatures = 0;
  std::set<std::string> key_identifiers;

  std::set<std::string> AllReceived() const {
    std::set<std::string> out;
    for (const auto& [n, tokens] : received) out.insert(tokens.begin(), tokens.end());
    return out;
  }
  // Tokens of requests after `after` that were answered 200.
  std::set<std::string> AcceptedAfter(int after) const {
    std::set<std::string> out;
    for (const auto& [n, tokens] : received) {
      auto it = replied.find(n);
      if (n > after && it != replied.end() && it->second == 200)
        out.insert(tokens.begin(), tokens.end());
    }
    return out;
  }
  std::set<std::string> Accepted() const { return AcceptedAfter(0); }
};

// A Python with the `cryptography` package: python3 on PATH, or Debian's
// (python3-cryptography, scripts/setup.sh) when PATH leads to another one.
inline std::string PythonWithCryptography() {
  static const std::string python =
      std::system("python3 -c 'import cryptography' >/dev/null 2>&1") == 0 ? "python3"
                                                                           : "/usr/bin/python3";
  return python;
}

// tests/forward/receiver.py as a child process.
class Receiver {
 public:
  Receiver(const std::string& dir, int forwarder_http_port, std::vector<std::string> extra,
           bool tls = false)
      : log_path_(dir + "/receiver.jsonl") {
    const std::string port_file = dir + "/receiver.port";
    std::vector<std::string> args = {
        "python3",
        LEAKD_RECEIVER,
        "--keys-url",
        "http://127.0.0.1:" + std::to_string(forwarder_http_port) + "/meta/public_keys",
        "--port-file",
        port_file,
        "--log",
        log_path_,
        "--max-seconds",
        "600"};
    args.insert(args.end(), extra.begin(), extra.end());
    process_ = std::make_unique<ChildProcess>(args, dir + "/receiver.out", true);
    Eventually(
        [&] {
          std::ifstream in(port_file);
          return static_cast<bool>(in >> port_) && port_ != 0;
        },
        std::chrono::seconds(tls ? 30 : 15), std::chrono::milliseconds(50));
  }
  ~Receiver() { process_->Kill(SIGTERM); }
  int port() const { return port_; }

  ReceiverLog Log() const {
    ReceiverLog log;
    std::ifstream in(log_path_);
    for (std::string line; std::getline(in, line);) {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_object()) continue;  // a line being written
      if (j["event"] == "received") {
        log.received[j["request"]] = j["tokens"].get<std::vector<std::string>>();
        log.key_identifiers.insert(j["key_identifier"].get<std::string>());
      } else if (j["event"] == "replied") {
        log.replied[j["request"]] = j["status"];
      } else if (j["event"] == "bad-signature") {
        ++log.bad_signatures;
      }
    }
    return log;
  }
  bool WaitFor(const std::function<bool(const ReceiverLog&)>& done,
               std::chrono::seconds timeout) const {
    return Eventually([&] { return done(Log()); }, timeout, std::chrono::milliseconds(50));
  }

 private:
  std::string log_path_;
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

// `leakd forward` as a child process.
// `leakd forward` as a child process, with the tests' settings before `settings`.
class ForwardProcess : public ChildProcess {
 public:
  ForwardProcess(const std::string& brokers, const std::string& group,
                 const std::vector<std::string>& settings, const std::string& log_file)
      : ChildProcess(Args(brokers, group, settings), log_file, true) {}

 private:
  static std::vector<std::string> Args(const std::string& brokers, const std::string& group,
                                       const std::vector<std::string>& settings) {
    std::vector<std::string> args = {LEAKD_BINARY, "forward",
                                     "--brokers",  brokers,
                                     "--group",    group,
                                     "--set",      "commit_interval_ms=50",
                                     "--set",      "consumer.session.timeout.ms=6000",
                                     "--set",      "consumer.heartbeat.interval.ms=500"};
    args.insert(args.end(), settings.begin(), settings.end());
    return args;
  }
};

// Pushes leakd.alert.v1 records: every third sealed for the world's seal key,
// providers alternating github / huggingface.
class AlertPusher {
 public:
  AlertPusher(const std::string& brokers, const SealKeyPair& seal_key)
      : producer_({{"bootstrap.servers", brokers}}), seal_key_(seal_key) {}

  // `reject_every`: every n-th token carries the receiver's REJECT marker (0: none).
  void Push(int n, int reject_every) {
    for (int i = 0; i < n; ++i) {
      ++count_;
      std::string token = UniqueGithubToken();
      if (reject_every && count_ % reject_every == 0) token += "REJECT";
      tokens.push_back(token);
      const std::string provider = count_ % 2 ? "github" : "huggingface";
      nlohmann::json alert = {
          {"schema", "leakd.alert.v1"},
          {"type", provider + ".token"},
          {"url", "https://example.test/o/r/blob/c/app.py#L" + std::to_string(count_)},
          {"source", "commit"},
          {"provider", provider},
          {"fingerprint", Sha256Hex(token)},
          {"redacted", Redact(token)},
          {"repo", "o/r"},
          {"path", "app.py"},
          {"line", count_}};
      if (count_ % 3 == 0) {
        alert["token_sealed"] = SealForKey(token, seal_key_.public_key);
        alert["seal_key_id"] = seal_key_.key_id;
      } else {
        alert["token"] = token;
      }
      producer_.Produce({"leakd.alerts", provider, alert.dump(), {}}, nullptr);
    }
    producer_.Flush(std::chrono::seconds(10));
  }
  std::vector<std::string> tokens;

 private:
  RecordProducer producer_;
  const SealKeyPair& seal_key_;
  int count_ = 0;
};

// Reads the forward DLQ and leakd.revocations from the beginning.
class TopicReader {
 public:
  TopicReader(const std::string& brokers, const std::vector<std::string>& topics,
              int partitions = 1)
      : watcher_(brokers, "forward-test-reader", WithPartitions(topics, partitions)) {}

  bool ReadUntil(const std::function<bool()>& done, std::chrono::seconds timeout) {
    return watcher_.ReadUntil(done, timeout, [this](RdKafka::Message& m) {
      const std::string value = ValueOf(m);
      raw += (m.key() ? *m.key() : "") + " " + value + "\n";
      const auto j = nlohmann::json::parse(value, nullptr, false);
      const char* id = m.topic_name() == "leakd.forward.dlq" ? "fingerprint" : "token_hash";
      if (!j.is_object() || !j.contains(id) || !j[id].is_string()) return;  // not ours
      (m.topic_name() == "leakd.forward.dlq" ? dlq : revocations)[j[id].get<std::string>()] = j;
    });
  }
  // Every token parked or labelled.
  bool Accounted(const std::vector<std::string>& tokens) const {
    std::set<std::string> fingerprints;
    for (const auto& t : tokens) fingerprints.insert(Sha256Hex(t));
    return AccountedFingerprints(fingerprints);
  }
  bool AccountedFingerprints(const std::set<std::string>& fingerprints) const {
    for (const auto& fp : fingerprints) {
      if (!dlq.count(fp) && !revocations.count(fp)) return false;
    }
    return true;
  }

  std::map<std::string, nlohmann::json> dlq, revocations;  // by fingerprint / token_hash
  std::string raw;                                         // every key and value read

 private:
  static std::vector<std::pair<std::string, int>> WithPartitions(
      const std::vector<std::string>& topics, int partitions) {
    std::vector<std::pair<std::string, int>> out;
    for (const auto& t : topics) out.emplace_back(t, partitions);
    return out;
  }
  TopicWatcher watcher_;
};

}  // namespace leakd::testing
