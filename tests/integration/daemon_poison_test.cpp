// A message that kills the daemon cannot kill it forever (serve/poison_guard.h),
// on librdkafka's mock cluster with `leakd serve` as a child process:
// the daemon is SIGKILLed at the worst moment, twice, while it processes the
// same message; the third process parks that message on the dead-letter topic
// as poison-message and goes on, and a message that was in flight beside it at
// the first death is scanned, not parked.
//
// "The worst moment" is found without any hook in the daemon: the test stops
// it (SIGSTOP), copies its in-flight journal, reads the copy as the next
// process would, and SIGKILLs it if the wanted messages are in flight, or lets
// it go on (SIGCONT) and looks again.
#include <zlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "ingest/gzip.h"
#include "ingest/upload_headers.h"
#include "kafka_fixture.h"
#include "serve/inflight_journal.h"
#include "temp_dir.h"

using namespace leakd;
using namespace leakd::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

constexpr int kPartitions = 4;  // of leakd.uploads on the test broker

// A key that librdkafka's default partitioner (CRC-32 of the key) puts on `partition`.
std::string KeyFor(int partition) {
  for (int i = 0;; ++i) {
    const std::string key = "k" + std::to_string(i);
    const uLong crc =
        crc32(0, reinterpret_cast<const Bytef*>(key.data()), static_cast<uInt>(key.size()));
    if (static_cast<int>(crc % kPartitions) == partition) return key;
  }
}

// A gzip upload that takes the daemon a while to inflate and scan: `mb` MB of
// plain code lines, then `last_line`.
std::string SlowUpload(size_t mb, const std::string& last_line) {
  std::string text;
  text.reserve(mb << 20);
  while (text.size() < (mb << 20)) text += "value = compute(1)\n";
  return GzipCompress(text + last_line + "\n");
}

struct StateDir : TempDir {
  StateDir() : TempDir("poison") {}
};

// What the daemon's journal shows in flight, read as the next process would
// read it after a death at this moment.
std::vector<InflightEntry> InFlight(const StateDir& state, const std::string& group) {
  const std::string stem = JournalFileStem(group);
  const fs::path copy = state.path / "peek";
  fs::create_directories(copy);
  std::error_code ec;
  fs::copy_file(state.path / (stem + ".0.inflight"), copy / (stem + ".0.inflight"),
                fs::copy_options::overwrite_existing, ec);
  if (ec) return {};
  return InflightJournal::Open(copy.string(), group)->recovered();
}

// `leakd serve` with `settings` and a metrics port, once it is ready: its
// journal then holds this process's entries, no longer the dead one's.
std::unique_ptr<Daemon> ReadyDaemon(const std::string& brokers, const std::string& group,
                                    std::vector<std::string> settings, int* port) {
  *port = FreePort();
  settings.insert(settings.end(), {"--set", "metrics_address=127.0.0.1:" + std::to_string(*port)});
  auto daemon = std::make_unique<Daemon>(brokers, group, settings);
  REQUIRE(WaitForStatus(*port, "/readyz", 200, 60s));
  return daemon;
}

// SIGKILLs `daemon` at a moment its journal satisfies `wanted`; false if
// that moment did not come within the timeout.
template <typename Wanted>
bool KillWhen(Daemon& daemon, const StateDir& state, const std::string& group, Wanted wanted,
              std::chrono::seconds timeout) {
  return Eventually(
      [&] {
        ::kill(daemon.pid(), SIGSTOP);
        const std::vector<InflightEntry> entries = InFlight(state, group);
        if (wanted(entries)) {
          daemon.Kill(SIGKILL);
          return true;
        }
        ::kill(daemon.pid(), SIGCONT);
        return false;
      },
      timeout, 5ms);
}

bool Holds(const std::vector<InflightEntry>& entries, int partition) {
  for (const auto& e : entries) {
    if (e.topic == "leakd.uploads" && e.partition == partition) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a message in flight at two deaths is parked as poison-message; the daemon goes on",
          "[poison]") {
  Broker broker;
  StateDir state;
  const std::string group = NewGroup();
  RecordProducer pusher(
      {{"bootstrap.servers", broker.bootstraps()}, {"message.max.bytes", "4000000"}});
  const std::string bystander_token = UniqueGithubToken();
  const MessageHeaders gzip = {
      {"repo", "org/m"}, {"path", "model.py"}, {"content-encoding", "gzip"}};
  const std::string poison = SlowUpload(96, "end = 1");
  // Partitions 0 and 1 go to different workers: both are processed at once.
  pusher.Produce({"leakd.uploads", KeyFor(0), poison, gzip}, nullptr);
  pusher.Produce({"leakd.uploads", KeyFor(1), SlowUpload(96, "T=" + bystander_token), gzip},
                 nullptr);
  REQUIRE(pusher.Flush(30s));
  const std::vector<std::string> settings = {"--set", "state_dir=" + state.path.string(), "--set",
                                             "max_decompressed_bytes=400000000"};

  int port = 0;
  // 1. Dies with both messages in flight: each gets a strike.
  {
    auto first = ReadyDaemon(broker.bootstraps(), group, settings, &port);
    REQUIRE(KillWhen(
        *first, state, group, [](auto& e) { return Holds(e, 0) && Holds(e, 1); }, 120s));
  }
  // 2. Suspects run alone: dies while the poison runs, and nothing else does.
  {
    auto second = ReadyDaemon(broker.bootstraps(), group, settings, &port);
    CHECK(MetricValue(HttpGet(port, "/metrics").second, "leakd_crash_suspects_total") == 2);
    std::vector<InflightEntry> at_death;
    REQUIRE(KillWhen(
        *second, state, group,
        [&](auto& e) {
          at_death = e;
          return Holds(e, 0);
        },
        120s));
    CHECK(at_death.size() == 1);
  }
  // 3. The poison is parked unprocessed; the bystander is scanned; the
  //    daemon goes on with new traffic and commits past both.
  auto third = ReadyDaemon(broker.bootstraps(), group, settings, &port);
  const std::string after_token = UniqueGithubToken();
  pusher.Produce(
      {"leakd.commits", "after", CommitEventJson("org/after", "a.py", "T=" + after_token), {}},
      nullptr);
  REQUIRE(pusher.Flush(30s));
  Reader reader(broker.bootstraps());
  REQUIRE(reader.ReadUntil(
      [&] {
        return !reader.dead_letters.empty() &&
               reader.HasAll({Sha256Hex(bystander_token), Sha256Hex(after_token)});
      },
      120s));
  REQUIRE(reader.dead_letters.size() == 1);
  CHECK(reader.dead_letters[0]["leakd-error"] == "poison-message");
  CHECK(reader.dead_letters[0]["content-encoding"] == "gzip");
  CHECK(reader.dead_letter_values[0] == poison);  // whole, for a human to replay
  const std::string metrics = HttpGet(port, "/metrics").second;
  CHECK(MetricValue(metrics, "leakd_crash_suspects_total") == 1);  // the poison, from run 2
  CHECK(MetricValue(metrics, "leakd_dead_letters_total{reason=\"poison-message\"}") == 1);
  CHECK(third->Kill(SIGTERM) == 0);
}

TEST_CASE("an unusable state_dir stops the start with a clear error", "[poison]") {
  StateDir state;
  fs::create_directories(state.path);
  std::ofstream(state.path / "file") << "x";
  Broker broker;
  const std::string log = (state.path / "daemon.log").string();
  Daemon daemon(broker.bootstraps(), NewGroup(),
                {"--set", "state_dir=" + (state.path / "file" / "sub").string()}, log);
  CHECK(daemon.KillWithin(0, 30s) == 2);
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  CHECK(text.find("file/sub") != std::string::npos);
}
