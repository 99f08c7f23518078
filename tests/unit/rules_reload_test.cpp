// Live rule reload: the reloader publishes a new database when the rules on
// disk change, keeps the old one when they are broken, and moves the metrics;
// a worker's open upload finishes on the database it started on.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "reload_rules.h"
#include "serve/rules_reloader.h"
#include "serve/scan_engines.h"
#include "test_support.h"

using namespace leakd;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

using leakd::testing::kAcmeRule;
using leakd::testing::kBrokenRule;

namespace {

const std::string kAcmeToken = "acmekey_Zx8cVb4nMq2wEr6tYu1iOp3a";

struct RulesDir {
  fs::path dir = fs::temp_directory_path() / ("leakd-reload-" + std::to_string(::getpid()));
  RulesDir() {
    fs::remove_all(dir);
    fs::create_directories(dir / "rules");
    fs::copy_file(fs::path(LEAKD_TEST_PATTERNS) / "github.yaml", dir / "rules" / "github.yaml");
  }
  ~RulesDir() { fs::remove_all(dir); }
  EngineConfig engine() const {
    EngineConfig e;
    e.rules_path = (dir / "rules").string();
    e.cache_dir = (dir / "cache").string();
    e.with_stream = true;
    return e;
  }
  void Write(const std::string& name, const std::string& text) const {
    const fs::path tmp = dir / (name + ".tmp");
    std::ofstream(tmp) << text;
    fs::rename(tmp, dir / "rules" / name);  // as an editor or a ConfigMap update does
  }
};

bool WaitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 300; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return done();
}

bool Finds(const std::shared_ptr<const PatternDatabase>& db, const std::string& text) {
  Scanner scanner(db);
  std::vector<Finding> out;
  scanner.Scan(text, &out);
  return !out.empty();
}

std::string InfoLine(const PatternDatabase& db) {
  return "leakd_pattern_database_info{hash=\"" + db.content_hash().substr(0, 16) + "\"} 1";
}

}  // namespace

TEST_CASE("a rule added on disk is compiled and swapped in; a broken one keeps the old rules",
          "[reload]") {
  RulesDir rules;
  Metrics metrics;
  auto first = LoadEngine(rules.engine());
  metrics.PatternDatabaseLoaded(*first);
  DatabaseSlot slot(first);
  std::atomic<bool> hup{false};
  RulesReloader reloader(rules.engine(), 50, slot, metrics, &hup);
  reloader.Start();
  CHECK_FALSE(Finds(slot.Get(), "ACME=" + kAcmeToken));

  rules.Write("acme.yaml", kAcmeRule);
  REQUIRE(WaitFor([&] { return slot.generation() == 1; }));
  const auto second = slot.Get();
  CHECK(second->size() == first->size() + 1);
  CHECK(Finds(second, "ACME=" + kAcmeToken));
  CHECK(Finds(first, "ACME=" + kAcmeToken) == false);  // the old one is untouched
  std::string scrape = metrics.Scrape();
  CHECK(scrape.find(InfoLine(*second)) != std::string::npos);
  CHECK(scrape.find(first->content_hash().substr(0, 16)) == std::string::npos);
  CHECK(scrape.find("leakd_pattern_database_last_reload_success 1") != std::string::npos);

  rules.Write("broken.yaml", kBrokenRule);
  REQUIRE(WaitFor([&] {
    return metrics.Scrape().find("leakd_pattern_database_last_reload_success 0") !=
           std::string::npos;
  }));
  CHECK(slot.generation() == 1);
  CHECK(slot.Get() == second);
  CHECK(metrics.Scrape().find(InfoLine(*second)) != std::string::npos);

  fs::remove(rules.dir / "rules" / "broken.yaml");
  REQUIRE(WaitFor([&] {
    return metrics.Scrape().find("leakd_pattern_database_last_reload_success 1") !=
           std::string::npos;
  }));
  CHECK(slot.generation() == 1);  // the same rules as before: nothing to swap
  reloader.Stop();
}

TEST_CASE("SIGHUP's flag reloads without polling; unchanged rules are not swapped", "[reload]") {
  RulesDir rules;
  Metrics metrics;
  DatabaseSlot slot(LoadEngine(rules.engine()));
  std::atomic<bool> hup{false};
  RulesReloader reloader(rules.engine(), 0, slot, metrics, &hup);
  reloader.Start();
  hup = true;
  REQUIRE(WaitFor([&] { return !hup; }));
  REQUIRE(WaitFor([&] {
    return metrics.Scrape().find("leakd_pattern_database_last_reload_success 1") !=
           std::string::npos;
  }));
  CHECK(slot.generation() == 0);
  rules.Write("acme.yaml", kAcmeRule);
  std::this_thread::sleep_for(300ms);
  CHECK(slot.generation() == 0);  // no polling: the change waits for the signal
  hup = true;
  REQUIRE(WaitFor([&] { return slot.generation() == 1; }));
  CHECK(Finds(slot.Get(), kAcmeToken));
}

TEST_CASE("an upload open across a reload finishes on its database; new ones use the new one",
          "[reload]") {
  RulesDir rules;
  const auto old_db = LoadEngine(rules.engine());
  rules.Write("acme.yaml", kAcmeRule);
  fs::remove(rules.dir / "rules" / "github.yaml");
  const auto new_db = LoadEngine(rules.engine());  // acme only
  ScanEngines engines(old_db, UploadLimits{});
  const std::string token = testing::GithubToken("ghp_", 11);
  const std::string text = "auth: " + token + "\n";
  const size_t cut = text.find(token) + 20;
  auto a = engines.Feed("u1", {"org/m", "f"}, 0, false, text.substr(0, cut), 1);
  CHECK(a.findings.empty());
  engines.Adopt(new_db);
  CHECK(engines.retired_sets() == 1);
  CHECK(&engines.database() == new_db.get());
  auto b = engines.Feed("u2", {"org/m", "g"}, 0, true, "k=" + kAcmeToken + "\n" + text, 2);
  REQUIRE(b.findings.size() == 1);  // the new rules: acme, and no github rule any more
  CHECK(b.findings[0].finding.rule->id == "acme.key");
  auto c = engines.Feed("u1", {"org/m", "f"}, 1, true, text.substr(cut), 1);
  REQUIRE(c.findings.size() == 1);  // the upload that began before the swap: github rules
  CHECK(c.findings[0].finding.secret == token);
  CHECK(c.findings[0].tag == 1);
  CHECK(engines.retired_sets() == 0);  // freed with its last upload
  CHECK(engines.open_uploads() == 0);
}

TEST_CASE("a ConfigMap-style rules volume loads each file once and reloads on its symlink swap",
          "[reload]") {
  // Kubernetes: name.yaml -> ..data/name.yaml, ..data -> ..<timestamp>/, and
  // an update writes a new timestamped folder and swaps ..data atomically.
  RulesDir rules;
  const fs::path vol = rules.dir / "volume";
  fs::create_directories(vol / "..v1");
  fs::copy_file(rules.dir / "rules" / "github.yaml", vol / "..v1" / "github.yaml");
  fs::create_directory_symlink("..v1", vol / "..data");
  fs::create_symlink("..data/github.yaml", vol / "github.yaml");
  EngineConfig engine = rules.engine();
  engine.rules_path = vol.string();
  const auto first = LoadEngine(engine);  // no duplicate ids from ..v1
  CHECK(first->size() == RuleSet::LoadFrom((rules.dir / "rules").string()).size());

  Metrics metrics;
  DatabaseSlot slot(first);
  RulesReloader reloader(engine, 50, slot, metrics, nullptr);
  reloader.Start();
  fs::create_directories(vol / "..v2");
  fs::copy_file(vol / "..v1" / "github.yaml", vol / "..v2" / "github.yaml");
  std::ofstream(vol / "..v2" / "acme.yaml") << kAcmeRule;
  fs::create_directory_symlink("..v2", vol / "..data_tmp");
  fs::rename(vol / "..data_tmp", vol / "..data");
  fs::create_symlink("..data/acme.yaml", vol / "acme.yaml");
  fs::remove_all(vol / "..v1");
  REQUIRE(WaitFor([&] { return slot.generation() == 1; }));
  CHECK(slot.Get()->size() == first->size() + 1);
  CHECK(Finds(slot.Get(), "ACME=" + kAcmeToken));
  CHECK(metrics.Scrape().find("leakd_pattern_database_last_reload_success 1") != std::string::npos);
}
