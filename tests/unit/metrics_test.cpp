#include "obs/metrics.h"

#include <catch2/catch.hpp>
#include <optional>
#include <regex>
#include <set>

#include "test_support.h"

using namespace leakd;

namespace {

bool Has(const std::string& scrape, const std::string& line) {
  return scrape.find(line) != std::string::npos;
}

// The value of the one series whose line starts with `series ` (name and labels).
double Value(const std::string& scrape, const std::string& series) {
  const size_t at = scrape.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(scrape.substr(at + series.size() + 2));
}

}  // namespace

// Families with labels appear with their first series (prometheus-cpp does not
// print a family without one); the rest are there from the start.
TEST_CASE("every metric family is named leakd_ and has HELP and TYPE", "[metrics]") {
  Metrics m;
  m.MessageConsumed("leakd.commits", "ok");
  m.DeadLetter("invalid-json");
  m.RecordRejected("alert");
  m.AlertProduced("github");
  m.ConsumerLag("leakd.commits", 0, 1);
  const std::string scrape = m.Scrape();
  std::set<std::string> typed;
  const std::regex type_line("# TYPE (\\w+) (counter|gauge|histogram)");
  for (auto it = std::sregex_iterator(scrape.begin(), scrape.end(), type_line);
       it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1];
    CHECK(name.rfind("leakd_", 0) == 0);
    CHECK(Has(scrape, "# HELP " + name + " "));
    typed.insert(name);
  }
  CHECK(typed.size() >= 20);
  for (const char* promised :
       {"leakd_messages_consumed_total", "leakd_alerts_produced_total", "leakd_dead_letters_total",
        "leakd_consumer_lag_messages", "leakd_push_to_alert_seconds",
        "leakd_records_rejected_total", "leakd_scanned_bytes_total",
        "leakd_delivery_failures_total", "leakd_pattern_database_last_reload_success",
        "leakd_crash_suspects_total"}) {
    CHECK(typed.count(promised) == 1);
  }
}

TEST_CASE("findings are labelled by rule, provider, confidence and fixture, never by secret",
          "[metrics]") {
  Metrics m;
  auto db = testing::SharedDatabase();
  const Rule& rule = *db->rules().FindById("github.pat");
  m.Finding(rule, Confidence::kChecksum);
  m.Finding(rule, Confidence::kChecksum);
  m.Finding(rule, Confidence::kChecksum, /*fixture=*/true);
  const std::string scrape = m.Scrape();
  CHECK(Value(scrape,
              "leakd_findings_total{confidence=\"checksum\",fixture=\"false\","
              "provider=\"github\",rule=\"github.pat\"}") == 2);
  CHECK(Value(scrape,
              "leakd_findings_total{confidence=\"checksum\",fixture=\"true\","
              "provider=\"github\",rule=\"github.pat\"}") == 1);
}

TEST_CASE("delivery failures follow the producer's running total", "[metrics]") {
  Metrics m;
  m.AddDeliveryFailures(3);
  m.AddDeliveryFailures(5);
  m.AddDeliveryFailures(4);  // a stale total never decreases the counter
  CHECK(Value(m.Scrape(), "leakd_delivery_failures_total") == 5);
}

TEST_CASE("a revoked partition's lag series goes away", "[metrics]") {
  Metrics m;
  m.ConsumerLag("leakd.commits", 3, 42);
  CHECK(Value(m.Scrape(), "leakd_consumer_lag_messages{partition=\"3\",topic=\"leakd.commits\"}") ==
        42);
  m.ForgetConsumerLag("leakd.commits", 3);
  CHECK_FALSE(Has(m.Scrape(), "partition=\"3\""));
}

TEST_CASE("pattern database load and failed reload", "[metrics]") {
  Metrics m;
  auto db = testing::SharedDatabase();
  m.PatternDatabaseLoaded(*db);
  std::string scrape = m.Scrape();
  CHECK(Value(scrape, "leakd_pattern_database_last_reload_success") == 1);
  CHECK(Value(scrape, "leakd_pattern_database_rules") == static_cast<double>(db->size()));
  CHECK(Has(scrape, "leakd_pattern_database_info{hash=\"" + db->content_hash().substr(0, 16)));
  m.PatternDatabaseLoadFailed();
  CHECK(Value(m.Scrape(), "leakd_pattern_database_last_reload_success") == 0);
}

TEST_CASE("findings are counted by rule id even when a reload reuses a rule's address",
          "[metrics]") {
  Metrics m;
  std::optional<Rule> slot;  // one address, two rules one after the other
  slot.emplace();
  slot->id = "old.rule";
  slot->provider = "old";
  m.Finding(*slot, Confidence::kFormat);
  m.Finding(*slot, Confidence::kFormat);
  m.Finding(*slot, Confidence::kFormat, /*fixture=*/true);
  slot.emplace();
  slot->id = "new.rule";
  slot->provider = "new";
  m.Finding(*slot, Confidence::kFormat);
  const std::string scrape = m.Scrape();
  CHECK(
      Value(
          scrape,
          R"(leakd_findings_total{confidence="format",fixture="false",provider="old",rule="old.rule"})") ==
      2);
  CHECK(
      Value(
          scrape,
          R"(leakd_findings_total{confidence="format",fixture="true",provider="old",rule="old.rule"})") ==
      1);
  CHECK(
      Value(
          scrape,
          R"(leakd_findings_total{confidence="format",fixture="false",provider="new",rule="new.rule"})") ==
      1);
}

TEST_CASE("consumed messages and alerts are counted in their own series", "[metrics]") {
  // Series are kept by their label values between calls: each combination
  // must still count only its own.
  Metrics m;
  for (int i = 0; i < 3; ++i) m.MessageConsumed("leakd.commits", "ok");
  m.MessageConsumed("leakd.commits", "dead_letter");
  for (int i = 0; i < 2; ++i) m.MessageConsumed("leakd.uploads", "ok");
  // Values that would collide if the two labels were joined without a bound.
  m.MessageConsumed("leakd.commitsok", "");
  for (int i = 0; i < 4; ++i) m.AlertProduced("github");
  m.AlertProduced("huggingface");
  const std::string s = m.Scrape();
  CHECK(Value(s, R"(leakd_messages_consumed_total{outcome="ok",topic="leakd.commits"})") == 3);
  CHECK(Value(s, R"(leakd_messages_consumed_total{outcome="dead_letter",topic="leakd.commits"})") ==
        1);
  CHECK(Value(s, R"(leakd_messages_consumed_total{outcome="ok",topic="leakd.uploads"})") == 2);
  CHECK(Value(s, R"(leakd_messages_consumed_total{outcome="",topic="leakd.commitsok"})") == 1);
  CHECK(Value(s, R"(leakd_alerts_produced_total{provider="github"})") == 4);
  CHECK(Value(s, R"(leakd_alerts_produced_total{provider="huggingface"})") == 1);
}
