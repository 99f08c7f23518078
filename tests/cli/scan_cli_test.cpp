// `leakd scan` as a user runs it: a real process, real files, real exit codes.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <vector>

#include "scan/fingerprint.h"
#include "shell.h"
#include "test_support.h"

namespace fs = std::filesystem;
using leakd::testing::GithubToken;

namespace {

struct Result {
  int exit_code;
  std::string out;
  std::string err;
};

class TempTree {
 public:
  TempTree()
      : root_(fs::temp_directory_path() /
              ("leakd-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))) {
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  ~TempTree() { fs::remove_all(root_); }
  fs::path Write(const std::string& rel, const std::string& content) {
    const fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  const fs::path& root() const { return root_; }

 private:
  static inline int counter_ = 0;
  fs::path root_;
};

using leakd::testing::Shell;

Result Run(const std::string& args, const std::string& stdin_text = "") {
  const fs::path err = fs::temp_directory_path() / ("leakd-cli-err-" + std::to_string(::getpid()));
  const fs::path in = fs::temp_directory_path() / ("leakd-cli-in-" + std::to_string(::getpid()));
  std::ofstream(in) << stdin_text;
  const std::string cmd = std::string(LEAKD_BINARY) + " " + args + " --rules " +
                          LEAKD_TEST_PATTERNS + " < " + in.string() + " 2> " + err.string();
  auto [status, out] = Shell(cmd);
  std::stringstream err_text;
  err_text << std::ifstream(err).rdbuf();
  return {status, out, err_text.str()};
}

}  // namespace

TEST_CASE("exit status: 0 clean, 1 findings, 2 error", "[cli]") {
  TempTree tree;
  tree.Write("clean.txt", "nothing to see here\n");
  CHECK(Run("scan " + tree.root().string()).exit_code == 0);
  tree.Write("src/config.py", "TOKEN = '" + GithubToken("ghp_", 1) + "'\n");
  CHECK(Run("scan " + tree.root().string()).exit_code == 1);
  CHECK(Run("scan /nonexistent/path").exit_code == 2);
  CHECK(Run("scan --format bogus " + tree.root().string()).exit_code == 2);
}

TEST_CASE("empty files are scanned without error", "[cli]") {
  TempTree tree;
  tree.Write("empty.txt", "");
  tree.Write("src/also-empty.py", "");
  tree.Write("src/clean.py", "x = 1\n");
  const Result clean = Run("scan " + tree.root().string());
  CHECK(clean.exit_code == 0);
  CHECK(clean.err.find("failed") == std::string::npos);
  CHECK(Run("scan " + (tree.root() / "empty.txt").string()).exit_code == 0);
  tree.Write("src/config.py", "TOKEN = '" + GithubToken("ghp_", 4) + "'\n");
  CHECK(Run("scan " + tree.root().string()).exit_code == 1);
  CHECK(Run("scan -", "").exit_code == 0);
}

TEST_CASE(".leakdignore and --ignore-file skip fingerprints and paths", "[cli]") {
  TempTree tree;
  const std::string kept = GithubToken("ghp_", 5), by_fingerprint = GithubToken("ghp_", 6),
                    by_short = GithubToken("ghp_", 7), in_vendor = GithubToken("ghp_", 8);
  tree.Write("src/a.py",
             "A = '" + kept + "'\nB = '" + by_fingerprint + "'\nC = '" + by_short + "'\n");
  tree.Write("vendor/lib/b.py", "D = '" + in_vendor + "'\n");
  tree.Write("fixtures/keys.env", "E = '" + in_vendor + "'\n");
  auto rules_found = [&](const Result& r) {
    std::multiset<std::string> fingerprints;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      fingerprints.insert(nlohmann::json::parse(line)["fingerprint"].get<std::string>());
    }
    return fingerprints;
  };
  CHECK(rules_found(Run("scan -f jsonl " + tree.root().string())).size() == 5);

  tree.Write(".leakdignore", "# reviewed: test tokens\n" + leakd::Sha256Hex(by_fingerprint) +
                                 "\nsha256:" + leakd::Sha256Hex(by_short).substr(0, 16) +
                                 "\nvendor/\n");
  const Result with_file = Run("scan -f jsonl " + tree.root().string());
  CHECK(with_file.exit_code == 1);
  const auto left = rules_found(with_file);
  CHECK(left == std::multiset<std::string>{leakd::Sha256Hex(kept), leakd::Sha256Hex(in_vendor)});
  CHECK(with_file.err.find("ignored 1 file(s) by path and 2 finding(s)") != std::string::npos);

  const fs::path extra = tree.Write("../extra-ignore-" + std::to_string(::getpid()),
                                    "**/*.env\n" + leakd::Sha256Hex(kept) + "\n");
  const Result both =
      Run("scan -f jsonl --ignore-file " + extra.string() + " " + tree.root().string());
  CHECK(both.exit_code == 0);
  CHECK(both.out.empty());
  fs::remove(extra);
  CHECK(Run("scan --ignore-file /nonexistent/ignore " + tree.root().string()).exit_code == 2);
}

TEST_CASE("findings in test and example files are marked fixture in every format", "[cli]") {
  TempTree tree;
  tree.Write("src/app.py", "T = '" + GithubToken("ghp_", 9) + "'\n");
  tree.Write("tests/test_app.py", "T = '" + GithubToken("ghp_", 10) + "'\n");
  tree.Write(".env.example", "T=" + GithubToken("ghp_", 11) + "\n");
  const std::string root = tree.root().string();

  const Result jsonl = Run("scan -f jsonl " + root);
  CHECK(jsonl.exit_code == 1);
  std::map<std::string, bool> fixture_by_file;
  std::istringstream lines(jsonl.out);
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    fixture_by_file[fs::path(j["path"].get<std::string>()).filename().string()] = j["fixture"];
  }
  CHECK(fixture_by_file == std::map<std::string, bool>{
                               {"app.py", false}, {"test_app.py", true}, {".env.example", true}});

  const auto json = nlohmann::json::parse(Run("scan -f json " + root).out);
  size_t json_fixtures = 0;
  for (const auto& j : json) json_fixtures += j["fixture"].get<bool>();
  CHECK(json_fixtures == 2);

  const auto sarif = nlohmann::json::parse(Run("scan -f sarif " + root).out);
  size_t sarif_fixtures = 0;
  for (const auto& result : sarif["runs"][0]["results"]) {
    sarif_fixtures += result["properties"]["fixture"].get<bool>();
  }
  CHECK(sarif_fixtures == 2);

  const Result text = Run("scan " + root);
  size_t text_fixtures = 0;
  for (size_t at = text.out.find("(fixture)"); at != std::string::npos;
       at = text.out.find("(fixture)", at + 1)) {
    ++text_fixtures;
  }
  CHECK(text_fixtures == 2);
  CHECK(text.out.find("app.py:1:6: github.pat [checksum] ghp_") != std::string::npos);
}

TEST_CASE("jsonl carries location and identity but never the secret by default", "[cli]") {
  TempTree tree;
  const std::string token = GithubToken("ghp_", 2);
  tree.Write("a/b.env", "# comment\n\nexport  GH=" + token + "\n");
  const Result r = Run("scan --format jsonl " + tree.root().string());
  REQUIRE(r.exit_code == 1);
  CHECK(r.out.find(token) == std::string::npos);
  CHECK(r.err.find(token) == std::string::npos);
  const auto j = nlohmann::json::parse(r.out.substr(0, r.out.find('\n')));
  CHECK(j["rule"] == "github.pat");
  CHECK(j["provider"] == "github");
  CHECK(j["line"] == 3);
  CHECK(j["column"] == 12);
  CHECK(j["offset"] == std::string("# comment\n\nexport  GH=").size());
  CHECK(j["length"] == 40);
  CHECK(j["confidence"] == "checksum");
  CHECK(j["fingerprint"] == leakd::Sha256Hex(token));
  CHECK(j["redacted"] == token.substr(0, 5) + "\xE2\x80\xA6(40)");
  CHECK_FALSE(j.contains("secret"));
  CHECK(j["path"].get<std::string>().find("a/b.env") != std::string::npos);

  const Result revealed = Run("scan --reveal --format jsonl " + tree.root().string());
  CHECK(nlohmann::json::parse(revealed.out)["secret"] == token);
}

TEST_CASE("a token cut into concatenated literals is reported whole, where it starts", "[cli]") {
  TempTree tree;
  const std::string token = GithubToken("ghp_", 3);
  tree.Write("src/Client.java", "class Client {\n  static final String T =\n      \"" +
                                    token.substr(0, 12) + "\" +\n      \"" + token.substr(12) +
                                    "\";\n}\n");
  const Result r = Run("scan --reveal --format jsonl " + tree.root().string());
  REQUIRE(r.exit_code == 1);
  const auto j = nlohmann::json::parse(r.out.substr(0, r.out.find('\n')));
  CHECK(j["rule"] == "github.pat");
  CHECK(j["secret"] == token);  // the real bytes, without the quotes and the +
  CHECK(j["fingerprint"] == leakd::Sha256Hex(token));
  CHECK(j["line"] == 3);
  CHECK(j["column"] == 8);
}

TEST_CASE("text, json and SARIF outputs", "[cli]") {
  TempTree tree;
  const std::string token = GithubToken("gho_", 3);
  tree.Write("x.txt", "oauth: " + token + "\n");
  const Result text = Run("scan " + tree.root().string());
  CHECK(text.out.find("x.txt:1:8: github.oauth [checksum]") != std::string::npos);
  CHECK(text.out.find(token) == std::string::npos);

  const auto json = nlohmann::json::parse(Run("scan -f json " + tree.root().string()).out);
  REQUIRE(json.is_array());
  CHECK(json.size() == 1);

  const auto sarif = nlohmann::json::parse(Run("scan -f sarif " + tree.root().string()).out);
  CHECK(sarif["version"] == "2.1.0");
  const auto& run = sarif["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "leakd");
  CHECK(run["tool"]["driver"]["rules"].size() > 150);
  REQUIRE(run["results"].size() == 1);
  const auto& result = run["results"][0];
  CHECK(result["ruleId"] == "github.oauth");
  CHECK(run["tool"]["driver"]["rules"][result["ruleIndex"].get<int>()]["id"] == "github.oauth");
  CHECK(result["locations"][0]["physicalLocation"]["region"]["startLine"] == 1);
  CHECK(result["locations"][0]["physicalLocation"]["region"]["startColumn"] == 8);
  CHECK(result["partialFingerprints"].size() == 1);
  CHECK(result["level"] == "error");
  CHECK(sarif.dump().find(token) == std::string::npos);
}

TEST_CASE("SARIF ranks findings by tier: issuers' tokens first, hashes last", "[cli]") {
  TempTree tree;
  tree.Write("a.txt", "oauth: " + GithubToken("gho_", 6) + "\n");
  tree.Write("b.txt", "password = \"Tr4vel-Kettle-91\"\n");
  tree.Write(
      "c.sql",
      "INSERT INTO u VALUES ('$2b$10$dHm47Ai5P29rp6S9q5DQ5m4Q3FZpGDbLBMjA65OzqcvuiaTLT8azf');\n");
  const auto sarif = nlohmann::json::parse(Run("scan -f sarif " + tree.root().string()).out);
  const auto& run = sarif["runs"][0];
  std::map<std::string, std::pair<std::string, std::string>> by_confidence;  // level, severity
  for (const auto& result : run["results"]) {
    const auto& rule = run["tool"]["driver"]["rules"][result["ruleIndex"].get<int>()];
    CHECK(rule["defaultConfiguration"]["level"] == result["level"]);
    by_confidence[result["properties"]["confidence"]] = {result["level"],
                                                         rule["properties"]["security-severity"]};
  }
  REQUIRE(by_confidence.size() == 3);
  CHECK(by_confidence["checksum"] == std::make_pair(std::string("error"), std::string("9.0")));
  CHECK(by_confidence["generic"] == std::make_pair(std::string("warning"), std::string("6.0")));
  CHECK(by_confidence["hash"] == std::make_pair(std::string("warning"), std::string("4.0")));
}

TEST_CASE("identifiers are reported only with --identifiers, as SARIF notes", "[cli]") {
  TempTree tree;
  tree.Write("main.tf", "role_arn = \"arn:aws:iam::235437959624:role/ci-deployer\"\n");
  const auto plain = Run("scan -f jsonl " + tree.root().string());
  CHECK(plain.exit_code == 0);
  CHECK(plain.out.empty());
  const auto with = Run("scan --identifiers -f jsonl " + tree.root().string());
  CHECK(with.exit_code == 1);
  const auto finding = nlohmann::json::parse(with.out.substr(0, with.out.find('\n')));
  CHECK(finding["rule"] == "aws.arn");
  CHECK(finding["confidence"] == "identifier");
  const auto sarif =
      nlohmann::json::parse(Run("scan --identifiers -f sarif " + tree.root().string()).out);
  const auto& result = sarif["runs"][0]["results"][0];
  CHECK(result["level"] == "note");
  CHECK(sarif["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"].get<int>()]["properties"]
             ["security-severity"] == "2.0");
}

TEST_CASE("stdin is scanned with -", "[cli]") {
  const std::string token = GithubToken("ghp_", 4);
  const Result r = Run("scan -f jsonl -", "x\ny " + token + "\n");
  CHECK(r.exit_code == 1);
  CHECK(nlohmann::json::parse(r.out)["line"] == 2);
}

TEST_CASE("binary files, oversized files and symlinks out of the tree are skipped", "[cli]") {
  TempTree tree, outside;
  const std::string token = GithubToken("ghp_", 5);
  tree.Write("bin.dat", std::string("\x7f"
                                    "ELF\0\0",
                                    6) +
                            token);
  tree.Write("big.txt", std::string(2048, ' ') + token);
  const fs::path secret_outside = outside.Write("secret.txt", token);
  fs::create_symlink(secret_outside, tree.root() / "link-out.txt");
  fs::create_symlink(tree.root(), tree.root() / "loop");  // directory links are never followed
  Result r = Run("scan --max-file-size 1K " + tree.root().string());
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("1 file(s) over the size limit, 1 binary file(s), 2 symlink(s)") !=
        std::string::npos);

  tree.Write("inside.txt", "t=" + token);
  fs::create_symlink(tree.root() / "inside.txt", tree.root() / "link-in.txt");
  r = Run("scan -f jsonl --max-file-size 1K " + tree.root().string());
  CHECK(r.exit_code == 1);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);  // the file and the link to it
}

TEST_CASE("rules list and rules check", "[cli]") {
  const Result list = Run("rules list");
  CHECK(list.exit_code == 0);
  CHECK(std::count(list.out.begin(), list.out.end(), '\n') >= 150);
  // --json gives each rule's pattern and keywords, the built ones of near/value rules too.
  const Result json = Run("rules list --json");
  CHECK(json.exit_code == 0);
  // The prefilter of a keyword-led rule, and which rules are keyword-led (README, Rules).
  bool abuseipdb = false;
  std::vector<std::string> keyword_led;
  std::istringstream lines(json.out);
  for (std::string line; std::getline(lines, line);) {
    const auto rule = nlohmann::json::parse(line);
    if (rule["keyword_led"].get<bool>()) keyword_led.push_back(rule["id"]);
    if (rule["id"] == "ngrok.authtoken") {
      CHECK(rule["prefilter"].get<std::string>().rfind("(?i:ngrok)[\\s\\S]{0,256}(?:", 0) == 0);
    }
    if (rule["id"] != "abuseipdb.api-key") continue;
    abuseipdb = true;
    CHECK(rule["pattern"].get<std::string>().rfind("(?i)(?:abuseipdb)[^\\n]{0,40}?", 0) == 0);
    CHECK(rule["keywords"] == nlohmann::json::array({"abuseipdb"}));
  }
  CHECK(abuseipdb);
  CHECK(keyword_led == std::vector<std::string>{"checkoutcom.secret-key", "discord.bot-token",
                                                "elevenlabs.api-key", "ngrok.authtoken"});
  const Result check = Run("rules check");
  CHECK(check.exit_code == 0);
  CHECK(check.out.find(" 0 failure(s)") != std::string::npos);
}

TEST_CASE("rules check names the rule and file of a broken pattern", "[cli]") {
  TempTree tree;
  const fs::path file = tree.Write("broken.yaml",
                                   "provider: demo\nrules:\n  - id: demo.broken\n    name: Broken\n"
                                   "    pattern: '(abc(?=d))'\n    examples: ['abcd']\n");
  const std::string cmd =
      std::string(LEAKD_BINARY) + " rules check --rules " + file.string() + " 2>&1";
  const auto [status, out] = Shell(cmd);
  CHECK(status == 2);
  CHECK(out.find("demo.broken") != std::string::npos);
  CHECK(out.find("broken.yaml") != std::string::npos);
}

TEST_CASE("the bundled sample repository: every planted secret, no placeholder", "[cli]") {
  const Result r = Run(std::string("scan -f jsonl ") + LEAKD_SAMPLE_REPO);
  CHECK(r.exit_code == 1);
  std::multiset<std::string> rules;
  size_t published_samples = 0;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    // The docs hold placeholders and AWS's published sample key: only the
    // sample is reported, as a fixture.
    if (j["path"].get<std::string>().find("docs/README.md") != std::string::npos) {
      CHECK(j["rule"] == "aws.access-key-id");
      CHECK(j["fixture"] == true);
      ++published_samples;
      continue;
    }
    CHECK(j["fixture"] == false);
    rules.insert(j["rule"].get<std::string>());
  }
  CHECK(published_samples == 1);
  CHECK(rules ==
        std::multiset<std::string>{"huggingface.user-token", "github.pat", "openai.project-key",
                                   "stripe.secret-key", "postgres.connection-uri",
                                   "aws.access-key-id", "aws.secret-access-key", "slack.webhook",
                                   "privatekey.openssh", "npm.access-token", "anthropic.api-key"});
}

TEST_CASE("a progress bar only on a terminal, and a summary line at the end", "[cli]") {
  // Through pipes: the summary, and no terminal control characters anywhere.
  const Result piped = Run(std::string("scan ") + LEAKD_SAMPLE_REPO);
  CHECK(piped.err.find("leakd: scanned 5 files") != std::string::npos);
  CHECK(piped.err.find("12 findings") != std::string::npos);
  CHECK(piped.err.find('\r') == std::string::npos);
  CHECK(piped.out.find('\r') == std::string::npos);
  // On a pseudo-terminal (util-linux `script`): the bar's line is cleared and redrawn.
  const auto [status, tty] = Shell("script -qc '" + std::string(LEAKD_BINARY) + " scan --rules " +
                                   LEAKD_TEST_PATTERNS + " " + LEAKD_SAMPLE_REPO + "' /dev/null");
  CHECK(status == 0);  // script's own status
  CHECK(tty.find("\r\33[2K") != std::string::npos);
  CHECK(tty.find("leakd: scanned 5 files") != std::string::npos);
}
