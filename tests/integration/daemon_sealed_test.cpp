// Sealed mode on the mock cluster, tested by planting tokens: commits, whole
// and chunked uploads, an alert the broker refuses (parked on the DLQ), an
// upload cut by a chunk gap. No alert, log line, metric or dead letter the
// daemon derives carries a planted token in plain text; unsealing the alerts
// with `leakd unseal` gives back exactly the planted tokens.
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/base64.h"
#include "common/seal_key.h"
#include "ingest/upload_headers.h"
#include "kafka_fixture.h"
#include "scan/engine_config.h"
#include "scan/scanner.h"
#include "seal_test_support.h"

using namespace leakd;
using namespace leakd::testing;
using namespace std::chrono_literals;

namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

MessageHeaders Chunk(const std::string& id, int n, bool final) {
  MessageHeaders h = {
      {"repo", "org/m"}, {"path", "cfg-" + id}, {"upload-id", id}, {"chunk", std::to_string(n)}};
  if (final) h.emplace_back("final", "true");
  return h;
}

// Every planted token, and where the test looks for it.
struct Planted {
  std::vector<std::string> tokens;
  // A new token the rules detect (about one generated token in 5,000 is not
  // reported by the scanner at all; see daemon_reload_test.cpp).
  const std::string& Add() {
    static Scanner scanner(LoadEngine({LEAKD_TEST_PATTERNS, "", true, false}));
    std::string token;
    for (std::vector<Finding> found; found.empty();) {
      token = UniqueGithubToken();
      scanner.Scan("auth: " + token + "\n", &found);
    }
    tokens.push_back(token);
    return tokens.back();
  }
  // Fails the test for each token found in `text`.
  void CheckAbsent(const std::string& text, const std::string& where) const {
    for (const auto& t : tokens) {
      INFO(where << " must not carry " << t.substr(0, 8) << "…");
      CHECK(text.find(t.substr(4)) == std::string::npos);  // not even without its prefix
    }
  }
};

// Pushes every kind of message that yields a sealed alert.
void PlantTokens(RecordProducer& p, Planted* planted) {
  for (int i = 0; i < 5; ++i) {
    const std::string repo = "org/c" + std::to_string(i);
    p.Produce({"leakd.commits",
               repo,
               CommitEventJson(repo, "app.py", "TOKEN = \"" + planted->Add() + "\""),
               {}},
              nullptr);
  }
  p.Produce({"leakd.uploads",
             "w",
             "key: " + planted->Add() + "\n",
             {{"repo", "org/m"}, {"path", "whole.txt"}}},
            nullptr);
  const std::string split = "auth: " + planted->Add() + "\n";
  p.Produce({"leakd.uploads", "s", split.substr(0, 20), Chunk("s", 0, false)}, nullptr);
  p.Produce({"leakd.uploads", "s", split.substr(20), Chunk("s", 1, true)}, nullptr);
  // A chunk gap: chunk 0 is scanned (an alert), chunk 2 is dead-lettered.
  p.Produce({"leakd.uploads", "g", "auth: " + planted->Add() + "\n", Chunk("g", 0, false)},
            nullptr);
  p.Produce({"leakd.uploads", "g", "more text\n", Chunk("g", 2, true)}, nullptr);
}

}  // namespace

TEST_CASE("sealed mode: no alert, log line, metric or dead letter carries a planted token",
          "[daemon][sealed]") {
  Broker broker;
  const SealKeyPair key = NewSealKeyPair();
  const std::string dir = "/tmp/leakd-sealed-" + std::to_string(::getpid());
  std::system(("mkdir -p " + dir).c_str());
  std::ofstream(dir + "/seal.key") << EncodeBase64(key.secret_key) << "\n";
  Planted planted;
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  // The first alert the daemon produces is refused for good: parked on the DLQ.
  const std::string rejected = planted.Add();
  pusher.Produce(
      {"leakd.commits", "rej", CommitEventJson("org/rej", "a.py", "T = \"" + rejected + "\""), {}},
      nullptr);
  REQUIRE(pusher.Flush(10s));
  broker.broker.InjectErrors(kafka_api::kProduce, 1, RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED);
  const int port = FreePort();
  Daemon daemon(
      broker.bootstraps(), NewGroup(),
      {"--set", "token_mode=sealed", "--set", "seal_public_key=" + EncodeBase64(key.public_key),
       "--set", "log_level=debug", "--set", "metrics_address=127.0.0.1:" + std::to_string(port)},
      dir + "/daemon.log");
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return !reader.dead_letters.empty(); }, 30s));
  // After the refusal librdkafka holds the topic in error until it has looked
  // it up again (a second or so): alerts produced meanwhile are refused and
  // parked too. A probe commit at a time, until one gets through.
  size_t parked_probes = 0;
  for (int attempt = 0; attempt < 50; ++attempt) {
    const size_t alerts = reader.alerts.size(), parked = reader.dead_letters.size();
    const std::string probe = planted.Add();
    pusher.Produce({"leakd.commits",
                    "probe",
                    CommitEventJson("org/probe", "p.py", "T = \"" + probe + "\""),
                    {}},
                   nullptr);
    REQUIRE(pusher.Flush(10s));
    REQUIRE(reader.ReadUntil(
        [&] { return reader.alerts.size() > alerts || reader.dead_letters.size() > parked; }, 30s));
    if (reader.alerts.size() > alerts) break;
    ++parked_probes;
    std::this_thread::sleep_for(200ms);
  }
  PlantTokens(pusher, &planted);
  REQUIRE(pusher.Flush(10s));
  const size_t want_alerts = planted.tokens.size() - 1 - parked_probes;  // all but the parked
  REQUIRE(reader.ReadUntil(
      [&] {
        return reader.alerts.size() >= want_alerts &&
               reader.dead_letters.size() >= 2 + parked_probes;
      },
      30s));
  reader.ReadUntil([] { return false; }, 1s);  // anything late
  const std::string scrape = HttpGet(port, "/metrics").second;
  CHECK(scrape.find("leakd_alerts_produced_total{provider=\"github\"} " +
                    std::to_string(want_alerts)) != std::string::npos);
  CHECK(daemon.Kill(SIGTERM) == 0);

  // Alerts: sealed to our key, no token field, no token anywhere in the record.
  std::string alerts_text;
  for (const auto& a : reader.alerts) {
    CHECK_FALSE(a.contains("token"));
    CHECK(a["seal_key_id"] == key.key_id);
    alerts_text += a.dump() + "\n";
  }
  planted.CheckAbsent(alerts_text, "an alert");
  // Dead letters: the parked alerts (sealed) and the gap chunk, values and headers.
  std::multiset<std::string> reasons;
  std::string parked;
  for (size_t i = 0; i < reader.dead_letters.size(); ++i) {
    reasons.insert(reader.dead_letters[i]["leakd-error"]);
    std::string record = reader.dead_letter_values[i].value_or("");
    for (const auto& [name, value] : reader.dead_letters[i]) record += "\n" + name + ": " + value;
    planted.CheckAbsent(record, "a dead letter");
    if (reader.dead_letters[i]["leakd-error"] == "alert-rejected")
      parked += reader.dead_letter_values[i].value_or("") + "\n";
  }
  CHECK(reasons.count("alert-rejected") == 1 + parked_probes);
  CHECK(reasons.count("chunk-gap") == 1);
  CHECK(reasons.size() == 2 + parked_probes);
  // Logs (debug level) and metrics.
  planted.CheckAbsent(ReadAll(dir + "/daemon.log"), "the daemon's log");
  CHECK(ReadAll(dir + "/daemon.log").find("\"event\":\"alert\"") != std::string::npos);
  REQUIRE(scrape.find("leakd_findings_total") != std::string::npos);
  planted.CheckAbsent(scrape, "/metrics");

  // `leakd unseal` gives back exactly the planted tokens, the parked ones included.
  REQUIRE_FALSE(parked.empty());
  std::ofstream(dir + "/alerts.jsonl") << alerts_text << parked;
  const int rc = std::system((std::string(LEAKD_BINARY) + " unseal --secret-key-file " + dir +
                              "/seal.key < " + dir + "/alerts.jsonl > " + dir + "/plain.jsonl")
                                 .c_str());
  CHECK(WEXITSTATUS(rc) == 0);
  std::set<std::string> opened;
  std::istringstream lines(ReadAll(dir + "/plain.jsonl"));
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    CHECK(j["fingerprint"] == Sha256Hex(j["token"].get<std::string>()));
    CHECK_FALSE(j.contains("token_sealed"));
    opened.insert(j["token"].get<std::string>());
  }
  CHECK(opened == std::set<std::string>(planted.tokens.begin(), planted.tokens.end()));
  std::system(("rm -rf " + dir).c_str());
}
