// `leakd scan --git --publish` against a real Apache Kafka (KRaft) broker:
// every finding of a history arrives on the alert topic as leakd.alert.v1
// with source "history", its provenance, and the provider as key, once per
// fingerprint and provenance. A second run publishes again (the producer's
// idempotence covers its own retries, not runs), with the same
// leakd-history-id header by which a consumer drops repeats.
// Skipped (exit 77) when the Kafka jars were not fetched.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "git_fixture.h"
#include "kafka_fixture.h"
#include "kraft_cluster.h"
#include "scan/fingerprint.h"
#include "test_support.h"

using namespace leakd;
using namespace leakd::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

struct Run {
  int exit_code;
  std::string out, err;
};

Run Leakd(const std::string& args) {
  const auto err = std::filesystem::temp_directory_path() /
                   ("leakd-history-kafka-err-" + std::to_string(::getpid()));
  auto [status, out] = Shell(std::string(LEAKD_BINARY) + " scan --rules " + LEAKD_TEST_PATTERNS +
                             " " + args + " 2> " + err.string());
  std::stringstream err_text;
  err_text << std::ifstream(err).rdbuf();
  return {status, out, err_text.str()};
}

// fingerprint, commit, path, line: what identifies a history alert.
using Identity = std::tuple<std::string, std::string, std::string, uint64_t>;

Identity IdentityOf(const json& j) {
  return {j["fingerprint"], j["commit"], j["path"], j["line"]};
}

}  // namespace

TEST_CASE("real Kafka: --publish sends every history finding once, with its provenance",
          "[kafka][git]") {
  if (KafkaLibs().empty()) {
    std::cout << "Kafka jars not found (scripts/fetch-kafka.sh): skipped\n";
    std::exit(77);
  }
  KraftCluster cluster(1);
  GitRepo repo;
  repo.Write("config.py", "token = '" + GithubToken("ghp_", 201) + "'\n");
  repo.Write("app.py", "KEY = '" + GithubToken("ghp_", 202) + "'\n");
  repo.Commit("add", "2021-01-01T10:00:00+02:00");
  repo.Write("config.py", "token = None\n");
  repo.Write("copy.py", "KEY = '" + GithubToken("ghp_", 202) + "'\n");
  repo.Write("deploy/env.sh", "export GH='" + GithubToken("ghp_", 203) + "'\n");
  repo.Commit("more", "2021-02-01T00:00:00+00:00");

  const std::string path = repo.root().string();
  const Run scan = Leakd("--git " + path + " -f jsonl");
  std::multiset<Identity> expected;
  std::istringstream lines(scan.out);
  for (std::string line; std::getline(lines, line);) expected.insert(IdentityOf(json::parse(line)));
  REQUIRE(expected.size() == 3);

  const std::string publish =
      "--git " + path + " -f jsonl --repo org/backfill --publish " + cluster.bootstraps();
  const Run first = Leakd(publish);
  INFO(first.err);
  CHECK(first.exit_code == 1);  // findings, all acknowledged
  CHECK(first.err.find("published 3 of 3 alert(s) to leakd.alerts (0 rejected") !=
        std::string::npos);

  Reader reader(cluster.bootstraps(), 0);
  REQUIRE(reader.ReadUntil([&] { return reader.alerts.size() >= expected.size(); }, 60s));
  reader.ReadUntil([] { return false; }, 3s);  // anything extra would arrive by now
  std::multiset<Identity> got;
  for (size_t i = 0; i < reader.alerts.size(); ++i) {
    const json& a = reader.alerts[i];
    INFO(a.dump());
    got.insert(IdentityOf(a));
    CHECK(a["schema"] == "leakd.alert.v1");
    CHECK(a["source"] == "history");
    CHECK(a["repo"] == "org/backfill");
    CHECK(a["provider"] == "github");
    CHECK(reader.alert_keys[i] == "github");
    CHECK(a["origin"]["partition"] == -1);
    CHECK(reader.alert_headers[i].count("leakd-history-id") == 1);
  }
  CHECK(got == expected);  // each once

  const Run second = Leakd(publish);
  CHECK(second.exit_code == 1);
  REQUIRE(reader.ReadUntil([&] { return reader.alerts.size() >= 2 * expected.size(); }, 60s));
  reader.ReadUntil([] { return false; }, 3s);
  REQUIRE(reader.alerts.size() == 2 * expected.size());
  std::map<std::string, int> per_id;
  for (const auto& headers : reader.alert_headers) ++per_id[headers.at("leakd-history-id")];
  CHECK(per_id.size() == expected.size());
  for (const auto& [id, count] : per_id) CHECK(count == 2);
}
