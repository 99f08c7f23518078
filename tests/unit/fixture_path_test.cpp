#include "scan/fixture_path.h"

#include <catch2/catch.hpp>

#include "scan/published_samples.h"
#include "test_support.h"

using namespace leakd;

TEST_CASE("test, fixture, example and docs folders are fixture paths", "[fixture]") {
  for (const char* path :
       {"tests/config.py", "src/test/java/App.java", "web/__tests__/api.js", "spec/models/user.rb",
        "pkg/testdata/creds.json", "fixtures/keys.env", "examples/quickstart.py", "example/app.go",
        "docs/setup.md", "samples/config.yaml", "Docs/Guide.md", "lib/__mocks__/client.js"}) {
    INFO(path);
    CHECK(IsFixturePath(path));
  }
}

TEST_CASE("test and template file names are fixture paths", "[fixture]") {
  for (const char* path :
       {"auth_test.go", "pkg/auth/token_test.go", "test_settings.py", "web/api.spec.ts",
        "web/api.test.js", "models/user_spec.rb", "conftest.py", "src/main/java/AuthTest.java",
        "Api.Tests/ClientTests.cs", ".env.example", ".env.sample", "config.example.yml",
        "settings.py.template", "config.php.dist", "example.env"}) {
    INFO(path);
    CHECK(IsFixturePath(path));
  }
}

TEST_CASE("configuration and source paths are not fixture paths", "[fixture]") {
  for (const char* path :
       {".env", "config/production.yml", "src/app.py", "deploy/values.yaml", "latest.json",
        "contest.py", "attestation/signer.go", "testing_utils/x", "src/Test.java",
        "documents/plan.md", "examplesite/index.php", "protest/x.go", "Dockerfile", ""}) {
    INFO(path);
    CHECK_FALSE(IsFixturePath(path));
  }
}

TEST_CASE("published samples are exact vendor documentation values", "[fixture]") {
  CHECK(IsPublishedSample("AKIAIOSFODNN7EXAMPLE"));
  CHECK(IsPublishedSample("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
  CHECK(IsPublishedSample(
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="));
  // The Cosmos DB emulator's key and Azure Storage's sample SAS signature.
  CHECK(IsPublishedSample(
      "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw=="));
  CHECK(IsPublishedSample("Z%2FRHIX5Xcg0Mq2rqI3OlWTjEg2tYkboXr1P9ZUXDtkk%3D"));
  CHECK(IsPublishedSample("kkk9d7dh3k39sjv7"));  // RFC 5849's signature example token
  CHECK(IsPublishedSample("h480djs93hd8"));      // the OAuth 2.0 MAC draft's token id
  CHECK_FALSE(IsPublishedSample("AKIAIOSFODNN7EXAMPLF"));
  CHECK_FALSE(IsPublishedSample("AKIAJEXAMPLEKEY12345"));
  CHECK_FALSE(IsPublishedSample(""));
  CHECK(IsPublishedSample("110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
  CHECK_FALSE(IsPublishedSample("110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsax"));
  // X's OAuth 1.0a signature example, RFC 6750's bearer token, Salesforce's REST guide.
  CHECK(IsPublishedSample("kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"));
  CHECK(IsPublishedSample("xvz1evFS4wEEPTGEFPHBog"));
  CHECK(IsPublishedSample("mF_9.B5f-4.1JqM"));
  CHECK_FALSE(IsPublishedSample("mF_9.B5f-4.1JqN"));
  CHECK(IsPublishedSample("czZCaGRSa3F0MzpnWDFmQmF0M2JW"));  // RFC 6749's Basic credentials
  CHECK(
      IsPublishedSample("00DE0X0A0M0PeLE!AQcAQH0dMHEXAMPLEzmpkb58urFRkgeBGsxL_"
                        "QJWwYMfAbUeeG7c1EXAMPLEDUkWe6H34r1AAwOR8B8fLEz6nEXAMPLE"));
  // AWS's documentation account IDs, alone or in an ARN (identifier tier).
  CHECK(IsPublishedSample("111122223333"));
  CHECK(IsPublishedSample("arn:aws:iam::123456789012:role/examplerole"));
  CHECK_FALSE(IsPublishedSample("arn:aws:iam::235437959624:role/ci-deployer"));
  CHECK_FALSE(IsPublishedSample("x123456789012"));
  // Documentation's bucket names, and AWS's reserved example prefix.
  CHECK(IsPublishedSample("my-bucket"));
  CHECK(IsPublishedSample("amzn-s3-demo-bucket"));
  CHECK_FALSE(IsPublishedSample("acme-ml-artifacts"));
}

TEST_CASE("a published sample is reported as a fixture, not dropped as a placeholder",
          "[fixture]") {
  Scanner scanner(testing::SharedDatabase());
  std::vector<Finding> findings;
  scanner.Scan("GET /resource HTTP/1.1\nAuthorization: Bearer mF_9.B5f-4.1JqM\n", &findings);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule->id == "generic.http-bearer-token");
  CHECK(findings[0].fixture);
  findings.clear();
  scanner.Scan("TWITTER_CONSUMER_SECRET=kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw\n", &findings);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule->provider == "twitter");
  CHECK(findings[0].fixture);
}
