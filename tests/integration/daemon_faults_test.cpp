// The daemon's promises under attack and faults, on librdkafka's mock cluster
// (in this process; the daemon is a child so it can be SIGKILLed):
// - one oversized or null message cannot stop it (dead letters that fit);
// - an upload's offsets wait for its alerts, so a SIGKILL loses none;
// - failed offset commits are retried;
// - readiness follows the brokers, lag gauges exist, librdkafka logs are JSON;
// - SIGTERM ends within the shutdown deadline, even with the broker gone,
//   and cleanly mid-rebalance;
// - the open-upload cap parks the oldest upload with a reason.
#include <librdkafka/rdkafkacpp.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "ingest/gzip.h"
#include "ingest/upload_headers.h"
#include "kafka_fixture.h"
#include "scan/fingerprint.h"

using namespace leakd;
using namespace leakd::testing;
using namespace std::chrono_literals;

namespace {

std::string LogFile(const std::string& name) {
  return "/tmp/leakd-faults-" + std::to_string(::getpid()) + "-" + name + ".log";
}

std::vector<std::string> Lines(const std::string& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The group's committed offsets for `topic` partitions 0..n-1 (-1001: none).
std::vector<int64_t> Committed(const std::string& brokers, const std::string& group,
                               const std::string& topic, int partitions) {
  auto conf = MakeKafkaConf({{"bootstrap.servers", brokers}, {"group.id", group}});
  std::string err;
  std::unique_ptr<RdKafka::KafkaConsumer> c(RdKafka::KafkaConsumer::create(conf.get(), err));
  std::vector<RdKafka::TopicPartition*> tps;
  for (int p = 0; p < partitions; ++p) tps.push_back(RdKafka::TopicPartition::create(topic, p));
  c->committed(tps, 10000);
  std::vector<int64_t> out;
  for (auto* tp : tps) out.push_back(tp->offset());
  RdKafka::TopicPartition::destroy(tps);
  c->close();
  return out;
}

MessageHeaders ChunkHeaders(const std::string& id, int chunk, bool final) {
  MessageHeaders h = {{"repo", "org/m"},
                      {"path", "weights.txt"},
                      {"upload-id", id},
                      {"chunk", std::to_string(chunk)}};
  if (final) h.emplace_back("final", "true");
  return h;
}

}  // namespace

TEST_CASE("a dead letter over the producer's limit is parked without its value; the daemon goes on",
          "[faults]") {
  Broker broker;
  Daemon daemon(broker.bootstraps(), NewGroup());
  RecordProducer pusher(
      {{"bootstrap.servers", broker.bootstraps()}, {"message.max.bytes", "4000000"}});
  // 1.1 MB of invalid JSON, and a 1.2 MB gzip "bomb" (inflates past the limit).
  pusher.Produce({"leakd.commits", "big", std::string(1100000, '{'), {}}, nullptr);
  std::string bomb_text(80u << 20, 'A');
  const std::string bomb = GzipCompress(bomb_text);
  bomb_text.clear();
  pusher.Produce({"leakd.uploads",
                  "bomb",
                  bomb + std::string(1200000 - std::min<size_t>(bomb.size(), 1200000), '\0'),
                  {{"repo", "org/m"}, {"path", "x.bin"}, {"content-encoding", "gzip"}}},
                 nullptr);
  // A null value: parked as a null value, not an empty one.
  pusher.Produce({"leakd.commits", "null", std::nullopt, {}}, nullptr);
  const std::string token = UniqueGithubToken();
  pusher.Produce({"leakd.commits", "after", CommitEventJson("org/after", "a.py", "T=" + token), {}},
                 nullptr);
  REQUIRE(pusher.Flush(30s));
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil(
      [&] { return reader.dead_letters.size() >= 3 && reader.HasAll({Sha256Hex(token)}); }, 60s));
  std::map<std::string, size_t> by_reason;
  for (size_t i = 0; i < reader.dead_letters.size(); ++i) {
    auto& h = reader.dead_letters[i];
    const std::string& reason = h["leakd-error"];
    by_reason[reason] = i;
  }
  REQUIRE(by_reason.count("invalid-json"));
  REQUIRE(by_reason.count("decompressed-too-large"));
  // Which invalid-json is which: the big one has leakd-original-size.
  size_t big = reader.dead_letters.size(), null_value = big;
  for (size_t i = 0; i < reader.dead_letters.size(); ++i) {
    if (reader.dead_letters[i]["leakd-error"] != "invalid-json") continue;
    (reader.dead_letters[i].count("leakd-original-size") ? big : null_value) = i;
  }
  REQUIRE(big < reader.dead_letters.size());
  CHECK(reader.dead_letters[big]["leakd-original-size"] == "1100000");
  CHECK_FALSE(reader.dead_letter_values[big].has_value());
  const size_t gz = by_reason["decompressed-too-large"];
  CHECK(reader.dead_letters[gz]["leakd-original-size"] == "1200000");
  CHECK(reader.dead_letters[gz]["repo"] == "");  // original headers dropped with the value
  REQUIRE(null_value < reader.dead_letters.size());
  CHECK_FALSE(reader.dead_letter_values[null_value].has_value());
  CHECK(daemon.Kill(SIGTERM) == 0);
}

TEST_CASE("an upload's offsets wait for its alerts: SIGKILL before the ack loses nothing",
          "[faults][delivery]") {
  Broker broker;
  const std::string group = NewGroup();
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  // The secret straddles the chunks: chunk 1 alone cannot yield it.
  const std::string token = UniqueGithubToken();
  const std::string text = "w: []\nauth: " + token + "\n";
  const size_t cut = text.find(token) + 20;
  pusher.Produce({"leakd.uploads", "u", text.substr(0, cut), ChunkHeaders("u", 0, false)}, nullptr);
  pusher.Produce({"leakd.uploads", "u", text.substr(cut), ChunkHeaders("u", 1, true)}, nullptr);
  REQUIRE(pusher.Flush(10s));
  // The daemon's first alert is answered only after 20 s: it is killed before.
  broker.broker.DelayRequests(1, kafka_api::kProduce, 1, 20000);
  const int port = FreePort();
  auto daemon = std::make_unique<Daemon>(
      broker.bootstraps(), group,
      std::vector<std::string>{"--set", "metrics_address=127.0.0.1:" + std::to_string(port)});
  REQUIRE(WaitForStatus(port, "/readyz", 200, 30s));
  std::this_thread::sleep_for(3s);  // processed, and commits had every chance to run
  daemon->Kill(SIGKILL);
  // Nothing of the upload may be committed while its alert is unacknowledged.
  for (int64_t offset : Committed(broker.bootstraps(), group, "leakd.uploads", 4)) {
    CHECK(offset <= 0);  // -1001 (none) or the upload's first chunk
  }
  daemon = std::make_unique<Daemon>(broker.bootstraps(), group);
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll({Sha256Hex(token)}); }, 60s));
  for (auto& h : reader.dead_letters) CHECK(h["leakd-error"] != "chunk-gap");
  daemon->Kill(SIGTERM);
}

TEST_CASE("interleaved uploads that completed cause no chunk-gap after a restart", "[faults]") {
  Broker broker;
  const std::string group = NewGroup();
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  const std::string token = UniqueGithubToken();
  // One key: all on one partition, interleaved; b stays open.
  auto chunk = [&](const std::string& id, int n, bool final, const std::string& body) {
    pusher.Produce({"leakd.uploads", "same-key", body, ChunkHeaders(id, n, final)}, nullptr);
  };
  chunk("a", 0, false, "x\n");
  chunk("b", 0, false, "y\n");
  chunk("a", 1, true, "t=" + token + "\n");
  REQUIRE(pusher.Flush(10s));
  auto daemon = std::make_unique<Daemon>(broker.bootstraps(), group);
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll({Sha256Hex(token)}); }, 60s));
  std::this_thread::sleep_for(1s);
  daemon->Kill(SIGKILL);  // b is open: the commit stays at b's chunk 0
  daemon = std::make_unique<Daemon>(broker.bootstraps(), group);
  chunk("b", 1, true, "end\n");
  REQUIRE(pusher.Flush(10s));
  reader.ReadUntil([] { return false; }, 8s);
  for (auto& h : reader.dead_letters) CHECK(h["leakd-error"] != "chunk-gap");
  daemon->Kill(SIGTERM);
}

TEST_CASE("failed offset commits are retried until they land", "[faults][delivery]") {
  Broker broker;
  const std::string group = NewGroup();
  const std::string log = LogFile("commit");
  Daemon daemon(broker.bootstraps(), group, {}, log);
  Traffic traffic(broker.bootstraps());
  traffic.Push(10);
  traffic.pusher.Flush(10s);
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 60s));
  // The next commits fail; no more traffic comes to trigger new ones.
  broker.broker.InjectErrors(kafka_api::kOffsetCommit, 3, RdKafka::ERR_OFFSET_METADATA_TOO_LARGE);
  traffic.Push(10);
  traffic.pusher.Flush(10s);
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 60s));
  // Every partition's commit reaches the end of what was pushed.
  int64_t total = 0;
  Eventually(
      [&] {
        total = 0;
        for (int64_t o : Committed(broker.bootstraps(), group, "leakd.commits", 4))
          total += std::max<int64_t>(0, o);
        return total == 20;
      },
      30s, 500ms);
  CHECK(total == 20);
  daemon.Kill(SIGTERM);
  bool saw_failure = false;
  for (const auto& line : Lines(log))
    saw_failure |= line.find("\"commit-failed\"") != std::string::npos;
  CHECK(saw_failure);
  std::remove(log.c_str());
}

TEST_CASE("readiness follows the broker; lag gauges exist; librdkafka logs are JSON lines",
          "[faults][observability]") {
  Broker broker;
  const int port = FreePort();
  const std::string log = LogFile("ready");
  auto daemon = std::make_unique<Daemon>(
      broker.bootstraps(), NewGroup(),
      std::vector<std::string>{"--set", "metrics_address=127.0.0.1:" + std::to_string(port),
                               "--set", "log_level=info"},
      log);
  REQUIRE(WaitForStatus(port, "/readyz", 200, 30s));
  Traffic traffic(broker.bootstraps());
  traffic.Push(20);
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 60s));

  // Statistics every 5 s feed the lag gauges.
  CHECK(Eventually(
      [&] {
        return HttpGet(port, "/metrics").second.find("leakd_consumer_lag_messages{") !=
               std::string::npos;
      },
      30s));

  // An idle client does not block the probes.
  const int idle = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(idle, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  CHECK(HttpGet(port, "/healthz").first == 200);

  broker.broker.SetBrokerUp(1, false);
  const auto down = std::chrono::steady_clock::now();
  REQUIRE(WaitForStatus(port, "/readyz", 503, 15s));
  INFO("readyz turned 503 after " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - down)
                                         .count()
                                  << " ms");
  CHECK(HttpGet(port, "/readyz").second.find("no broker") != std::string::npos);
  CHECK(HttpGet(port, "/healthz").first == 200);  // alive: a restart would not help
  broker.broker.SetBrokerUp(1, true);
  CHECK(WaitForStatus(port, "/readyz", 200, 30s));
  ::close(idle);
  daemon->Kill(SIGTERM);

  size_t kafka_lines = 0, lines = 0;
  for (const auto& line : Lines(log)) {
    ++lines;
    const auto j = nlohmann::json::parse(line, nullptr, false);
    INFO(line);
    REQUIRE_FALSE(j.is_discarded());
    const std::string event = j.value("event", "");
    kafka_lines += event == "kafka" || event == "kafka-error";
  }
  CHECK(lines > 0);
  CHECK(kafka_lines > 0);  // the outage was reported by librdkafka, through our log
  std::remove(log.c_str());
}

TEST_CASE("SIGTERM ends within the shutdown deadline with a full queue and the broker down",
          "[faults]") {
  Broker broker;
  const std::string group = NewGroup();
  auto daemon = std::make_unique<Daemon>(
      broker.bootstraps(), group,
      std::vector<std::string>{"--set", "shutdown_deadline_ms=4000", "--set", "workers=1", "--set",
                               "queue_capacity=4"});
  Traffic traffic(broker.bootstraps());
  traffic.Push(200, 0ms);
  REQUIRE(traffic.pusher.Flush(20s));
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return reader.alerts.size() >= 1; }, 30s));
  broker.broker.SetBrokerUp(1, false);
  std::this_thread::sleep_for(500ms);
  std::chrono::milliseconds took{0};
  const int status = daemon->KillWithin(SIGTERM, 15s, &took);
  CHECK(status != -1);
  CHECK(took < 6000ms);  // the deadline, plus process exit
  // Nothing is lost: what was not done is delivered again.
  broker.broker.SetBrokerUp(1, true);
  daemon = std::make_unique<Daemon>(broker.bootstraps(), group);
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll(traffic.expected); }, 90s));
  daemon->Kill(SIGTERM);
}

// librdkafka before 2.3.0 asserts when it destroys a cooperative-sticky member
// that has joined its group but not yet been given an assignment
// (confluentinc/librdkafka#4312): a rolling restart that stops a pod mid-
// rebalance would end in SIGABRT and a core dump instead of a clean exit.
TEST_CASE("SIGTERM between joining the group and the first assignment exits cleanly", "[faults]") {
  Broker broker;
  // The mock answers a new group's first JoinGroup after 3 s; its SyncGroup
  // (the assignment) then waits 10 s more.
  broker.broker.DelayRequests(1, kafka_api::kSyncGroup, 1, 10000);
  Daemon daemon(broker.bootstraps(), NewGroup());
  std::this_thread::sleep_for(6s);
  std::chrono::milliseconds took{0};
  CHECK(daemon.KillWithin(SIGTERM, 30s, &took) == 0);
  // Nothing was done, so nothing waits for a commit: well inside the default
  // 20 s deadline, which the final commit used to wait out.
  CHECK(took < 10000ms);
}

TEST_CASE("the open-upload cap parks the oldest upload with a reason", "[faults]") {
  Broker broker;
  Daemon daemon(broker.bootstraps(), NewGroup(),
                {"--set", "workers=1", "--set", "max_open_uploads=2"});
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  for (int i = 0; i < 3; ++i) {
    const std::string id = "open-" + std::to_string(i);
    pusher.Produce({"leakd.uploads", "k", std::string("data\n"), ChunkHeaders(id, 0, false)},
                   nullptr);
  }
  REQUIRE(pusher.Flush(10s));
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return !reader.dead_letters.empty(); }, 60s));
  CHECK(reader.dead_letters[0]["leakd-error"] == "upload-evicted");
  CHECK(reader.dead_letters[0]["upload-id"] == "open-0");
  daemon.Kill(SIGTERM);
}

TEST_CASE("a member whose subscribed topics do not exist is ready", "[faults][observability]") {
  Broker broker;
  const int port = FreePort();
  Daemon daemon(broker.bootstraps(), NewGroup(),
                {"--set", "metrics_address=127.0.0.1:" + std::to_string(port), "--set",
                 "commits_topic=leakd.none.commits", "--set", "uploads_topic=leakd.none.uploads"});
  CHECK(WaitForStatus(port, "/readyz", 200, 30s));
  CHECK(daemon.Kill(SIGTERM) == 0);
}

TEST_CASE("the open-uploads gauge falls when an idle upload expires, with no new message",
          "[faults][observability]") {
  Broker broker;
  const int port = FreePort();
  Daemon daemon(broker.bootstraps(), NewGroup(),
                {"--set", "metrics_address=127.0.0.1:" + std::to_string(port), "--set",
                 "upload_idle_timeout_ms=1000"});
  REQUIRE(WaitForStatus(port, "/readyz", 200, 30s));
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  pusher.Produce({"leakd.uploads", "k", std::string("data\n"), ChunkHeaders("idle", 0, false)},
                 nullptr);
  REQUIRE(pusher.Flush(10s));
  const auto gauge = [&] {
    const std::string scrape = HttpGet(port, "/metrics").second;
    const size_t at = scrape.find("\nleakd_open_uploads ");
    return at == std::string::npos ? -1 : std::atoi(scrape.c_str() + at + 20);
  };
  // Open for about the idle timeout (1 s) once it arrives: polled often.
  CHECK(Eventually([&] { return gauge() == 1; }, 30s, 20ms));
  CHECK(Eventually([&] { return gauge() == 0; }, 30s, 50ms));
  CHECK(HttpGet(port, "/metrics").second.find("leakd_uploads_closed_total{end=\"expired\"} 1") !=
        std::string::npos);
  CHECK(daemon.Kill(SIGTERM) == 0);
}

TEST_CASE("a worker stuck on one message past the bound is counted and fails /healthz",
          "[faults][observability]") {
  Broker broker;
  const int port = FreePort();
  // A 1 ms bound: a gzip bomb inflating to 64 MB keeps a worker far longer.
  Daemon daemon(broker.bootstraps(), NewGroup(),
                {"--set", "metrics_address=127.0.0.1:" + std::to_string(port), "--set",
                 "worker_stall_ms=1", "--set", "workers=1"});
  REQUIRE(WaitForStatus(port, "/readyz", 200, 30s));
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  const std::string bomb = GzipCompress(std::string(256u << 20, 'A'));
  for (int i = 0; i < 3; ++i) {
    pusher.Produce({"leakd.uploads",
                    "bomb",
                    bomb,
                    {{"repo", "r"}, {"path", "b"}, {"content-encoding", "gzip"}}},
                   nullptr);
  }
  REQUIRE(pusher.Flush(10s));
  bool unhealthy = false;
  double stalls = 0;
  // On a loaded machine the bombs reach the worker seconds after the push
  // (300 rounds of 5 ms were once too few); each stalls it for a moment.
  Eventually(
      [&] {
        const auto health = HttpGet(port, "/healthz");
        unhealthy |= health.first == 503 && health.second.find("stuck") != std::string::npos;
        const std::string scrape = HttpGet(port, "/metrics").second;
        const size_t at = scrape.find("\nleakd_worker_stalls_total ");
        if (at != std::string::npos) stalls = std::atof(scrape.c_str() + at + 27);
        return stalls >= 1 && unhealthy;
      },
      60s, 5ms);
  CHECK(stalls >= 1);
  CHECK(unhealthy);
  // Once the messages are done, it is healthy again.
  CHECK(WaitForStatus(port, "/healthz", 200, 30s));
  CHECK(daemon.Kill(SIGTERM) == 0);
}

namespace {
// A commit event of exactly `size` bytes whose added line holds `token`.
std::string EventOfSize(const std::string& token, size_t size) {
  const std::string line = "T=\"" + token + "\" #";
  const size_t base = CommitEventJson("org/size", "a.py", line).size();
  REQUIRE(base <= size);
  std::string event = CommitEventJson("org/size", "a.py", line + std::string(size - base, 'x'));
  REQUIRE(event.size() == size);
  return event;
}
}  // namespace

TEST_CASE("max_message_bytes at its boundary: that many bytes are scanned, one more is parked",
          "[faults]") {
  Broker broker;
  Daemon daemon(broker.bootstraps(), NewGroup(), {"--set", "max_message_bytes=65536"});
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  const std::string at = UniqueGithubToken(), over = UniqueGithubToken();
  const std::string over_event = EventOfSize(over, 65537);
  pusher.Produce({"leakd.commits", "at", EventOfSize(at, 65536), {}}, nullptr);
  pusher.Produce({"leakd.commits", "over", over_event, {}}, nullptr);
  REQUIRE(pusher.Flush(30s));
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil(
      [&] { return reader.HasAll({Sha256Hex(at)}) && !reader.dead_letters.empty(); }, 60s));
  REQUIRE(reader.dead_letters.size() == 1);
  CHECK(reader.dead_letters[0]["leakd-error"] == "message-too-large");
  CHECK(reader.dead_letter_values[0] == over_event);  // parked whole: it fits the producer
  CHECK(reader.Fingerprints().count(Sha256Hex(over)) == 0);
  CHECK(daemon.Kill(SIGTERM) == 0);
}

TEST_CASE("dead letters around the producer's limit all arrive: whole below it, shrunk above",
          "[faults]") {
  Broker broker;
  Daemon daemon(broker.bootstraps(), NewGroup());
  RecordProducer pusher(
      {{"bootstrap.servers", broker.bootstraps()}, {"message.max.bytes", "4000000"}});
  // The producer takes 1,000,000 bytes; the emitter keeps 1 KiB of that for
  // Kafka's framing, so the cut falls between the first and the last sizes.
  const std::set<size_t> sizes = {990000, 998000,  998800,  998900, 999000,
                                  999999, 1000000, 1000001, 1001024};
  for (const size_t n : sizes) {
    pusher.Produce({"leakd.commits", std::to_string(n), std::string(n, '{'), {}}, nullptr);
  }
  REQUIRE(pusher.Flush(30s));
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return reader.dead_letters.size() >= sizes.size(); }, 60s));
  std::set<size_t> seen;
  for (size_t i = 0; i < reader.dead_letters.size(); ++i) {
    auto& headers = reader.dead_letters[i];
    CHECK(headers["leakd-error"] == "invalid-json");
    const auto& value = reader.dead_letter_values[i];
    const size_t n = value ? value->size() : std::stoul(headers["leakd-original-size"]);
    INFO("size " << n);
    seen.insert(n);
    if (n <= 998000) CHECK(value.has_value());
    if (n >= 1000000) CHECK_FALSE(value.has_value());
    if (value) CHECK(*value == std::string(n, '{'));
  }
  CHECK(seen == sizes);
  CHECK(daemon.Kill(SIGTERM) == 0);
}

TEST_CASE("compressed batches that inflate past the cap are parked once each; the daemon goes on",
          "[faults]") {
  // librdkafka would fetch such a batch forever (kafka/batch_skipper.h). The
  // mock keeps the compressed batches, so this runs under ASan too.
  Broker broker;
  const int batches = PushCompressionBombs(broker.bootstraps(), "leakd.commits", "same");
  RecordProducer pusher({{"bootstrap.servers", broker.bootstraps()}});
  const std::string token = UniqueGithubToken();
  pusher.Produce({"leakd.commits", "same", CommitEventJson("org/r", "a.py", "T=" + token), {}},
                 nullptr);
  REQUIRE(pusher.Flush(30s));
  Daemon daemon(broker.bootstraps(), NewGroup());
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return reader.HasAll({Sha256Hex(token)}); }, 60s));
  reader.ReadUntil([] { return false; }, 2s);  // no record per probe comes after
  REQUIRE(reader.dead_letters.size() == static_cast<size_t>(batches));
  for (auto& h : reader.dead_letters) CHECK(h["leakd-error"] == "undecodable-batch");
  CHECK_FALSE(reader.dead_letter_values[0].has_value());
  CHECK(daemon.Kill(SIGTERM) == 0);
}

TEST_CASE("the commit passes an undecodable batch at the end of a partition", "[faults]") {
  // Nothing after the batches: the commit must still move past them, or a
  // restart would meet the last batch again.
  Broker broker;
  const std::string group = NewGroup();
  const int batches = PushCompressionBombs(broker.bootstraps(), "leakd.commits", "same");
  const std::string log = LogFile("skip");
  auto daemon =
      std::make_unique<Daemon>(broker.bootstraps(), group, std::vector<std::string>{}, log);
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil([&] { return reader.dead_letters.size() >= 2; }, 60s));
  const auto skipped = [&] {
    for (const auto& line : Lines(log)) {
      if (line.find("undecodable-batch-skipped") != std::string::npos) return true;
    }
    return false;
  };
  CHECK(Eventually(skipped, 30s));
  CHECK(daemon->Kill(SIGTERM) == 0);  // its final commit
  int64_t committed = -1;
  for (int64_t offset : Committed(broker.bootstraps(), group, "leakd.commits", 4)) {
    committed = std::max(committed, offset);
  }
  CHECK(committed == 6);  // the batches hold offsets 0 and 1 – 5
  daemon = std::make_unique<Daemon>(broker.bootstraps(), group);
  reader.ReadUntil([] { return false; }, 5s);
  CHECK(reader.dead_letters.size() == static_cast<size_t>(batches));  // not parked again
  daemon->Kill(SIGTERM);
}
