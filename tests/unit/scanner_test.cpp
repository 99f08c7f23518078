#include "scan/scanner.h"

#include <catch2/catch.hpp>
#include <random>

#include "scan/fingerprint.h"
#include "test_support.h"

using namespace leakd;
using testing::GithubToken;
using testing::HasRule;
using testing::ScanText;

TEST_CASE("a secret is found with its exact offset, length and fingerprint", "[scanner]") {
  const std::string token = GithubToken("ghp_", 11);
  const std::string text = "line one\nexport GITHUB_TOKEN=" + token + "\n";
  const auto findings = ScanText(text);
  REQUIRE(findings.size() == 1);
  const Finding& f = findings[0];
  CHECK(f.rule->id == "github.pat");
  CHECK(f.offset == text.find(token));
  CHECK(f.length == token.size());
  CHECK(f.secret == token);
  CHECK(f.confidence == Confidence::kChecksum);
  CHECK(f.fingerprint == Sha256Hex(token));
}

TEST_CASE("an empty input has no findings and is no error", "[scanner]") {
  Scanner scanner(testing::SharedDatabase());
  std::vector<Finding> out;
  CHECK_NOTHROW(scanner.Scan(std::string_view(), &out));
  CHECK_NOTHROW(scanner.Scan(std::string_view("", 0), &out));
  CHECK(out.empty());
}

TEST_CASE("a token with a wrong checksum is not reported as its issuer's", "[scanner]") {
  std::string token = GithubToken("ghp_", 12);
  token[5] = token[5] == 'Q' ? 'R' : 'Q';
  CHECK(ScanText("x " + token + " y").empty());
  // Assigned to a name that says token, it is still a random secret: generic.
  const auto assigned = ScanText("GITHUB_TOKEN=" + token);
  CHECK_FALSE(HasRule(assigned, "github.pat"));
  for (const auto& f : assigned) CHECK(f.confidence == Confidence::kGeneric);
}

TEST_CASE("a checksummed token is never taken for a placeholder", "[scanner]") {
  // Its random part reads "_here" after the prefix, a placeholder marker; the
  // checksum says it is a real token. Found by the daemon tests' generator.
  CHECK(testing::HasRule(testing::ScanText("x = \"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\""),
                         "github.pat"));
}

TEST_CASE("placeholders are not reported", "[scanner]") {
  CHECK(ScanText("aws_access_key_id = AKIAJEXAMPLEKEY12345").empty());
  CHECK(ScanText("aws_access_key_id = AKIAXXXXXXXXXXXXXXXX").empty());
  CHECK(ScanText("HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx").empty());
  CHECK(ScanText("token: ghp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").empty());
}

TEST_CASE("published documentation samples are reported, marked fixture", "[scanner]") {
  const auto findings = ScanText(
      "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].rule->id == "aws.access-key-id");
  CHECK(findings[1].rule->id == "aws.secret-access-key");
  CHECK(findings[0].fixture);
  CHECK(findings[1].fixture);
  const auto live = ScanText("aws_access_key_id = AKIA8PJI8A621VS9O8RV");
  REQUIRE(live.size() == 1);
  CHECK_FALSE(live[0].fixture);
}

TEST_CASE("several secrets in one buffer come back ordered by offset", "[scanner]") {
  const std::string a = GithubToken("ghp_", 21), b = GithubToken("gho_", 22);
  const std::string text = "a=" + a + "\nhf=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\nb=" + b + "\n";
  const auto findings = ScanText(text);
  REQUIRE(findings.size() == 3);
  CHECK(findings[0].rule->id == "github.pat");
  CHECK(findings[1].rule->id == "huggingface.user-token");
  CHECK(findings[2].rule->id == "github.oauth");
  CHECK(findings[0].offset < findings[1].offset);
  CHECK(findings[1].offset < findings[2].offset);
}

TEST_CASE("the same secret repeated is reported at each place, once per place", "[scanner]") {
  const std::string token = GithubToken("ghp_", 31);
  const auto findings = ScanText(token + " " + token + "\n" + token);
  REQUIRE(findings.size() == 3);
  CHECK(findings[0].fingerprint == findings[2].fingerprint);
}

TEST_CASE("a secret at the very start and very end of the input is found", "[scanner]") {
  const std::string token = GithubToken("ghp_", 41);
  CHECK(ScanText(token).size() == 1);
  CHECK(ScanText("x " + token).size() == 1);
}

TEST_CASE("a token embedded in a longer word is not a match", "[scanner]") {
  const std::string token = GithubToken("ghp_", 42);
  CHECK(ScanText("x" + token + "y").empty());
}

TEST_CASE("an inline leakd:allow marker suppresses findings on its line only", "[scanner]") {
  const std::string a = GithubToken("ghp_", 51), b = GithubToken("ghp_", 52);
  const auto findings =
      ScanText("t1 = '" + a + "'  # leakd:allow test fixture\nt2 = '" + b + "'\n");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].secret == b);
}

TEST_CASE("the allow markers of other scanners work as leakd:allow does", "[scanner]") {
  for (const char* marker :
       {"leakd:allow", "gitleaks:allow", "trufflehog:ignore", "pragma: allowlist secret"}) {
    INFO(marker);
    const std::string a = GithubToken("ghp_", 53), b = GithubToken("ghp_", 54);
    const auto findings =
        ScanText("t1 = '" + a + "'  # " + marker + "\nt2 = '" + b + "'\n# " + marker + "\n");
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].secret == b);
  }
  CHECK(ScanText("t = '" + GithubToken("ghp_", 55) + "'  # gitleaks: allow\n").size() == 1);
}

TEST_CASE("keywords: a context rule needs its issuer named near the secret", "[scanner]") {
  CHECK(
      HasRule(ScanText("MAILGUN_API_KEY=key-3ax6xnjp29jd6fds4gc373sgvjxteol0"), "mailgun.api-key"));
  CHECK_FALSE(HasRule(ScanText("id = key-3ax6xnjp29jd6fds4gc373sgvjxteol0"), "mailgun.api-key"));
  // Issue 8: Twilio's "SK" + 32 hex cannot occur in hex, so it needs no name nearby.
  CHECK(HasRule(ScanText("id = SK6e84981d07a3e5c9df33e1ab043a2fb2"), "twilio.api-key"));
}

TEST_CASE("a private key across many lines is extracted whole", "[scanner]") {
  std::string body;
  std::mt19937 rng(7);
  const char* b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int line = 0; line < 25; ++line) {
    for (int i = 0; i < 64; ++i) body += b64[rng() % 64];
    body += '\n';
  }
  const std::string pem =
      "-----BEGIN RSA PRIVATE KEY-----\n" + body + "-----END RSA PRIVATE KEY-----\n";
  const auto findings = ScanText("key = '''\n" + pem + "'''");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule->id == "privatekey.rsa");
  CHECK(findings[0].length >= body.size() - 1);
}

TEST_CASE("hostile input: binary noise, NUL bytes and huge runs are scanned safely", "[scanner]") {
  std::mt19937 rng(99);
  std::string noise(4 << 20, '\0');
  for (auto& c : noise) c = static_cast<char>(rng());
  const std::string token = GithubToken("ghp_", 61);
  noise.replace(1 << 20, 1, " " + token + " ");
  const auto in_noise = ScanText(noise);
  CHECK(HasRule(in_noise, "github.pat"));

  // A pattern like [A-Za-z0-9]{20,} reports at every byte of a long run of
  // letters: the clustering keeps this linear, and nothing is reported.
  const std::string run(16 << 20, 'a');
  CHECK(ScanText(run).empty());
  std::string hex_run;
  for (int i = 0; i < (4 << 20); ++i) hex_run += "0123456789abcdef"[rng() % 16];
  CHECK_NOTHROW(ScanText("twilio auth token " + hex_run));
}

TEST_CASE("the same span matched by two rules is reported once, strongest first", "[scanner]") {
  std::vector<Finding> findings(2);
  static Rule weak, strong;
  findings[0].rule = &weak;
  findings[0].offset = 5;
  findings[0].length = 10;
  findings[0].confidence = Confidence::kContext;
  findings[0].rule_index = 0;
  findings[1] = findings[0];
  findings[1].rule = &strong;
  findings[1].confidence = Confidence::kFormat;
  findings[1].rule_index = 1;
  CollapseSameSpan(&findings, 0);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == &strong);
}

TEST_CASE("a rule's capture takes the secret out of the pattern's match", "[scanner]") {
  // The capture here takes another part than the pattern's group, to show
  // which one decides; a capture that misses leaves it to the pattern.
  auto rules = [](const std::string& capture) {
    auto set = std::make_shared<RuleSet>();
    set->AddFromYaml(
        "provider: p\nrules: [{id: p.c, name: n, pattern: 'key=([a-z]{8})[0-9]{4}',"
        " capture: '" +
            capture + "', placeholder_check: false, examples: [x]}]",
        "p.yaml");
    return PatternDatabase::Build(set, {});
  };
  std::vector<Finding> found;
  Scanner taken(rules("([0-9]{4})$"));
  taken.Scan("a key=abcdwxyz1234 b", &found);
  REQUIRE(found.size() == 1);
  CHECK(found[0].secret == "1234");
  CHECK(found[0].offset == 14);
  found.clear();
  Scanner missed(rules("(zzz)"));
  missed.Scan("a key=abcdwxyz1234 b", &found);
  REQUIRE(found.size() == 1);
  CHECK(found[0].secret == "abcdwxyz");
  CHECK(found[0].offset == 6);
}

TEST_CASE("a rule's prefilter only finds candidates: its pattern decides", "[scanner]") {
  // The prefilter drops the pattern's trailing \b (slow in Hyperscan): it also
  // matches the start of a longer run, which the pattern must still refuse.
  auto set = std::make_shared<RuleSet>();
  set->AddFromYaml(
      "provider: p\nrules: [{id: p.hex, name: n, pattern: '\\b(k[0-9a-f]{16})\\b',"
      " prefilter: '\\b(k[0-9a-f]{16})', placeholder_check: false, examples: [k0123456789abcdef]}]",
      "p.yaml");
  Scanner scanner(PatternDatabase::Build(set, {}));
  std::vector<Finding> found;
  scanner.Scan("id k0123456789abcdef and k0123456789abcdef0 end", &found);
  REQUIRE(found.size() == 1);
  CHECK(found[0].offset == 3);
  CHECK(found[0].secret == "k0123456789abcdef");
  found.clear();
  scanner.Scan("k0123456789abcdef", &found);  // the boundary is the end of the input
  CHECK(found.size() == 1);
}

TEST_CASE("a keyword-led rule is found only with its keyword before the secret", "[scanner]") {
  // keyword_led: Hyperscan scans from the keyword (rules/keyword_led.h), so a
  // keyword after the secret, or more than kKeywordLookback bytes before it,
  // does not count, where it would for a rule that only lists keywords.
  auto set = std::make_shared<RuleSet>();
  set->AddFromYaml(
      "provider: p\nrules:\n"
      "  - {id: p.led, name: n, pattern: '\\b(q_[a-z0-9]{20})\\b', keywords: [acme],"
      " keyword_led: true, min_entropy: 3.0, examples: ['acme q_k3v9x2m7w1p8r4t6y0z5']}\n",
      "p.yaml");
  Scanner scanner(PatternDatabase::Build(set, {}));
  const std::string secret = "q_k3v9x2m7w1p8r4t6y0z5";
  const auto found = [&](const std::string& text) {
    std::vector<Finding> out;
    scanner.Scan(text, &out);
    return out.size() == 1 && out[0].secret == secret;
  };
  CHECK(found("ACME_KEY=" + secret));
  CHECK(found("acme:" + std::string(240, ' ') + secret));
  CHECK_FALSE(found("key=" + secret + " # acme"));
  CHECK_FALSE(found("acme" + std::string(kKeywordLookback + 1, ' ') + secret));
}
