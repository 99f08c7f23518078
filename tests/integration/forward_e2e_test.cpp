// leakd forward end to end, on librdkafka's mock cluster (in this process),
// with `leakd forward` as a child process (so it can be SIGKILLed) and an
// issuer's endpoint written in Python with `cryptography`
// (tests/forward/receiver.py): it fetches /meta/public_keys from the
// forwarder, verifies every POST's signature, and answers with labels.
// Faults are injected at the receiver: 500s, a reply slower than the
// forwarder's timeout, a slow reply, a 400, and the forwarder is SIGKILLed
// while a batch is in flight.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "common/seal_key.h"
#include "forward_fixture.h"
#include "test_keys.h"

using namespace leakd;
using namespace leakd::testing;
using namespace std::chrono_literals;

namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The forwarder's settings for the tests: small batches, a short timeout
// and backoff, a breaker that opens after 3 failures.
std::vector<std::string> Settings(const ForwardKeys& w, int receiver_port, int http_port) {
  return {"--set", "routes.0.providers=github,huggingface",
          "--set", "routes.0.url=http://127.0.0.1:" + std::to_string(receiver_port) + "/tokens",
          "--set", "routes.0.batch_max=5",
          "--set", "routes.0.batch_delay_ms=50",
          "--set", "routes.0.max_in_flight=2",
          "--set", "signing_key=" + w.signing_key_path,
          "--set", "secret_key_file=" + w.seal_key_path,
          "--set", "request_timeout_ms=1000",
          "--set", "backoff_base_ms=50",
          "--set", "backoff_max_ms=400",
          "--set", "breaker_failures=3",
          "--set", "breaker_open_ms=300",
          "--set", "metrics_address=127.0.0.1:" + std::to_string(http_port)};
}

}  // namespace

TEST_CASE("every token reaches the receiver through 500s, timeouts, a 400 and a SIGKILL",
          "[forward]") {
  ForwardWorld w;
  const int http_port = FreePort();
  Receiver receiver(w.dir, http_port,
                    {"--fail", "1,2,3", "--hang", "6,12", "--hang-seconds", "3", "--slow", "8",
                     "--slow-seconds", "0.5", "--reject-marker", "REJECT"});
  const std::string group = "fwd-e2e-" + std::to_string(::getpid());
  auto settings = Settings(w, receiver.port(), http_port);
  auto first = std::make_unique<ForwardProcess>(w.broker.bootstraps(), group, settings,
                                                w.dir + "/forward-1.log");
  REQUIRE(WaitForStatus(http_port, "/readyz", 200, 30s));
  AlertPusher pusher(w.broker.bootstraps(), w.seal_key);
  pusher.Push(40, /*reject_every=*/17);  // tokens 17 and 34 are refused with a 400

  // Mid-batch: request 12 is held by the receiver for 3 s; kill then.
  REQUIRE(receiver.WaitFor([](const ReceiverLog& log) { return log.received.count(12) > 0; }, 60s));
  const std::string metrics = HttpGet(http_port, "/metrics").second;
  CHECK(MetricValue(metrics, "leakd_forward_requests_total{route=\"127.0.0.1\",status=\"500\"}") >=
        3);
  CHECK(MetricValue(metrics,
                    "leakd_forward_requests_total{route=\"127.0.0.1\",status=\"timeout\"}") >= 1);
  CHECK(MetricValue(metrics, "leakd_forward_retries_total{route=\"127.0.0.1\"}") >= 4);
  CHECK(metrics.find("leakd_forward_breaker_state{route=\"127.0.0.1\"}") != std::string::npos);
  CHECK(metrics.find("leakd_forward_batch_size_count{route=\"127.0.0.1\"}") != std::string::npos);
  CHECK(first->Kill(SIGKILL) == 128 + SIGKILL);
  const std::vector<std::string> killed_batch = receiver.Log().received.at(12);

  ForwardProcess second(w.broker.bootstraps(), group, settings, w.dir + "/forward-2.log");
  pusher.Push(20, 17);
  TopicReader out(w.broker.bootstraps(), {"leakd.forward.dlq", "leakd.revocations"});
  // Done: every token revoked-labelled (its batch got a 200) or parked.
  REQUIRE(out.ReadUntil([&] { return out.Accounted(pusher.tokens); }, 90s));
  ReceiverLog log = receiver.Log();

  CHECK(log.bad_signatures == 0);
  CHECK(log.key_identifiers == std::set<std::string>{w.key_identifier});
  for (const auto& token : pusher.tokens) {
    INFO(Redact(token));
    CHECK(log.AllReceived().count(token) == 1);  // reached the receiver (sealed ones opened)
    const bool parked = out.dlq.count(Sha256Hex(token)) > 0;
    CHECK((log.Accepted().count(token) == 1 || parked));
    if (token.find("REJECT") != std::string::npos) {
      REQUIRE(parked);
      CHECK(out.dlq.at(Sha256Hex(token))["status"] == 400);
      CHECK(out.dlq.at(Sha256Hex(token))["reason"] == "rejected");
    }
    if (!parked) CHECK(out.revocations.count(Sha256Hex(token)) == 1);
  }
  for (const auto& [fp, record] : out.dlq) CHECK(record["status"] == 400);
  // The batch in flight at the SIGKILL was forwarded again after the restart.
  for (const auto& token : killed_batch) {
    CHECK((log.AcceptedAfter(12).count(token) == 1 || out.dlq.count(Sha256Hex(token)) == 1));
  }
  CHECK(second.Kill(SIGTERM) == 0);
  // No plain token in the DLQ, the revocations or the forwarder's logs.
  const std::string logs = ReadText(w.dir + "/forward-1.log") + ReadText(w.dir + "/forward-2.log");
  CHECK(logs.find("forward-retry") != std::string::npos);  // the logs did record the faults
  for (const auto& token : pusher.tokens) {
    const std::string body = token.substr(4);
    CHECK(logs.find(body) == std::string::npos);
    CHECK(out.raw.find(body) == std::string::npos);
  }
}

TEST_CASE("HTTPS with a configured CA; without it the handshake fails and nothing is sent",
          "[forward]") {
  ForwardWorld w;
  const int http_port = FreePort();
  Receiver receiver(w.dir, http_port,
                    {"--tls-dir", w.dir + "/tls", "--key-id-header", "X-Key-Id",
                     "--signature-header", "X-Signature"},
                    /*tls=*/true);
  const std::string group = "fwd-tls-" + std::to_string(::getpid());
  auto settings = Settings(w, receiver.port(), http_port);
  const std::string url = "https://localhost:" + std::to_string(receiver.port()) + "/tokens";
  settings.insert(settings.end(),
                  {"--set", "routes.0.url=" + url, "--set", "key_id_header=X-Key-Id", "--set",
                   "signature_header=X-Signature"});
  AlertPusher pusher(w.broker.bootstraps(), w.seal_key);
  pusher.Push(6, 0);
  {
    ForwardProcess untrusting(w.broker.bootstraps(), group, settings, w.dir + "/forward-1.log");
    REQUIRE(WaitForStatus(http_port, "/readyz", 200, 30s));
    double errors = 0;
    Eventually(
        [&] {
          errors =
              MetricValue(HttpGet(http_port, "/metrics").second,
                          "leakd_forward_requests_total{route=\"localhost\",status=\"error\"}");
          return errors >= 2;
        },
        20s, 200ms);
    CHECK(errors >= 2);
    CHECK(receiver.Log().AllReceived().empty());
    CHECK(untrusting.Kill(SIGTERM) == 0);
  }
  settings.insert(settings.end(), {"--set", "ca_file=" + w.dir + "/tls/ca.pem"});
  ForwardProcess trusting(w.broker.bootstraps(), group, settings, w.dir + "/forward-2.log");
  TopicReader out(w.broker.bootstraps(), {"leakd.forward.dlq", "leakd.revocations"});
  REQUIRE(out.ReadUntil([&] { return out.Accounted(pusher.tokens); }, 60s));
  const ReceiverLog log = receiver.Log();
  CHECK(log.bad_signatures == 0);
  for (const auto& token : pusher.tokens) CHECK(log.Accepted().count(token) == 1);
  CHECK(out.dlq.empty());
  CHECK(trusting.Kill(SIGTERM) == 0);
}

TEST_CASE("a bad key or setting is a start-up error: exit 2 and a message naming it", "[forward]") {
  ForwardKeys keys;
  PKey p384 = NewEcKey("P-384");
  const std::string wrong_curve = keys.dir + "/p384.pem";
  std::ofstream(wrong_curve) << PrivatePem(p384.get(), "PrivateKeyInfo");
  const std::string short_seal = keys.dir + "/short.key";
  std::ofstream(short_seal) << EncodeBase64("only sixteen byt") << "\n";
  const std::string base =
      std::string(LEAKD_BINARY) +
      " forward --check-config --brokers 127.0.0.1:1"
      " --set routes.0.providers=github --set routes.0.url=http://127.0.0.1:1/";
  auto run = [&](const std::string& extra) {
    const std::string out = keys.dir + "/out.txt";
    const int rc = std::system((base + " " + extra + " > " + out + " 2>&1").c_str());
    return std::make_pair(WEXITSTATUS(rc), ReadText(out));
  };
  auto ok = run("--set signing_key=" + keys.signing_key_path +
                " --set secret_key_file=" + keys.seal_key_path);
  CHECK(ok.first == 0);
  CHECK(ok.second.find(keys.key_identifier) != std::string::npos);
  auto curve = run("--set signing_key=" + wrong_curve);
  CHECK(curve.first == 2);
  CHECK(curve.second.find("p384.pem") != std::string::npos);
  CHECK(curve.second.find("P-256") != std::string::npos);
  auto seal =
      run("--set signing_key=" + keys.signing_key_path + " --set secret_key_file=" + short_seal);
  CHECK(seal.first == 2);
  CHECK(seal.second.find("short.key") != std::string::npos);
  auto no_key = run("");
  CHECK(no_key.first == 2);
  CHECK(no_key.second.find("signing_key") != std::string::npos);
  auto bad_url = run("--set signing_key=" + keys.signing_key_path + " --set routes.0.url=ftp://x");
  CHECK(bad_url.first == 2);
  CHECK(bad_url.second.find("url") != std::string::npos);
}

TEST_CASE("SIGTERM with the broker down and a batch pending ends within the shutdown deadline",
          "[forward]") {
  ForwardWorld w;
  const int http_port = FreePort();
  Receiver receiver(w.dir, http_port, {"--hang", "1", "--hang-seconds", "30"});
  auto settings = Settings(w, receiver.port(), http_port);
  settings.insert(settings.end(),
                  {"--set", "shutdown_deadline_ms=3000", "--set", "request_timeout_ms=1000"});
  ForwardProcess forward(w.broker.bootstraps(), "fwd-deadline", settings, w.dir + "/f.log");
  REQUIRE(WaitForStatus(http_port, "/readyz", 200, 30s));
  AlertPusher pusher(w.broker.bootstraps(), w.seal_key);
  pusher.Push(3, 0);
  REQUIRE(receiver.WaitFor([](const ReceiverLog& log) { return !log.received.empty(); }, 30s));
  w.broker.SetBrokerUp(1, false);
  // Deadline 3 s, plus the request in flight (1 s timeout) and process exit.
  CHECK(forward.KillWithin(SIGTERM, 6s) == 0);
}

// librdkafka before 2.3.0 aborts destroying a cooperative-sticky member that
// joined but has no assignment yet (confluentinc/librdkafka#4312).
TEST_CASE("SIGTERM between joining the group and the first assignment exits cleanly (forward)",
          "[forward]") {
  ForwardWorld w;
  // The mock answers a new group's first JoinGroup after 3 s; the SyncGroup
  // (the assignment) then waits 10 s more.
  w.broker.DelayRequests(1, kafka_api::kSyncGroup, 1, 10000);
  const int http_port = FreePort();
  ForwardProcess forward(w.broker.bootstraps(), "fwd-mid-join", Settings(w, FreePort(), http_port),
                         w.dir + "/f.log");
  std::this_thread::sleep_for(6s);
  std::chrono::milliseconds took{0};
  CHECK(forward.KillWithin(SIGTERM, 30s, &took) == 0);
  CHECK(took < 10000ms);  // nothing to commit: the 20 s default deadline is not waited out
  CHECK(ReadText(w.dir + "/f.log").find("consumer-kept-open") != std::string::npos);
}

TEST_CASE("DLQ and revocation records the broker refuses are retried: no alert is lost",
          "[forward]") {
  // The alerts are pushed before the forwarder starts, then the broker refuses
  // the next eight produce requests (TOPIC_AUTHORIZATION_FAILED): the
  // forwarder's first DLQ and revocation records meet them.
  ForwardWorld w;
  const int http_port = FreePort();
  Receiver receiver(w.dir, http_port, {"--reject-marker", "REJECT"});
  AlertPusher pusher(w.broker.bootstraps(), w.seal_key);
  pusher.Push(12, /*reject_every=*/6);  // a batch with one of these gets a 400: parked
  w.broker.InjectErrors(kafka_api::kProduce, 8, RdKafka::ERR_TOPIC_AUTHORIZATION_FAILED);
  ForwardProcess forward(w.broker.bootstraps(), "fwd-refused",
                         Settings(w, receiver.port(), http_port), w.dir + "/f.log");
  TopicReader out(w.broker.bootstraps(), {"leakd.forward.dlq", "leakd.revocations"});
  REQUIRE(out.ReadUntil([&] { return out.Accounted(pusher.tokens); }, 90s));
  CHECK(!out.dlq.empty());          // the batches with a refused token were parked
  CHECK(!out.revocations.empty());  // and the others labelled
  const std::string metrics = HttpGet(http_port, "/metrics").second;
  CHECK(MetricValue(metrics, "leakd_forward_records_refused_total") >= 1);
  CHECK(forward.Kill(SIGTERM) == 0);
}

TEST_CASE("alert batches the client cannot decode are parked; the alerts after them are sent",
          "[forward]") {
  // librdkafka would fetch such a batch forever (kafka/batch_skipper.h).
  ForwardWorld w;
  PushCompressionBombs(w.broker.bootstraps(), "leakd.alerts", "github");
  const int http_port = FreePort();
  Receiver receiver(w.dir, http_port, {});
  AlertPusher pusher(w.broker.bootstraps(), w.seal_key);
  pusher.Push(4, 0);  // "github" alerts share the bomb's partition
  ForwardProcess forward(w.broker.bootstraps(), "fwd-bomb", Settings(w, receiver.port(), http_port),
                         w.dir + "/f.log");
  TopicReader out(w.broker.bootstraps(), {"leakd.forward.dlq", "leakd.revocations"});
  REQUIRE(out.ReadUntil([&] { return out.Accounted(pusher.tokens) && out.dlq.count(""); }, 60s));
  CHECK(out.dlq.at("")["reason"] == "undecodable-batch");
  CHECK(forward.Kill(SIGTERM) == 0);
}
