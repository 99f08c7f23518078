// leakd forward's parts, each alone: the signature (checked with OpenSSL
// directly), the key identifier and the public-keys document, the batcher,
// the circuit breaker, the backoff, the settings, the alert reader (plain and
// sealed tokens) and the records written to Kafka (no token in them).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "common/seal_key.h"
#include "common/sha256.h"
#include "forward/alert_reader.h"
#include "forward/backoff.h"
#include "forward/batcher.h"
#include "forward/breaker.h"
#include "forward/forward_config.h"
#include "forward/public_keys.h"
#include "forward/records.h"
#include "forward/signer.h"
#include "forward/url.h"
#include "test_keys.h"

using namespace leakd;
using namespace leakd::testing;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST_CASE("a signature verifies with OpenSSL over the exact body bytes, and only those",
          "[forward]") {
  PKey key = NewEcKey();
  for (const char* structure : {"PrivateKeyInfo", "type-specific"}) {
    const std::string pem = PrivatePem(key.get(), structure);
    INFO(pem.substr(0, 32));
    const bool pkcs8 = std::string(structure) == "PrivateKeyInfo";
    CHECK(pem.rfind(pkcs8 ? "-----BEGIN PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----", 0) ==
          0);
    const Signer signer = Signer::FromPem(pem, "test key");
    const std::string body = R"([{"token":"t1","type":"x","url":"u","source":"commit"}])";
    const std::string sig = signer.Sign(body);
    CHECK(VerifyWithPem(signer.public_key_pem(), body, sig));
    std::string altered = body;
    altered[10] ^= 1;
    CHECK_FALSE(VerifyWithPem(signer.public_key_pem(), altered, sig));
    CHECK_FALSE(VerifyWithPem(signer.public_key_pem(), body + " ", sig));
    // The key identifier is the hex SHA-256 of the DER SubjectPublicKeyInfo.
    CHECK(signer.key_identifier() == Sha256Hex(PublicDer(key.get())));
    CHECK(signer.public_key_der() == PublicDer(key.get()));
  }
}

TEST_CASE("signing keys other than EC P-256 are refused with the file's name", "[forward]") {
  PKey p384 = NewEcKey("P-384");
  CHECK_THROWS_WITH(Signer::FromPem(PrivatePem(p384.get(), "PrivateKeyInfo"), "k384.pem"),
                    Catch::Contains("k384.pem") && Catch::Contains("P-256"));
  CHECK_THROWS_WITH(Signer::FromPem("not a key", "junk.pem"), Catch::Contains("junk.pem"));
  CHECK_THROWS_WITH(Signer::FromFile("/nonexistent/key.pem"), Catch::Contains("/nonexistent"));
}

TEST_CASE("the public-keys document has GitHub's shape", "[forward]") {
  PKey key = NewEcKey();
  const Signer signer = Signer::FromPem(PrivatePem(key.get(), "PrivateKeyInfo"), "k");
  const auto doc = nlohmann::json::parse(PublicKeysDocument(signer));
  REQUIRE(doc["public_keys"].size() == 1);
  const auto& entry = doc["public_keys"][0];
  CHECK(entry["key_identifier"] == signer.key_identifier());
  CHECK(entry["key"].get<std::string>().rfind("-----BEGIN PUBLIC KEY-----", 0) == 0);
  CHECK(entry["is_current"] == true);
  const std::string body = "[]";
  CHECK(VerifyWithPem(entry["key"], body, signer.Sign(body)));
}

namespace {
ForwardItem Item(int n) {
  ForwardItem item;
  item.token = "tok" + std::to_string(n);
  item.offset = n;
  return item;
}
}  // namespace

TEST_CASE("the batcher closes a batch at batch_max or after batch_delay_ms", "[forward]") {
  Batcher b(3, 50ms);
  const auto t0 = Clock::now();
  CHECK(b.NextReady() == Clock::time_point::max());
  b.Add(Item(1), t0);
  b.Add(Item(2), t0 + 10ms);
  CHECK_FALSE(b.Take(t0 + 49ms));  // not full, not old enough
  CHECK(b.NextReady() == t0 + 50ms);
  b.Add(Item(3), t0 + 20ms);  // full: ready at once
  b.Add(Item(4), t0 + 30ms);
  auto first = b.Take(t0 + 30ms);
  REQUIRE(first);
  REQUIRE(first->size() == 3);
  CHECK(first->front().offset == 1);
  CHECK(b.pending() == 1);
  CHECK_FALSE(b.Take(t0 + 79ms));   // item 4 waits since t0+30
  auto second = b.Take(t0 + 80ms);  // its delay is up
  REQUIRE(second);
  CHECK(second->size() == 1);
  b.Add(Item(5), t0 + 100ms);
  CHECK(b.Take(t0 + 100ms, /*flush=*/true)->size() == 1);  // shutdown: no waiting
  CHECK(b.pending() == 0);
  CHECK_FALSE(b.Take(t0 + 10s, true));
}

TEST_CASE("the batcher never makes a batch over batch_max, oldest first", "[forward]") {
  Batcher b(4, 1000ms);
  const auto t0 = Clock::now();
  for (int i = 0; i < 10; ++i) b.Add(Item(i), t0);
  std::vector<size_t> sizes;
  int expect = 0;
  while (auto batch = b.Take(t0, true)) {
    sizes.push_back(batch->size());
    for (const auto& item : *batch) CHECK(item.offset == expect++);
  }
  CHECK(sizes == std::vector<size_t>{4, 4, 2});
}

TEST_CASE("the breaker opens after N failures, lets one probe through, and closes on success",
          "[forward]") {
  CircuitBreaker br(3, 1000ms);
  const auto t0 = Clock::now();
  CHECK(br.state(t0) == BreakerState::kClosed);
  br.Failed(t0);
  br.Failed(t0);
  CHECK(br.Allow(t0));
  br.Succeeded();  // resets the count
  br.Failed(t0);
  br.Failed(t0);
  CHECK(br.state(t0) == BreakerState::kClosed);
  br.Failed(t0);
  CHECK(br.state(t0) == BreakerState::kOpen);
  Clock::time_point retry_at;
  CHECK_FALSE(br.Allow(t0 + 999ms, &retry_at));
  CHECK(retry_at == t0 + 1000ms);
  CHECK(br.state(t0 + 1000ms) == BreakerState::kHalfOpen);
  CHECK(br.Allow(t0 + 1000ms));        // the probe
  CHECK_FALSE(br.Allow(t0 + 1001ms));  // only one
  br.Failed(t0 + 1100ms);              // probe failed: open again, from now
  CHECK(br.state(t0 + 1500ms) == BreakerState::kOpen);
  CHECK_FALSE(br.Allow(t0 + 2099ms));
  CHECK(br.Allow(t0 + 2100ms));
  br.Succeeded();
  CHECK(br.state(t0 + 2100ms) == BreakerState::kClosed);
  CHECK(br.Allow(t0 + 2100ms));
  CHECK(br.Allow(t0 + 2100ms));
}

TEST_CASE("backoff doubles from base to max and its jitter stays within [d/2, d]", "[forward]") {
  Backoff backoff(100ms, 5000ms);
  CHECK(backoff.Ceiling(0) == 100ms);
  CHECK(backoff.Ceiling(1) == 200ms);
  CHECK(backoff.Ceiling(5) == 3200ms);
  CHECK(backoff.Ceiling(6) == 5000ms);
  CHECK(backoff.Ceiling(1000) == 5000ms);  // no overflow
  std::mt19937_64 random(42);
  for (uint64_t attempt = 0; attempt < 10; ++attempt) {
    const auto ceiling = backoff.Ceiling(attempt);
    std::set<int64_t> seen;
    for (int i = 0; i < 200; ++i) {
      const auto d = backoff.Delay(attempt, random);
      CHECK(d >= ceiling / 2);
      CHECK(d <= ceiling);
      seen.insert(d.count());
    }
    CHECK(seen.size() > 10);  // jittered, not a constant
  }
}

TEST_CASE("forward settings: YAML routes, LEAKD_* variables, --set, and validation",
          "[forward][config]") {
  const auto path = std::filesystem::temp_directory_path() /
                    ("leakd-forward-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << "routes:\n"
                         "  - providers: [github, huggingface]\n"
                         "    url: https://revoke.example.internal/v1/tokens\n"
                         "    batch_max: 100\n"
                         "    batch_delay_ms: 50\n"
                         "  - providers: ['*']\n"
                         "    url: http://127.0.0.1:8080/other\n"
                         "    name: other\n"
                         "signing_key: /etc/leakd/forward-key.pem\n"
                         "secret_key_file: /etc/leakd/seal.key\n"
                         "kafka:\n  security.protocol: SSL\n";
  ForwardConfig c;
  c.LoadYamlFile(path.string());
  c.LoadEnvironment({"LEAKD_MAX_ATTEMPTS=7", "LEAKD_CONSUMER_SESSION_TIMEOUT_MS=9000"});
  c.Set("routes.0.batch_max", "10");
  c.Validate();
  REQUIRE(c.routes.size() == 2);
  CHECK(c.routes[0].providers == std::vector<std::string>{"github", "huggingface"});
  CHECK(c.routes[0].url == "https://revoke.example.internal/v1/tokens");
  CHECK(c.routes[0].batch_max == 10);
  CHECK(c.routes[0].batch_delay_ms == 50);
  CHECK(c.routes[0].name == "revoke.example.internal");  // default: the host
  CHECK(c.routes[1].name == "other");
  c.Set("routes.2.url", "https://revoke.example.internal/v2");  // same host: a label of its own
  c.Set("routes.2.providers", "gitlab");
  c.Validate();
  CHECK(c.routes[2].name == "revoke.example.internal-2");
  CHECK(c.signing_key == "/etc/leakd/forward-key.pem");
  CHECK(c.secret_key_file == "/etc/leakd/seal.key");
  CHECK(c.max_attempts == 7);
  CHECK(c.kafka.at("security.protocol") == "SSL");
  CHECK(c.consumer.at("session.timeout.ms") == "9000");
  CHECK(c.dlq_topic == "leakd.forward.dlq");
  CHECK(c.revocations_topic == "leakd.revocations");
  std::filesystem::remove(path);

  ForwardConfig bad;
  CHECK_THROWS_WITH(bad.Validate(), Catch::Contains("routes"));
  bad.Set("routes.0.url", "ftp://x");
  bad.Set("routes.0.providers", "github");
  CHECK_THROWS_WITH(bad.Validate(), Catch::Contains("https://"));
  bad.Set("routes.0.url", "https://a.example/");
  CHECK_THROWS_WITH(bad.Validate(), Catch::Contains("signing_key"));
  bad.Set("signing_key", "k.pem");
  bad.Set("routes.1.url", "https://b.example/");
  bad.Set("routes.1.providers", "gitlab, github");
  CHECK_THROWS_WITH(bad.Validate(), Catch::Contains("github is routed twice"));
  CHECK_THROWS_WITH(bad.Set("routes.0.colour", "red"), Catch::Contains("routes.0.colour"));
  CHECK_THROWS_WITH(bad.Set("routes.x.url", "u"), Catch::Contains("routes.x.url"));
  CHECK_THROWS_WITH(bad.Set("max_attempts", "many"), Catch::Contains("max_attempts"));
}

TEST_CASE("endpoint URLs", "[forward]") {
  Url u = ParseUrl("https://revoke.example.internal/v1/tokens?x=1");
  CHECK(u.tls);
  CHECK(u.host == "revoke.example.internal");
  CHECK(u.port == "443");
  CHECK(u.target == "/v1/tokens?x=1");
  u = ParseUrl("http://127.0.0.1:8080");
  CHECK_FALSE(u.tls);
  CHECK(u.port == "8080");
  CHECK(u.target == "/");
  u = ParseUrl("https://[::1]:9443/t");
  CHECK(u.host == "::1");
  CHECK(u.port == "9443");
  CHECK_THROWS(ParseUrl("https://user:pw@host/"));
  CHECK_THROWS(ParseUrl("https://host:99999/"));
  CHECK_THROWS(ParseUrl("https:///path"));
  CHECK_THROWS(ParseUrl("https://host/a b"));
}
