// The streaming daemon against librdkafka's mock cluster: the contract of each
// record, hostile input, chunked uploads, and no alert lost across a SIGKILL,
// a member leaving the group, injected broker errors and a broker outage.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "alert/alert.h"
#include "ingest/decode_error.h"
#include "ingest/gzip.h"
#include "kafka_fixture.h"
#include "rules/rule_set.h"
#include "scan/fingerprint.h"

using namespace leakd;
using namespace leakd::testing;
using namespace std::chrono_literals;

namespace {
void PushCommit(RecordProducer& p, const std::string& repo, const std::string& token) {
  p.Produce(
      {"leakd.commits", repo, CommitEventJson(repo, "app.py", "TOKEN = \"" + token + "\""), {}},
      nullptr);
}
struct DeadLetter {
  std::map<std::string, std::string> headers;
  std::optional<std::string> value;
};

// Pushes `value` to leakd.commits, makes the broker refuse the next
// `refusals` produce requests with `error`, then starts a daemon (so that its
// producer meets them) and returns the first dead letter it parks. The daemon
// must then stop with everything committed.
DeadLetter FirstDeadLetterThrough(const std::string& value, int refusals,
                                  RdKafka::ErrorCode error) {
  Broker broker;
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  pusher.Produce({"leakd.commits", "bad", value, {}}, nullptr);
  REQUIRE(pusher.Flush(20s));
  broker.broker.InjectErrors(kafka_api::kProduce, refusals, error);
  Daemon daemon(broker.bootstraps(), NewGroup());
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return !reader.dead_letters.empty(); }, 60s));
  CHECK(daemon.Kill(SIGTERM) == 0);  // committed: nothing left in flight
  return {reader.dead_letters[0], reader.dead_letter_values[0]};
}

}  // namespace

TEST_CASE("a pushed secret becomes one v1 alert keyed by its issuer", "[daemon]") {
  Broker broker;
  Daemon daemon(broker.bootstraps(), NewGroup());
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  const std::string token = UniqueGithubToken();
  PushCommit(pusher, "org/repo", token);
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return reader.alerts.size() >= 1; }, 30s));
  const auto& a = reader.alerts[0];
  CHECK(a["schema"] == "leakd.alert.v1");
  CHECK(a["token"] == token);
  CHECK(a["type"] == "github.pat");
  CHECK(a["source"] == "commit");
  CHECK(a["provider"] == "github");
  CHECK(a["fingerprint"] == Sha256Hex(token));
  CHECK(a["repo"] == "org/repo");
  CHECK(a["path"] == "app.py");
  CHECK(a["line"] == 2);  // the added line's number in the new file
  CHECK(a["column"] == 10);
  CHECK(a["origin"]["topic"] == "leakd.commits");
  CHECK(reader.alert_keys[0] == "github");
  CHECK(daemon.Kill(SIGTERM) == 0);  // graceful: drain, flush, commit, exit 0
}

TEST_CASE("a token under a 2 MB path is alerted, the path clipped: no pusher can hide a token",
          "[daemon]") {
  // Unclipped, the alert would be over the producer's 1 MB limit: refused,
  // parked without its value, and never seen by a revocation service.
  Broker broker;
  Daemon daemon(broker.bootstraps(), NewGroup());
  RecordProducer pusher(
      {{"bootstrap.servers", broker.bootstraps()}, {"message.max.bytes", "4000000"}});
  const std::string token = UniqueGithubToken();
  const std::string path = std::string(2 << 20, 'd') + "/app.py";
  pusher.Produce({"leakd.commits", "long", CommitEventJson("org/long", path, "T=" + token), {}},
                 nullptr);
  REQUIRE(pusher.Flush(30s));
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll({Sha256Hex(token)}); }, 60s));
  CHECK(reader.alerts[0]["token"] == token);
  CHECK(reader.alerts[0]["path"] == ClipText(path));
  CHECK(reader.dead_letters.empty());
  CHECK(daemon.Kill(SIGTERM) == 0);
}

TEST_CASE("secrets never appear in the daemon's logs", "[daemon]") {
  Broker broker;
  const std::string log_file = "/tmp/leakd-it-log-" + std::to_string(::getpid());
  Daemon daemon(broker.bootstraps(), NewGroup(), {"--set", "log_level=debug"}, log_file);
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  std::vector<std::string> tokens;
  for (int i = 0; i < 5; ++i) {
    tokens.push_back(UniqueGithubToken());
    PushCommit(pusher, "org/logs", tokens.back());
  }
  // A secret inside a message that is dead-lettered must not leak either.
  const std::string in_bad = UniqueGithubToken();
  pusher.Produce({"leakd.commits", "bad", "{\"repo\": \"" + in_bad + "\", \"files\": [", {}},
                 nullptr);
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil(
      [&] { return reader.alerts.size() >= 5 && !reader.dead_letters.empty(); }, 30s));
  CHECK(daemon.Kill(SIGTERM) == 0);
  std::ifstream in(log_file);
  std::stringstream text;
  text << in.rdbuf();
  const std::string logs = text.str();
  CHECK(logs.find("\"event\":\"alert\"") != std::string::npos);  // the logs did record the alerts
  for (const auto& t : tokens) CHECK(logs.find(t.substr(4)) == std::string::npos);
  CHECK(logs.find(in_bad.substr(4)) == std::string::npos);
  std::istringstream lines(logs);
  for (std::string line; std::getline(lines, line);) {
    INFO(line);
    CHECK(nlohmann::json::accept(line));  // every line is a JSON object
  }
  std::remove(log_file.c_str());
}

TEST_CASE("hostile input is dead-lettered with a reason and the daemon carries on", "[daemon]") {
  Broker broker;
  Daemon daemon(broker.bootstraps(), NewGroup(), {"--set", "max_message_bytes=65536"});
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  std::string noise(4096, '\0');
  for (size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>(i * 131 + 7);
  pusher.Produce({"leakd.commits", "k1", "{\"repo\": \"a\", \"files\": [", {}}, nullptr);
  pusher.Produce(
      {"leakd.commits", "k2", R"({"repo":"a","files":[{"path":"x","content_b64":"!!!"}]})", {}},
      nullptr);
  pusher.Produce({"leakd.commits", "k3", noise, {}}, nullptr);
  pusher.Produce({"leakd.commits", "k4", std::string(200000, 'a'), {}}, nullptr);
  const std::string gz = GzipCompress(std::string(10000, 'x'));
  pusher.Produce({"leakd.uploads",
                  "k5",
                  gz.substr(0, gz.size() / 2),
                  {{"repo", "a"}, {"path", "f"}, {"content-encoding", "gzip"}}},
                 nullptr);
  pusher.Produce({"leakd.uploads", "k6", "no headers", {}}, nullptr);
  const std::string token = UniqueGithubToken();
  PushCommit(pusher, "org/after", token);

  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil(
      [&] { return reader.dead_letters.size() >= 6 && !reader.alerts.empty(); }, 30s));
  std::multiset<std::string> reasons;
  for (auto& h : reader.dead_letters) {
    reasons.insert(h["leakd-error"]);
    CHECK(h["leakd-origin"].rfind("leakd.", 0) == 0);
  }
  CHECK(reasons == std::multiset<std::string>{"invalid-json", "bad-base64", "invalid-json",
                                              "message-too-large", "truncated-gzip", "bad-header"});
  CHECK(reader.alerts[0]["fingerprint"] == Sha256Hex(token));
  CHECK(daemon.Kill(SIGTERM) == 0);
}

TEST_CASE("a secret split across the chunks of an upload is alerted once", "[daemon]") {
  Broker broker;
  Daemon daemon(broker.bootstraps(), NewGroup());
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  const std::string token = UniqueGithubToken();
  const std::string text = "weights: []\nauth: " + token + "\n";
  const size_t cut = text.find(token) + 17;
  pusher.Produce({"leakd.uploads",
                  "u1",
                  text.substr(0, cut),
                  {{"repo", "org/m"}, {"path", "cfg"}, {"upload-id", "u1"}, {"chunk", "0"}}},
                 nullptr);
  pusher.Produce({"leakd.uploads",
                  "u1",
                  text.substr(cut),
                  {{"repo", "org/m"},
                   {"path", "cfg"},
                   {"upload-id", "u1"},
                   {"chunk", "1"},
                   {"final", "true"}}},
                 nullptr);
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return !reader.alerts.empty(); }, 30s));
  reader.ReadUntil([] { return false; }, 2s);  // nothing more should come
  REQUIRE(reader.alerts.size() == 1);
  CHECK(reader.alerts[0]["source"] == "upload");
  CHECK(reader.alerts[0]["line"] == 2);
  CHECK(reader.alerts[0]["fingerprint"] == Sha256Hex(token));
  daemon.Kill(SIGTERM);
}

TEST_CASE("no alert is lost when the daemon is SIGKILLed mid-stream and restarted",
          "[daemon][delivery]") {
  Broker broker;
  const std::string group = NewGroup();
  Traffic traffic(broker.bootstraps());
  Reader reader(broker.bootstraps());
  auto daemon = std::make_unique<Daemon>(broker.bootstraps(), group);
  traffic.Push(100);
  reader.ReadUntil([&] { return reader.alerts.size() >= 20; }, 30s);
  daemon->Kill(SIGKILL);  // no drain, no final commit
  daemon = std::make_unique<Daemon>(broker.bootstraps(), group);
  traffic.Push(100);
  traffic.pusher.Flush(10s);
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 60s));
  CHECK(reader.alerts.size() >= traffic.expected.size());  // duplicates allowed, losses not
  daemon->Kill(SIGTERM);
}

TEST_CASE("no alert is lost when one of two daemons in a group leaves", "[daemon][delivery]") {
  Broker broker;
  const std::string group = NewGroup();
  Traffic traffic(broker.bootstraps());
  Reader reader(broker.bootstraps());
  Daemon first(broker.bootstraps(), group);
  auto second = std::make_unique<Daemon>(broker.bootstraps(), group);
  traffic.Push(75, 10ms);
  CHECK(second->Kill(SIGTERM) == 0);  // leaves: its partitions move to `first`
  traffic.Push(75, 10ms);
  traffic.pusher.Flush(10s);
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 60s));
  first.Kill(SIGTERM);
}

TEST_CASE("no alert is lost through produce errors and a broker outage", "[daemon][delivery]") {
  Broker broker;
  Daemon daemon(broker.bootstraps(), NewGroup());
  Traffic traffic(broker.bootstraps());
  Reader reader(broker.bootstraps());
  traffic.Push(10);
  traffic.pusher.Flush(20s);
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 30s));
  // Produce (API key 0) fails with retriable errors: NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT.
  broker.broker.InjectErrors(kafka_api::kProduce, 5, 6);
  broker.broker.InjectErrors(kafka_api::kProduce, 5, 7);
  traffic.Push(10);
  traffic.pusher.Flush(20s);
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 30s));
  broker.broker.SetBrokerUp(1, false);
  std::thread outage([&] {
    std::this_thread::sleep_for(3s);
    broker.broker.SetBrokerUp(1, true);
  });
  traffic.Push(10);
  outage.join();
  traffic.pusher.Flush(20s);
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 60s));
  CHECK(daemon.Kill(SIGTERM) == 0);
}

TEST_CASE("no alert is lost when the alert producer fails for good", "[daemon][delivery]") {
  // OUT_OF_ORDER_SEQUENCE_NUMBER puts librdkafka's idempotent producer in its
  // fatal state: it refuses every record after it. The commits are pushed
  // first, so that the daemon's producer is the one that meets the error.
  Broker broker;
  Traffic traffic(broker.bootstraps());
  traffic.Push(10);
  REQUIRE(traffic.pusher.Flush(20s));
  broker.broker.InjectErrors(kafka_api::kProduce, 1, RdKafka::ERR_OUT_OF_ORDER_SEQUENCE_NUMBER);
  const int port = FreePort();
  Daemon daemon(broker.bootstraps(), NewGroup(),
                {"--set", "metrics_address=127.0.0.1:" + std::to_string(port)});
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 60s));
  traffic.Push(10);  // the new client goes on
  REQUIRE(traffic.pusher.Flush(20s));
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 30s));
  std::this_thread::sleep_for(500ms);  // gauges refresh every commit interval
  const std::string scrape = HttpGet(port, "/metrics").second;
  CHECK(scrape.find("leakd_producer_replacements_total 1\n") != std::string::npos);
  CHECK(scrape.find("leakd_records_rejected_total{") == std::string::npos);  // none refused
  CHECK(daemon.Kill(SIGTERM) == 0);
}

TEST_CASE("a dead letter is held, not lost, while the dead-letter topic refuses it",
          "[daemon][delivery]") {
  // 10 KB of invalid JSON: the record, then its shrunk form (the value left
  // out), then four retries of that are refused (TOPIC_AUTHORIZATION_FAILED).
  // The daemon is started after the push so that its producer meets them.
  auto parked =
      FirstDeadLetterThrough(std::string(10000, '{'), 6, RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED);
  CHECK(parked.headers["leakd-error"] == "invalid-json");
  CHECK(parked.headers["leakd-original-size"] == "10000");
  CHECK_FALSE(parked.value.has_value());  // shrunk: the value left out
}

TEST_CASE("a small dead letter refused for its size is parked shrunk, not retried for good",
          "[daemon][delivery]") {
  auto parked = FirstDeadLetterThrough("{\"repo\": ", 1, RdKafka::ERR_MSG_SIZE_TOO_LARGE);
  CHECK(parked.headers["leakd-error"] == "invalid-json");
  CHECK(parked.headers["leakd-original-size"] == "9");
  CHECK_FALSE(parked.value.has_value());
}

TEST_CASE("a parked alert is kept whole while the dead-letter topic refuses it",
          "[daemon][delivery]") {
  // The alert topic refuses the alert, then the dead-letter topic refuses
  // the parked alert three times: it is retried whole, token and all.
  Broker broker;
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  const std::string token = UniqueGithubToken();
  PushCommit(pusher, "org/parked", token);
  REQUIRE(pusher.Flush(20s));
  broker.broker.InjectErrors(kafka_api::kProduce, 4, RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED);
  Daemon daemon(broker.bootstraps(), NewGroup());
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil(
      [&] { return !reader.dead_letters.empty() || reader.HasAll({Sha256Hex(token)}); }, 60s));
  REQUIRE(reader.dead_letters.size() == 1);
  CHECK(reader.dead_letters[0]["leakd-error"] == "alert-rejected");
  REQUIRE(reader.dead_letter_values[0].has_value());
  CHECK(nlohmann::json::parse(*reader.dead_letter_values[0])["token"] == token);
  CHECK(daemon.Kill(SIGTERM) == 0);
}

TEST_CASE("metrics, health and readiness over HTTP; the scrape passes promtool and holds no secret",
          "[daemon][metrics]") {
  Broker broker;
  const int port = FreePort();
  Daemon daemon(broker.bootstraps(), NewGroup(),
                {"--set", "metrics_address=127.0.0.1:" + std::to_string(port)});
  // Ready once the group is joined and a broker is up (stats every 5 s).
  REQUIRE(WaitForStatus(port, "/readyz", 200, 30s));
  CHECK(HttpGet(port, "/healthz").first == 200);
  CHECK(HttpGet(port, "/nope").first == 404);

  Traffic traffic(broker.bootstraps());
  traffic.Push(5);
  RecordProducer bad({{"bootstrap.servers", broker.bootstraps()}});
  const std::string in_bad = UniqueGithubToken();
  bad.Produce({"leakd.commits", "bad", "{\"repo\": \"" + in_bad + "\"", {}}, nullptr);
  bad.Flush(10s);
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil(
      [&] { return reader.HasAll(traffic.expected) && !reader.dead_letters.empty(); }, 30s));
  std::this_thread::sleep_for(500ms);  // gauges refresh every commit interval

  const auto [status, scrape] = HttpGet(port, "/metrics");
  REQUIRE(status == 200);
  CHECK(scrape.find("leakd_alerts_produced_total{provider=\"github\"} 5") != std::string::npos);
  CHECK(
      scrape.find(
          "leakd_findings_total{confidence=\"checksum\",fixture=\"false\",provider=\"github\",rule="
          "\"github.pat\"} 5") != std::string::npos);
  CHECK(scrape.find("leakd_dead_letters_total{reason=\"invalid-json\"} 1") != std::string::npos);
  // Every other reason's series is there from the start, at 0: increase() over
  // a series that appears with its first event would miss that event.
  for (int e = static_cast<int>(DecodeError::kInvalidJson) + 1;
       e <= static_cast<int>(kLastDecodeError); ++e) {
    const std::string reason = DecodeErrorCode(static_cast<DecodeError>(e));
    INFO(reason);
    CHECK(scrape.find("leakd_dead_letters_total{reason=\"" + reason + "\"} 0\n") !=
          std::string::npos);
  }
  CHECK(scrape.find("leakd_messages_consumed_total{outcome=\"ok\",topic=\"leakd.commits\"} 5") !=
        std::string::npos);
  CHECK(scrape.find("leakd_push_to_alert_seconds_count 5") != std::string::npos);
  // The default set: the opt-in identifier tier is not compiled.
  const size_t rules =
      RuleSet::LoadFrom(LEAKD_TEST_PATTERNS).Without(Confidence::kIdentifier).size();
  CHECK(scrape.find("leakd_pattern_database_rules " + std::to_string(rules) + "\n") !=
        std::string::npos);
  CHECK(scrape.find("leakd_build_info{version=") != std::string::npos);
  for (const auto& fp : traffic.expected) CHECK(scrape.find(fp) == std::string::npos);
  CHECK(scrape.find(in_bad.substr(4)) == std::string::npos);

  const std::string file = "/tmp/leakd-scrape-" + std::to_string(::getpid());
  std::ofstream(file) << scrape;
  const int rc =
      std::system(("promtool check metrics < " + file + " > " + file + ".out 2>&1").c_str());
  std::ifstream lint(file + ".out");
  std::stringstream lint_text;
  lint_text << lint.rdbuf();
  INFO(lint_text.str());
  CHECK(WEXITSTATUS(rc) == 0);
  std::remove(file.c_str());
  std::remove((file + ".out").c_str());

  // The daemon's threads are named, so that `top -H` shows which one is busy.
  std::multiset<std::string> threads;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(daemon.pid()) + "/task")) {
    std::string name;
    std::getline(std::ifstream(task.path() / "comm"), name);
    threads.insert(name);
  }
  CHECK(threads.count("leakd-worker") >= 1);
  CHECK(threads.count("leakd-acks") == 1);
  CHECK(threads.count("leakd-http") == 1);
  CHECK(threads.count("leakd-reload") == 1);
  CHECK(daemon.Kill(SIGTERM) == 0);
}

TEST_CASE("the ignore file silences fingerprints and paths, counted by reason", "[daemon]") {
  Broker broker;
  const std::string silenced = UniqueGithubToken(), in_fixtures = UniqueGithubToken(),
                    alerted = UniqueGithubToken();
  const std::string ignore_file = "/tmp/leakd-it-ignore-" + std::to_string(::getpid());
  std::ofstream(ignore_file) << "# rotated already\nsha256:" << Sha256Hex(silenced).substr(0, 16)
                             << "\nvendor/fixtures/\n";
  const int port = FreePort();
  Daemon daemon(broker.bootstraps(), NewGroup(),
                {"--set", "ignore_file=" + ignore_file, "--set",
                 "metrics_address=127.0.0.1:" + std::to_string(port)});
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  pusher.Produce({"leakd.commits",
                  "org/ign",
                  CommitEventJson("org/ign", "src/a.py", "T = \"" + silenced + "\""),
                  {}},
                 nullptr);
  pusher.Produce({"leakd.commits",
                  "org/ign",
                  CommitEventJson("org/ign", "vendor/fixtures/b.py", "T = \"" + in_fixtures + "\""),
                  {}},
                 nullptr);
  pusher.Produce({"leakd.commits",
                  "org/ign",
                  CommitEventJson("org/ign", "src/c.py", "T = \"" + alerted + "\""),
                  {}},
                 nullptr);
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return reader.alerts.size() >= 1; }, 30s));
  std::string metrics;
  for (int i = 0; i < 100; ++i) {  // the ignored ones may be scanned after the alerted one
    metrics = HttpGet(port, "/metrics").second;
    if (metrics.find("leakd_findings_ignored_total{reason=\"path\"} 1") != std::string::npos &&
        metrics.find("leakd_findings_ignored_total{reason=\"fingerprint\"} 1") != std::string::npos)
      break;
    std::this_thread::sleep_for(100ms);
  }
  CHECK(metrics.find("leakd_findings_ignored_total{reason=\"fingerprint\"} 1") !=
        std::string::npos);
  CHECK(metrics.find("leakd_findings_ignored_total{reason=\"path\"} 1") != std::string::npos);
  reader.ReadUntil([] { return false; }, 2s);  // nothing else may arrive
  REQUIRE(reader.alerts.size() == 1);
  CHECK(reader.alerts[0]["token"] == alerted);
  CHECK(daemon.Kill(SIGTERM) == 0);
  std::remove(ignore_file.c_str());
}

TEST_CASE("identifiers are alerted only when the identifiers setting says true", "[daemon]") {
  // Only aws.yaml: a database of a few rules, compiled in a moment even under
  // ASan, with an identifier rule (aws.arn) and a credential rule in it.
  const std::filesystem::path rules_dir = "/tmp/leakd-it-identifiers-" + std::to_string(::getpid());
  std::filesystem::create_directories(rules_dir);
  std::filesystem::copy_file(std::filesystem::path(LEAKD_TEST_PATTERNS) / "aws.yaml",
                             rules_dir / "aws.yaml",
                             std::filesystem::copy_options::overwrite_existing);
  Broker broker;
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  const std::string key = "AKIA8PJI8A621VS9O8RV";
  pusher.Produce(
      {"leakd.commits",
       "org/ids",
       CommitEventJson("org/ids", "main.tf",
                       "role = \"arn:aws:iam::235437959624:role/ci\", key = \"" + key + "\""),
       {}},
      nullptr);
  REQUIRE(pusher.Flush(20s));
  Reader reader(broker.bootstraps());
  {
    Daemon by_default(broker.bootstraps(), NewGroup(), {"--set", "rules=" + rules_dir.string()});
    REQUIRE(reader.ReadUntil([&] { return reader.alerts.size() >= 1; }, 30s));
    reader.ReadUntil([] { return false; }, 2s);  // nothing else may arrive
    REQUIRE(reader.alerts.size() == 1);
    CHECK(reader.alerts[0]["type"] == "aws.access-key-id");
    CHECK(by_default.Kill(SIGTERM) == 0);
  }
  // A new group reads the commit again, with the identifier tier on.
  Daemon with_identifiers(broker.bootstraps(), NewGroup(),
                          {"--set", "rules=" + rules_dir.string(), "--set", "identifiers=true"});
  REQUIRE(reader.ReadUntil([&] { return reader.alerts.size() >= 3; }, 30s));
  std::map<std::string, std::string> confidence_by_type;
  for (size_t i = 1; i < reader.alerts.size(); ++i) {
    confidence_by_type[reader.alerts[i]["type"]] = reader.alerts[i]["confidence"];
  }
  CHECK(confidence_by_type["aws.arn"] == "identifier");
  CHECK(confidence_by_type["aws.access-key-id"] == "format");
  CHECK(with_identifiers.Kill(SIGTERM) == 0);
  std::filesystem::remove_all(rules_dir);
}

TEST_CASE("an unreadable ignore file is a start-up error", "[daemon]") {
  Broker broker;
  Daemon daemon(broker.bootstraps(), NewGroup(),
                {"--set", "ignore_file=/nonexistent/leakd-ignore", "--check-config"});
  std::chrono::milliseconds took{};
  CHECK(daemon.KillWithin(0, 20s, &took) == 2);  // signal 0: only waits for the exit
}
