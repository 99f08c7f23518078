// The whole loop on real Kafka brokers (KRaft, scripts/fetch-kafka.sh): a
// pushed commit -> `leakd serve` -> sealed alert -> `leakd forward` (opens
// it) -> a POST whose signature the Python receiver (cryptography) verifies
// with the key fetched from /meta/public_keys -> the receiver's label on
// leakd.revocations. The receiver answers 500 twice and one reply slowly, and
// the forwarder is SIGKILLed while the receiver holds a batch; nothing is lost.
// Skipped (exit 77) when the Kafka jars were not fetched.
#include <catch2/catch.hpp>
#include <iostream>

#include "forward_fixture.h"
#include "kraft_cluster.h"

using namespace leakd;
using namespace leakd::testing;
using namespace std::chrono_literals;

TEST_CASE("real Kafka: pushed commits become verified POSTs and labels; a SIGKILL loses nothing",
          "[forward][kafka]") {
  if (KafkaLibs().empty()) {
    std::cout << "Kafka jars not found (scripts/fetch-kafka.sh): skipped\n";
    std::exit(77);
  }
  KraftCluster cluster(1);
  ForwardKeys keys;
  {
    // The topics exist before anyone subscribes (a record each that is no
    // event or alert: dead-lettered by serve and forward, skipped by the reader).
    RecordProducer p({{"bootstrap.servers", cluster.bootstraps()}});
    for (const char* t :
         {"leakd.commits", "leakd.alerts", "leakd.forward.dlq", "leakd.revocations"})
      p.Produce({t, std::string("setup"), std::string("{}"), {}}, nullptr);
    REQUIRE(p.Flush(30s));
  }
  const int http_port = FreePort();
  Receiver receiver(keys.dir, http_port,
                    {"--fail", "1,2", "--slow", "3", "--hang", "4", "--hang-seconds", "4"});
  const std::vector<std::string> settings = {
      "--set", "routes.0.providers=github",
      "--set", "routes.0.url=http://127.0.0.1:" + std::to_string(receiver.port()) + "/t",
      "--set", "routes.0.batch_max=5",
      "--set", "routes.0.batch_delay_ms=50",
      "--set", "signing_key=" + keys.signing_key_path,
      "--set", "secret_key_file=" + keys.seal_key_path,
      "--set", "request_timeout_ms=2000",
      "--set", "backoff_base_ms=50",
      "--set", "metrics_address=127.0.0.1:" + std::to_string(http_port)};
  const std::string group = "fwd-kafka-" + std::to_string(::getpid());
  Daemon scanner(cluster.bootstraps(), NewGroup(),
                 {"--set", "token_mode=sealed", "--set",
                  "seal_public_key=" + EncodeBase64(keys.seal_key.public_key)});
  auto first =
      std::make_unique<ForwardProcess>(cluster.bootstraps(), group, settings, keys.dir + "/f1.log");
  REQUIRE(WaitForStatus(http_port, "/readyz", 200, 60s));
  Traffic traffic(cluster.bootstraps());
  traffic.Push(30, 20ms);
  // Request 4 is held for 4 s by the receiver: the forwarder dies with it in flight.
  REQUIRE(receiver.WaitFor([](const ReceiverLog& log) { return log.received.count(4) > 0; }, 120s));
  CHECK(first->Kill(SIGKILL) == 128 + SIGKILL);
  const auto held = receiver.Log().received.at(4);
  CHECK_FALSE(held.empty());
  ForwardProcess second(cluster.bootstraps(), group, settings, keys.dir + "/f2.log");
  traffic.Push(20, 20ms);

  TopicReader out(cluster.bootstraps(), {"leakd.forward.dlq", "leakd.revocations"}, 4);
  REQUIRE(out.ReadUntil([&] { return out.AccountedFingerprints(traffic.expected); }, 180s));
  const ReceiverLog log = receiver.Log();
  REQUIRE(log.replied.count(2) == 1);  // requests 1 and 2 were answered 500, then retried
  CHECK(log.replied.at(1) == 500);
  CHECK(log.replied.at(2) == 500);
  CHECK(log.bad_signatures == 0);
  CHECK(log.key_identifiers == std::set<std::string>{keys.key_identifier});
  std::set<std::string> accepted;
  for (const auto& token : log.Accepted()) accepted.insert(Sha256Hex(token));
  for (const auto& fp : traffic.expected) {
    CHECK(accepted.count(fp) == 1);
    CHECK(out.dlq.count(fp) == 0);
    REQUIRE(out.revocations.count(fp) == 1);
    CHECK(out.revocations.at(fp)["repo"].get<std::string>().rfind("org/r", 0) == 0);
  }
  for (const auto& token : held) CHECK(log.AcceptedAfter(4).count(token) == 1);
  CHECK(second.Kill(SIGTERM) == 0);
  scanner.Kill(SIGTERM);
}
