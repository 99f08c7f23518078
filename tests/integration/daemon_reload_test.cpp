// Live rule reload on the mock cluster, under load (~1,000 commit events/s):
// SIGHUP swaps in a rule added on disk without losing or duplicating an alert
// of the traffic around the swap; messages consumed after the swap get the new
// rule; a broken rules file leaves the daemon serving with the old rules and
// leakd_pattern_database_last_reload_success at 0.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "kafka_fixture.h"
#include "reload_rules.h"
#include "scan/engine_config.h"
#include "scan/scanner.h"
#include "test_support.h"

using namespace leakd;
using namespace leakd::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

using leakd::testing::kAcmeRule;
using leakd::testing::kBrokenRule;

namespace {

std::string AcmeToken(unsigned n) {
  return "acmekey_" + SeededAlnum(n, 24, 977u);
}

void WriteRule(const fs::path& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / (name + ".tmp")) << text;
  fs::rename(dir / (name + ".tmp"), dir / "rules" / name);
}

// The value of a metric line starting with `prefix` in /metrics, or "" if none.
std::string Metric(int port, const std::string& prefix) {
  std::istringstream lines(HttpGet(port, "/metrics").second);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
  }
  return "";
}

bool WaitMetric(int port, const std::string& prefix, const std::function<bool(std::string)>& ok) {
  for (int i = 0; i < 600; ++i) {
    if (ok(Metric(port, prefix))) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

// Commit events with GitHub tokens at ~`per_second` on its own thread until
// stopped. Only tokens the rules detect are pushed (checked with `db`): about
// one valid-checksum token in 5,000 from the generator is not reported by the
// scanner at all (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: `leakd scan`
// reports nothing either), which is not the reload's doing.
struct Load {
  Load(const std::string& brokers, int per_second, std::shared_ptr<const PatternDatabase> db)
      : traffic(brokers) {
    thread = std::thread([this, per_second, db] {
      Scanner scanner(db);
      const auto start = std::chrono::steady_clock::now();
      int sent = 0;
      while (!stop) {
        const auto due = start + std::chrono::microseconds(1000000LL * sent / per_second);
        if (std::chrono::steady_clock::now() < due) std::this_thread::sleep_until(due);
        const std::string token = UniqueGithubToken();
        const std::string line = "TOKEN=\"" + token + "\"";
        std::vector<Finding> found;
        scanner.Scan(line, &found);
        if (found.empty()) {
          ++undetectable;
          continue;
        }
        traffic.expected.insert(Sha256Hex(token));
        const std::string repo = "org/r" + std::to_string(sent % 13);
        traffic.pusher.Produce({"leakd.commits", repo, CommitEventJson(repo, "app.py", line), {}},
                               nullptr);
        ++sent;
      }
      seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    });
  }
  void Stop() {
    stop = true;
    thread.join();
  }
  Traffic traffic;
  std::atomic<bool> stop{false};
  double seconds = 0;
  int undetectable = 0;
  std::thread thread;
};

// Alerts by fingerprint, counted as the reader reads them: Reader::HasAll
// rebuilds a set per message, too slow for tens of thousands of alerts.
struct Seen {
  explicit Seen(const Reader& r) : reader(r) {}
  bool HasAll(const std::set<std::string>& want) {
    for (; upto < reader.alerts.size(); ++upto) ++count[reader.alerts[upto]["fingerprint"]];
    if (count.size() < want.size()) return false;
    return std::all_of(want.begin(), want.end(), [&](const auto& fp) { return count.count(fp); });
  }
  const Reader& reader;
  size_t upto = 0;
  std::map<std::string, int> count;
};

}  // namespace

TEST_CASE(
    "reload under load: no alert lost or duplicated, new rules apply after the swap, "
    "a broken file keeps the old rules",
    "[daemon][reload]") {
  const fs::path dir =
      fs::temp_directory_path() / ("leakd-reload-it-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "rules");
  fs::copy_file(fs::path(LEAKD_TEST_PATTERNS) / "github.yaml", dir / "rules" / "github.yaml");
  EngineConfig engine;  // the daemon's rules before the reload
  engine.rules_path = (dir / "rules").string();
  engine.cache_dir = (dir / "cache").string();
  Broker broker;
  const int port = FreePort();
  const std::string log_file = (dir / "daemon.log").string();
  Daemon daemon(broker.bootstraps(), NewGroup(),
                {"--set", "rules=" + (dir / "rules").string(), "--set",
                 "cache_dir=" + (dir / "cache").string(), "--set", "rules_poll_ms=0", "--set",
                 "log_level=info", "--set", "metrics_address=127.0.0.1:" + std::to_string(port)},
                log_file);
  REQUIRE(WaitForStatus(port, "/readyz", 200, 30s));
  const std::string first_hash = Metric(port, "leakd_pattern_database_info{hash=\"");
  REQUIRE_FALSE(first_hash.empty());
  RecordProducer acme({{"bootstrap.servers", broker.bootstraps()}});
  std::set<std::string> acme_before, acme_after, markers;
  Reader reader(broker.bootstraps());
  Seen seen(reader);
  // 20 acme tokens, then a GitHub token on the same partition: once its alert
  // is read, the daemon has processed the acme ones.
  auto push_acme = [&](std::set<std::string>* into, unsigned from) {
    for (unsigned i = from; i < from + 20; ++i) {
      into->insert(Sha256Hex(AcmeToken(i)));
      acme.Produce({"leakd.commits",
                    "acme",
                    CommitEventJson("org/acme", "k.env", "ACME=" + AcmeToken(i)),
                    {}},
                   nullptr);
    }
    const std::string marker = UniqueGithubToken();
    markers.insert(Sha256Hex(marker));
    acme.Produce({"leakd.commits", "acme", CommitEventJson("org/acme", "m.env", "T=" + marker), {}},
                 nullptr);
    acme.Flush(10s);
    REQUIRE(reader.ReadUntil([&] { return seen.HasAll(markers); }, 30s));
  };

  Load load(broker.bootstraps(), 1000, LoadEngine(engine));
  std::this_thread::sleep_for(1500ms);
  push_acme(&acme_before, 0);  // no acme rule yet: no alert
  WriteRule(dir, "acme.yaml", kAcmeRule);
  ::kill(daemon.pid(), SIGHUP);
  REQUIRE(WaitMetric(port, "leakd_pattern_database_info{hash=\"",
                     [&](const std::string& v) { return !v.empty() && v != first_hash; }));
  push_acme(&acme_after, 1000);  // consumed after the swap: alerted
  std::this_thread::sleep_for(1000ms);
  WriteRule(dir, "broken.yaml", kBrokenRule);
  ::kill(daemon.pid(), SIGHUP);
  REQUIRE(WaitMetric(port, "leakd_pattern_database_last_reload_success ",
                     [](const std::string& v) { return v == "0"; }));
  push_acme(&acme_after, 2000);  // the old rules (with acme) still serve
  std::this_thread::sleep_for(1500ms);
  load.Stop();
  REQUIRE(load.traffic.pusher.Flush(20s));
  const double rate = static_cast<double>(load.traffic.expected.size()) / load.seconds;
  std::printf(
      "reload under load: %zu commit events in %.2f s = %.0f events/s (%d tokens "
      "the rules do not detect not pushed)\n",
      load.traffic.expected.size(), load.seconds, rate, load.undetectable);

  const bool all = reader.ReadUntil(
      [&] { return seen.HasAll(load.traffic.expected) && seen.HasAll(acme_after); }, 60s);
  if (!all) {
    size_t missing = 0;
    for (const auto& fp : load.traffic.expected) missing += seen.count.count(fp) ? 0 : 1;
    std::printf("missing %zu of %zu; pusher rejected %llu acked %llu; alerts read %zu\n", missing,
                load.traffic.expected.size(),
                static_cast<unsigned long long>(load.traffic.pusher.rejected()),
                static_cast<unsigned long long>(load.traffic.pusher.acknowledged()),
                reader.alerts.size());
  }
  REQUIRE(all);
  reader.ReadUntil([] { return false; }, 2s);  // anything late, e.g. a duplicate
  seen.HasAll({});
  std::map<std::string, int>& count = seen.count;
  for (const auto& fp : load.traffic.expected) {
    INFO(fp);
    CHECK(count[fp] == 1);
  }
  for (const auto& fp : acme_after) CHECK(count[fp] == 1);
  for (const auto& fp : markers) CHECK(count[fp] == 1);
  for (const auto& fp : acme_before) CHECK(count[fp] == 0);
  CHECK(reader.alerts.size() == load.traffic.expected.size() + acme_after.size() + markers.size());
  CHECK(Metric(port, "leakd_pattern_database_last_reload_success ") == "0");
  CHECK(daemon.Kill(SIGTERM) == 0);

  std::ifstream in(log_file);
  std::stringstream logs;
  logs << in.rdbuf();
  const std::string text = logs.str();
  CHECK(text.find("\"event\":\"rules-reloaded\"") != std::string::npos);
  const size_t failed = text.find("\"event\":\"rules-reload-failed\"");
  REQUIRE(failed != std::string::npos);
  const size_t begin = text.rfind('\n', failed) + 1;  // npos + 1 == 0: the first line
  const std::string line = text.substr(begin, text.find('\n', failed) - begin);
  INFO(line);
  CHECK(line.find("broken.yaml") != std::string::npos);
  CHECK(line.find("broken.unclosed") != std::string::npos);
  fs::remove_all(dir);
}
