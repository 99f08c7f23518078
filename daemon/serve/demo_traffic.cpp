#include "serve/demo_traffic.h"

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "common/base64.h"
#include "ingest/gzip.h"
#include "kafka/record_producer.h"
#include "scan/validators.h"

namespace leakd {
namespace {

std::string Random(std::mt19937& rng, const std::string& alphabet, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += alphabet[rng() % alphabet.size()];
  return s;
}

struct DemoSecrets {
  std::string github, hf, stripe, anthropic, slack;
};

// Fresh tokens in each issuer's format (a valid checksum where there is one),
// so that the demo never sends a real credential and never repeats one.
DemoSecrets MakeDemoSecrets(std::mt19937& rng) {
  const std::string alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const std::string letters = alnum.substr(0, 52);
  const std::string slack_id = "ABCDEFGHJK0123456789";
  DemoSecrets s;
  s.github = GithubStyleToken("ghp_", Random(rng, alnum, 30));
  s.hf = "hf_" + Random(rng, letters, 34);
  s.stripe = "sk_live_" + Random(rng, alnum, 24);
  s.anthropic = "sk-ant-api03-" + Random(rng, alnum + "_-", 93) + "AA";
  s.slack = "https://hooks.slack.com/services/T" + Random(rng, slack_id, 9) + "/B" +
            Random(rng, slack_id, 9) + "/" + Random(rng, alnum, 24);
  return s;
}

// Watches the alert and dead-letter topics without joining a group: every
// partition assigned from the start.
std::unique_ptr<RdKafka::KafkaConsumer> Watch(const ServeConfig& config) {
  auto conf = MakeKafkaConf({{"bootstrap.servers", config.brokers},
                             {"group.id", "leakd-demo-watch"},
                             {"enable.auto.commit", "false"},
                             {"fetch.wait.max.ms", "5"}});
  std::string err;
  std::unique_ptr<RdKafka::KafkaConsumer> watch(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!watch) throw KafkaError("demo watcher: " + err);
  std::vector<RdKafka::TopicPartition*> parts;
  for (int p = 0; p < 4; ++p) {
    parts.push_back(
        RdKafka::TopicPartition::create(config.alerts_topic, p, RdKafka::Topic::OFFSET_BEGINNING));
  }
  parts.push_back(
      RdKafka::TopicPartition::create(config.dlq_topic, 0, RdKafka::Topic::OFFSET_BEGINNING));
  watch->assign(parts);
  RdKafka::TopicPartition::destroy(parts);
  return watch;
}

// A commit event of the demo's repository, in the contract's shape.
void PushDemoCommit(const ServeConfig& config, RecordProducer& producer, const std::string& commit,
                    const char* pushed_at, nlohmann::json files) {
  const nlohmann::json event = {{"repo", "acme/demo-model"}, {"commit", commit},
                                {"ref", "refs/heads/main"},  {"pusher", "alice"},
                                {"pushed_at", pushed_at},    {"files", std::move(files)}};
  producer.Produce({config.commits_topic, "acme/demo-model", event.dump(), {}}, nullptr);
}

// 0. A push without secrets, waited for until the daemon has consumed it.
// The first records after a start carry the start of this client (finding
// the partitions' leaders, connecting: a record's timestamp is taken when it
// is produced) and of the daemon's fetchers (each new partition's start
// offset is looked up first): up to a second. The alerts printed after it
// show the steady state; `leakd_serve_bench --only=first` measures a cold start.
void WarmUp(const ServeConfig& config, RecordProducer& producer,
            const std::function<uint64_t()>& consumed) {
  const auto start = std::chrono::steady_clock::now();
  const uint64_t before = consumed();
  producer.Prepare({config.commits_topic, config.uploads_topic});
  PushDemoCommit(config, producer, std::string(40, '0'), "2026-11-25T11:59:00Z",
                 {{{"path", "README.md"}, {"patch", "@@ -1 +1 @@\n-# Demo\n+# Demo model\n"}}});
  producer.Flush(std::chrono::milliseconds(5000));
  while (consumed() == before &&
         std::chrono::steady_clock::now() < start + std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  std::printf("demo: a push without secrets, consumed %lld ms after it was sent (cold start)\n",
              static_cast<long long>(took.count()));
}

// 1. A push: a patch that adds two tokens, and a config file added whole.
// 2. A malformed event: parked on the dead-letter topic, the daemon carries on.
void PushCommits(const ServeConfig& config, const DemoSecrets& s, std::mt19937& rng,
                 RecordProducer& producer, DemoResult* result) {
  PushDemoCommit(
      config, producer, Random(rng, "0123456789abcdef", 40), "2026-11-25T12:00:00Z",
      {{{"path", "train.py"},
        {"patch", "@@ -1,3 +1,5 @@\n import os\n-token = os.environ['HF_TOKEN']\n+token = \"" +
                      s.hf + "\"\n+gh = \"" + s.github + "\"\n def main():\n"}},
       {{"path", "config/alerts.yaml"},
        {"content_b64", EncodeBase64("channel: ops\nwebhook: " + s.slack + "\n")}}});
  result->expected_alerts += 3;
  producer.Produce(
      {config.commits_topic, "acme/broken", "{\"repo\": \"acme/broken\", \"files\": [", {}},
      nullptr);
  result->expected_dead_letters += 1;
}

// 3. A gzip-compressed upload in one message.
// 4. A chunked upload whose secret straddles two chunks.
void PushUploads(const ServeConfig& config, const DemoSecrets& s, std::mt19937& rng,
                 RecordProducer& producer, DemoResult* result) {
  producer.Produce({config.uploads_topic,
                    "acme/shop",
                    GzipCompress("STRIPE_SECRET_KEY=" + s.stripe + "\n"),
                    {{"repo", "acme/shop"}, {"path", "deploy/.env"}, {"content-encoding", "gzip"}}},
                   nullptr);
  result->expected_alerts += 1;
  const std::string notebook =
      std::string(2000, '#') + "\nclient = Anthropic(api_key=\"" + s.anthropic + "\")\n";
  const size_t cut = notebook.find(s.anthropic) + 40;
  const std::string id = "up-" + Random(rng, "abcdefghijklmnopqrstuvwxyz0123456789", 8);
  const std::vector<std::string> chunks = {notebook.substr(0, cut), notebook.substr(cut)};
  for (size_t i = 0; i < chunks.size(); ++i) {
    std::vector<std::pair<std::string, std::string>> headers = {{"repo", "acme/notebooks"},
                                                                {"path", "analysis.ipynb"},
                                                                {"upload-id", id},
                                                                {"chunk", std::to_string(i)}};
    if (i + 1 == chunks.size()) headers.emplace_back("final", "true");
    producer.Produce({config.uploads_topic, id, chunks[i], headers}, nullptr);
  }
  result->expected_alerts += 1;
}

void PrintDeadLetter(RdKafka::Message& m) {
  std::string reason;
  if (const auto* headers = m.headers()) {
    for (const auto& h : headers->get("leakd-error")) {
      reason.assign(static_cast<const char*>(h.value()), h.value_size());
    }
  }
  std::printf("dead letter  reason=%s  key=%s\n", reason.c_str(), m.key() ? m.key()->c_str() : "");
}

void PrintAlert(const RdKafka::Message& m) {
  const auto a =
      nlohmann::json::parse(std::string_view(static_cast<const char*>(m.payload()), m.len()));
  // The alert record's own timestamp (set when leakd produced it) minus the
  // pushed message's: the time leakd took, without this watcher's delays.
  const int64_t latency = m.timestamp().timestamp - a["origin"]["timestamp_ms"].get<int64_t>();
  std::printf("ALERT  %-28s %-10s %-22s %s:%s:%s  push->alert %lld ms\n",
              a["rule"].get<std::string>().c_str(), a["confidence"].get<std::string>().c_str(),
              a["redacted"].get<std::string>().c_str(), a["repo"].get<std::string>().c_str(),
              a["path"].get<std::string>().c_str(), std::to_string(a["line"].get<int>()).c_str(),
              static_cast<long long>(latency));
}

}  // namespace

DemoResult RunDemoTraffic(const ServeConfig& config, uint64_t timeout_ms,
                          const std::function<uint64_t()>& consumed) {
  std::mt19937 rng(std::random_device{}());
  const DemoSecrets secrets = MakeDemoSecrets(rng);
  auto watch = Watch(config);
  RecordProducer producer({{"bootstrap.servers", config.brokers}});
  WarmUp(config, producer, consumed);
  DemoResult result;
  PushCommits(config, secrets, rng, producer, &result);
  PushUploads(config, secrets, rng, producer, &result);
  producer.Flush(std::chrono::milliseconds(10000));
  std::printf(
      "demo: pushed 1 commit (3 secrets), 1 malformed event, 1 gzip upload, 1 chunked upload\n");
  std::fflush(stdout);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!result.complete() && std::chrono::steady_clock::now() < deadline) {
    std::unique_ptr<RdKafka::Message> m(watch->consume(100));
    if (m->err() != RdKafka::ERR_NO_ERROR) continue;
    if (m->topic_name() == config.dlq_topic) {
      PrintDeadLetter(*m);
      ++result.dead_letters;
    } else {
      PrintAlert(*m);
      ++result.alerts;
    }
    std::fflush(stdout);
  }
  watch->close();
  std::printf("demo: %d of %d alerts, %d of %d dead letters\n", result.alerts,
              result.expected_alerts, result.dead_letters, result.expected_dead_letters);
  return result;
}

}  // namespace leakd
