#include <catch2/catch.hpp>
#include <set>

#include "rules/rule_set.h"
#include "scan/engine_config.h"
#include "scan/example_check.h"
#include "test_support.h"

using namespace leakd;

namespace {
// A tier's name parses to the tier and the tier prints as that name.
void CheckTierName(const char* name, Confidence tier) {
  INFO(name);
  Confidence c = Confidence::kChecksum;
  REQUIRE(ParseConfidence(name, &c));
  CHECK(c == tier);
  CHECK(std::string(ConfidenceName(c)) == name);
}
}  // namespace

TEST_CASE("every rule finds its examples and none of its negative examples", "[rules]") {
  const auto failures = CheckExamples(testing::SharedDatabase());
  for (const auto& f : failures) {
    UNSCOPED_INFO(f.file << ": " << f.rule_id << ": " << DescribeFailure(f));
  }
  CHECK(failures.empty());
}

TEST_CASE("the rule set covers at least 150 rules from 100 issuers", "[rules]") {
  const RuleSet& rules = testing::SharedDatabase()->rules();
  CHECK(rules.size() >= 150);
  const auto providers = rules.Providers();
  CHECK(providers.size() >= 100);
  const std::set<std::string> have(providers.begin(), providers.end());
  for (const char* required :
       {"huggingface", "github",    "gitlab",   "aws",      "google",  "azure",      "openai",
        "anthropic",   "slack",     "stripe",   "npm",      "pypi",    "dockerhub",  "privatekey",
        "jwt",         "twilio",    "sendgrid", "mailgun",  "shopify", "databricks", "digitalocean",
        "heroku",      "atlassian", "postman",  "linear",   "groq",    "replicate",  "cohere",
        "mistral",     "langsmith", "pinecone", "telegram", "discord"}) {
    INFO(required);
    CHECK(have.count(required) == 1);
  }
  for (const char* id :
       {"github.pat", "github.oauth", "github.user-to-server", "github.server-to-server",
        "github.refresh", "github.fine-grained-pat", "huggingface.user-token",
        "huggingface.org-token", "privatekey.rsa", "privatekey.ec", "privatekey.dsa",
        "privatekey.openssh", "privatekey.pkcs8", "privatekey.pgp", "slack.webhook"}) {
    INFO(id);
    CHECK(rules.FindById(id) != nullptr);
  }
}

TEST_CASE("confidence tiers: generic is the lowest credential tier and round-trips by name",
          "[rules]") {
  CheckTierName("generic", Confidence::kGeneric);
  CHECK(Confidence::kGeneric < Confidence::kContext);
  Confidence c = Confidence::kChecksum;
  CHECK_FALSE(ParseConfidence("weak", &c));
  const RuleSet& rules = testing::SharedDatabase()->rules();
  // `generic` findings have no issuer to revoke with: provider `generic`. Rules
  // of provider `generic` may be more certain (a credential file's format, a
  // Rails key) but never `checksum`, which needs an issuer's checksum.
  size_t generic = 0;
  for (const Rule& r : rules.rules()) {
    INFO(r.id);
    if (r.confidence == Confidence::kGeneric) {
      ++generic;
      CHECK(r.provider == "generic");
      CHECK_FALSE(r.negative_examples.empty());
    }
    if (r.provider == "generic") CHECK(r.confidence != Confidence::kChecksum);
  }
  CHECK(generic >= 10);
}

TEST_CASE("password hashes are their own tier: every hash. rule and nothing else", "[rules]") {
  CheckTierName("hash", Confidence::kHash);
  size_t hashes = 0;
  for (const Rule& r : testing::SharedDatabase()->rules().rules()) {
    INFO(r.id);
    const bool hash_id = r.id.rfind("hash.", 0) == 0;
    CHECK(hash_id == (r.confidence == Confidence::kHash));
    if (hash_id) {
      ++hashes;
      CHECK(r.provider == "generic");  // no issuer to revoke with
    }
  }
  CHECK(hashes >= 9);  // bcrypt, md5/sha256/sha512-crypt, Cisco 8/9, Kerberos, htpasswd, shadow
}

TEST_CASE("a password hash assigned to a password key is reported as a hash", "[rules]") {
  // Assigned to a key that says password, the value is still a hash: one
  // finding, of the hash rule, in the hash tier (not a generic password).
  for (const char* text :
       {"password = '$2b$10$dHm47Ai5P29rp6S9q5DQ5m4Q3FZpGDbLBMjA65OzqcvuiaTLT8azf'",
        "DB_PASSWORD=\"$2y$11$tY7DpJfHyp37cfgzu69Ww65btYlg0vhJCz5PYETmmz8JtnXFrXphk\""}) {
    INFO(text);
    const auto findings = testing::ScanText(text);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].rule->id == "hash.bcrypt");
    CHECK(findings[0].confidence == Confidence::kHash);
  }
}

TEST_CASE("identifiers are their own tier, below generic, compiled only when asked for",
          "[rules]") {
  CheckTierName("identifier", Confidence::kIdentifier);
  CHECK(Confidence::kIdentifier < Confidence::kGeneric);
  const RuleSet& all = testing::SharedDatabase()->rules();
  size_t identifiers = 0;
  for (const Rule& r : all.rules()) identifiers += r.confidence == Confidence::kIdentifier;
  CHECK(identifiers >= 13);  // account ID, ARN, S3, GCS, client IDs, domains, recipients …
  const RuleSet kept = all.Without(Confidence::kIdentifier);
  CHECK(kept.size() == all.size() - identifiers);
  CHECK(kept.FindById("aws.arn") == nullptr);
  CHECK(kept.FindById("aws.access-key-id") != nullptr);
  CHECK(kept.ContentHash() != all.ContentHash());  // cached apart

  // The engine as `leakd scan` and `leakd serve` load it.
  EngineConfig config{LEAKD_TEST_PATTERNS, LEAKD_TEST_CACHE_DIR, true, false};
  CHECK(LoadEngine(config)->rules().FindById("aws.arn") == nullptr);
  config.identifiers = true;
  CHECK(LoadEngine(config)->rules().FindById("aws.arn") != nullptr);
}

TEST_CASE("an identifier never hides a credential; it takes a generic assignment's span",
          "[rules]") {
  // The bucket host and the key in one URL: both reported, each its own.
  const auto both = testing::ScanText(
      "S3_URL=https://AKIA8PJI8A621VS9O8RV@acme-invoices-prod.s3.amazonaws.com/x");
  std::set<std::string> ids;
  for (const auto& f : both) ids.insert(f.rule->id);
  CHECK(ids == std::set<std::string>{"aws.access-key-id", "aws.s3-bucket-host"});
  // A Mapbox public token assigned to an API-key name: the identifier rule
  // knows what the value is (public by design), the generic rule only that
  // its name sounds secret.
  const auto mapbox = testing::ScanText(
      "mapboxApiKey: 'pk.eyJ1Ijoicml2ZXJtYXBzIiwiYSI6ImNscTh4MnY0dzBhMWIyYzNkNGU1ZjZnN2gifQ."
      "iEXlk4e2gLyRenI50Fq2vp'");
  REQUIRE(mapbox.size() == 1);
  CHECK(mapbox[0].rule->id == "mapbox.public-token");
}

TEST_CASE("a generic finding loses to an issuer's rule on the same span", "[rules]") {
  const auto findings =
      testing::ScanText("DATABASE_URL=postgresql://app:u5PhCiN5Ye9TkFz9@db.internal:5432/app");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule->id == "postgres.connection-uri");
}

TEST_CASE("rule loading rejects malformed rules with the rule id and file", "[rules]") {
  RuleSet set;
  CHECK_THROWS_WITH(
      set.AddFromYaml("rules: [{id: a.b, name: n}]", "x.yaml"),
      Catch::Contains("x.yaml") && Catch::Contains("a.b") && Catch::Contains("pattern"));
  CHECK_THROWS_WITH(
      set.AddFromYaml("provider: p\nrules: [{id: a.c, name: n, pattern: '(x)'}]", "y.yaml"),
      Catch::Contains("example"));
  CHECK_THROWS_WITH(
      set.AddFromYaml("provider: p\nrules: [{id: a.d, name: n, pattern: '(x)', validator: nope, "
                      "examples: [x]}]",
                      "z.yaml"),
      Catch::Contains("unknown validator"));
  CHECK_THROWS_AS(set.AddFromYaml("rules: [unclosed", "bad.yaml"), RuleError);
  set.AddFromYaml("provider: p\nrules: [{id: a.e, name: n, pattern: '(x)', examples: [x]}]",
                  "ok.yaml");
  CHECK_THROWS_WITH(
      set.AddFromYaml("provider: p\nrules: [{id: a.e, name: n, pattern: '(y)', examples: [y]}]",
                      "dup.yaml"),
      Catch::Contains("duplicate"));
}

TEST_CASE("a near/value rule is the one context template, keyed by its names", "[rules]") {
  RuleSet set;
  set.AddFromYaml(
      "provider: acme\nrules:\n"
      "  - {id: acme.key, name: n, near: ['acme\\.io', '\\bAcme_API'],"
      " value: '[0-9a-f]{32}', examples: [x]}\n"
      "  - {id: acme.token, name: n, near: ['ac(?:me)?'], keywords: [acme], value: '[a-z]{8}',"
      " confidence: format, examples: [x]}\n",
      "acme.yaml");
  const Rule& key = set.rules()[0];
  CHECK(key.pattern ==
        "(?i)(?:acme\\.io|\\bAcme_API)[^\\n]{0,40}?(?:key|token|secret)[^\\n]{0,20}?"
        "[=:\\x22\\x27 ]{1,4}([0-9a-f]{32})(?:[^A-Za-z0-9_-]|$)");
  CHECK(key.confidence == Confidence::kContext);
  CHECK(key.keywords == std::vector<std::string>{"acme.io", "acme_api"});
  const Rule& token = set.rules()[1];
  CHECK(token.keywords == std::vector<std::string>{"acme"});  // listed: its name is a regex
  CHECK(token.confidence == Confidence::kFormat);             // given, not defaulted

  for (const char* broken :
       {"{id: b.a, name: n, near: [b], pattern: '(x)', value: x, examples: [x]}",  // both
        "{id: b.b, name: n, near: [b], examples: [x]}",                            // no value
        "{id: b.c, name: n, near: [], value: x, examples: [x]}",                   // no name
        "{id: b.d, name: n, near: ['b(?:c)?'], value: x, examples: [x]}"}) {       // keywords?
    INFO(broken);
    RuleSet other;
    CHECK_THROWS_AS(
        other.AddFromYaml(std::string("provider: b\nrules: [") + broken + "]", "b.yaml"),
        RuleError);
  }
}

TEST_CASE("keyword_led makes Hyperscan scan from the keywords to the pattern", "[rules]") {
  RuleSet set;
  set.AddFromYaml(
      "provider: p\nrules: [{id: p.a, name: n, pattern: '\\b(k_[0-9]{8})', keywords: [Acme.io,"
      " 'x(y'], keyword_led: true, examples: [x]}]",
      "p.yaml");
  const Rule& rule = set.rules()[0];
  CHECK(rule.keyword_led);
  CHECK(rule.prefilter == "(?i:acme\\.io|x\\(y)[\\s\\S]{0,256}(?:\\b(k_[0-9]{8}))");
  for (const char* broken :
       {"{id: b.a, name: n, pattern: '(x)', keyword_led: true, examples: [x]}",  // no keywords
        "{id: b.b, name: n, pattern: '(x)', keywords: [b], prefilter: '(x)', keyword_led: true,"
        " examples: [x]}",
        "{id: b.c, name: n, near: [b], value: x, keyword_led: true, examples: [x]}"}) {
    INFO(broken);
    RuleSet other;
    CHECK_THROWS_AS(
        other.AddFromYaml(std::string("provider: b\nrules: [") + broken + "]", "b.yaml"),
        RuleError);
  }
}

TEST_CASE("a document of the wrong shape is a RuleError naming the file", "[rules]") {
  // Found by tests/fuzz/rules_loader_fuzz: yaml-cpp's own exceptions escaped.
  for (const char* yaml : {"$", "provider: [a, b]\nrules: []\n", "rules: [x]\n",
                           "provider: p\nrules: [{id: [a], name: n, pattern: x, examples: [x]}]"}) {
    INFO(yaml);
    RuleSet set;
    CHECK_THROWS_MATCHES(set.AddFromYaml(yaml, "shape.yaml"), RuleError,
                         Catch::Matchers::Predicate<RuleError>([](const RuleError& e) {
                           return std::string(e.what()).rfind("shape.yaml: ", 0) == 0;
                         }));
  }
}

TEST_CASE("keywords are lowercased as ASCII, other bytes kept", "[rules]") {
  RuleSet set;
  set.AddFromYaml(
      "provider: p\nrules: [{id: a.k, name: n, pattern: '(x)', keywords: [\"ToKEN\\xE9\"], "
      "examples: [x]}]",
      "k.yaml");
  REQUIRE(set.size() == 1);
  CHECK(set[0].keywords == std::vector<std::string>{"token\xC3\xA9"});
}

TEST_CASE("a pattern either engine rejects is reported with its rule id and file", "[rules]") {
  // Builds a database of one rule p.bad with these fields (YAML flow style).
  auto build = [](const std::string& fields) {
    auto set = std::make_shared<RuleSet>();
    set->AddFromYaml("provider: p\nrules: [{id: p.bad, name: n, " + fields + ", examples: [x]}]",
                     "patterns/p.yaml");
    PatternDatabase::Build(set, {});
  };
  auto compile = [&](const std::string& pattern) { build("pattern: '" + pattern + "'"); };
  CHECK_THROWS_WITH(compile("(a)(?=b)"),
                    Catch::Contains("p.bad") && Catch::Contains("patterns/p.yaml"));
  CHECK_THROWS_WITH(compile("(a"), Catch::Contains("p.bad"));
  CHECK_THROWS_WITH(compile("abc"), Catch::Contains("exactly one capture group"));
  CHECK_THROWS_WITH(compile("(a*)"), Catch::Contains("empty"));

  auto with_prefilter = [&](const std::string& prefilter) {
    build("pattern: '(ab)', prefilter: '" + prefilter + "'");
  };
  CHECK_NOTHROW(with_prefilter("b"));
  CHECK_THROWS_WITH(with_prefilter("(a)(?=b)"),
                    Catch::Contains("p.bad") && Catch::Contains("rejects the prefilter"));
  CHECK_THROWS_WITH(with_prefilter("b*"),
                    Catch::Contains("p.bad") && Catch::Contains("prefilter can match the empty"));

  auto with_capture = [&](const std::string& capture) {
    build("pattern: '(ab)', capture: '" + capture + "'");
  };
  CHECK_NOTHROW(with_capture("(b)$"));
  CHECK_THROWS_WITH(with_capture("(b"), Catch::Contains("p.bad") && Catch::Contains("capture"));
  CHECK_THROWS_WITH(with_capture("b$"), Catch::Contains("p.bad") && Catch::Contains("one group"));
}

TEST_CASE("the content hash changes with anything that affects matching", "[rules]") {
  RuleSet a, b, c;
  a.AddFromYaml("provider: p\nrules: [{id: p.x, name: n, pattern: '(x+)', examples: [x]}]", "a");
  b.AddFromYaml("provider: p\nrules: [{id: p.x, name: renamed, pattern: '(x+)', examples: [xx]}]",
                "b");
  c.AddFromYaml(
      "provider: p\nrules: [{id: p.x, name: n, pattern: '(x+)', min_entropy: 1, examples: [x]}]",
      "c");
  RuleSet d;
  d.AddFromYaml(
      "provider: p\nrules: [{id: p.x, name: n, pattern: '(x+)', prefilter: 'x', examples: [x]}]",
      "d");
  CHECK(a.ContentHash() == b.ContentHash());  // names and examples do not change matching
  CHECK(a.ContentHash() != c.ContentHash());
  CHECK(a.ContentHash() != d.ContentHash());
  CHECK(d.rules()[0].prefilter == "x");
  RuleSet e;
  e.AddFromYaml(
      "provider: p\nrules: [{id: p.x, name: n, pattern: '(x+)', capture: '(x+)', examples: [x]}]",
      "e");
  CHECK(a.ContentHash() != e.ContentHash());
  CHECK(e.rules()[0].capture == "(x+)");
}

TEST_CASE("rules check reports a capture that takes another secret than the pattern", "[rules]") {
  // The pattern's secret is the word; the capture takes the digits after it.
  auto set = std::make_shared<RuleSet>();
  set->AddFromYaml(
      "provider: p\nrules:\n"
      "  - {id: p.ok, name: n, pattern: 'tok=\"([a-z]{8})\"', capture: '\"([a-z]+)\"$',"
      " placeholder_check: false, examples: ['tok=\"abcdwxyz\"'], negative_examples: ['tok=abc']}\n"
      "  - {id: p.off, name: n, pattern: 'key=([a-z]{8})[0-9]{4}', capture: '([0-9]{4})$',"
      " placeholder_check: false, examples: ['key=abcdwxyz1234'], negative_examples: ['key=abcd']}",
      "patterns/p.yaml");
  const auto failures = CheckExamples(PatternDatabase::Build(set, {}));
  REQUIRE(failures.size() == 1);
  CHECK(failures[0].rule_id == "p.off");
  CHECK(failures[0].kind == ExampleFailure::Kind::kCaptureDiffers);
  CHECK(DescribeFailure(failures[0]) ==
        "example 0: the capture takes another secret than the pattern");
}
