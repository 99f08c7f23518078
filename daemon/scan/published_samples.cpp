#include "scan/published_samples.h"

#include <string>

namespace leakd {
namespace {

constexpr std::string_view kSamples[] = {
    // AWS IAM and SDK documentation.
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AKIAI44QH8DHBEXAMPLE",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    // Stripe API reference.
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "pk_test_TYooMQauvdEDq54NiTphI7jx",
    // Samples of other vendors' documentation, copied into many
    // repositories (each checked against the vendor's pages).
    "key-3ax6xnjp29jd6fds4gc373sgvjxteol0",          // Mailgun
    "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",  // Telegram BotFather
    "6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv",      // Zendesk
    "y_NbAkKc66ryYTWUXYEu",                          // PagerDuty
    "YQSn-xWAQiiEh9qM58wZNnyQS7FUdoqGIUAbrh7T",      // Cloudflare
    "b6907d289e10d714a6e88b30761fae22",              // OpenWeatherMap
    "kpvy3cjboyptmdkiacwr0c19hotn5s",                // Twitch
    "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2",              // ntfy
    "azGDORePK8gMaC0QOYAMyEEuzJnyUi",                // Pushover
    "Zh5eGmUq9zpfQnyUIu5OL9iWoMMv5ZNmk3zLJ4Ep",      // Duo skey
    "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",       // Google Maps
    "test_gshuPaZoeEG6ovbc8M79w0QyM",                // MessageBird
    "test_0dc8d51e0acffcb1880e0f19c79b2f5b0cc",      // Lob
    // X (Twitter) "Authorizing a request" / "Creating a signature" (OAuth 1.0a).
    "xvz1evFS4wEEPTGEFPHBog",
    "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
    "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
    "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
    // RFC 5849 (OAuth 1.0): section 1.2's client, temporary and token
    // credentials and verifier; section 3.4.1's signature example; OAuth
    // Core 1.0's header example token.
    "dpf43f3p2l4k3l03",
    "kd94hf93k423kf44",
    "hh5s93j4hdidpola",
    "hdhd0244k9j7ao03",
    "nnch734d00sl2jdk",
    "pfkkdhi9sl3r4s00",
    "hfdp7dh39dks9884",
    "9djdj82h48djs9d2",
    "kkk9d7dh3k39sjv7",
    "j49sk3j29djd",
    "dh893hdasih9",
    "0685bd9184jfhq22",
    "ad180jjd733klru7",
    // The OAuth 2.0 MAC token draft's example (RFC 6749 section 7.1 cites
    // its id; RFC 7644 uses the id as a bearer token).
    "h480djs93hd8",
    "489dks293j39",
    // RFC 6750 section 2.1 (bearer token) and RFC 6749 section 4.1.4.
    "mF_9.B5f-4.1JqM",
    "2YotnFZFEjr1zCsicMWpAA",
    "tGzv3JOkF0XG5Qx2TlKWIA",
    // RFC 6749 section 2.3.1's client credentials (s6BhdRkqt3:gX1fBat3bV) as
    // an Authorization: Basic header.
    "czZCaGRSa3F0MzpnWDFmQmF0M2JW",
    // Salesforce REST API Developer Guide (curl examples).
    "00DE0X0A0M0PeLE!AQcAQH0dMHEXAMPLEzmpkb58urFRkgeBGsxL_"
    "QJWwYMfAbUeeG7c1EXAMPLEDUkWe6H34r1AAwOR8B8fLEz6"
    "nEXAMPLE",
    // Azurite and the Azure Storage Emulator: the fixed key of the local
    // account devstoreaccount1 (Microsoft's "Use the Azurite emulator").
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    // The Azure Cosmos DB emulator's fixed key ("Use the Azure Cosmos DB
    // emulator for local development").
    "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==",
    // The signature of the sample SAS URL in Azure Storage's "Grant limited
    // access with shared access signatures", copied into SDK samples.
    "Z%2FRHIX5Xcg0Mq2rqI3OlWTjEg2tYkboXr1P9ZUXDtkk%3D",
    "Z%2FRHIX5Xcg0Mq2rqI3OlWTjEg2tYkboXr1P9ZUXDtkk=",
    // Checkout.com API reference's sandbox secret key.
    "sk_test_0b9b5db6-f223-49d0-b68f-f6643dd4f808",
    // Infura project IDs that ethers.js and MetaMask ship as public defaults.
    "84842078b09946638c03157f83405213",
    "9aa3d95b3bc440fa88ea12eaa4456161",
    // GitHub "Refreshing user access tokens".
    "ghr_1B4a2e77838347a7E420ce178F2E7c6912E169246c3CE1ccbF66C46812d16D5B1A9Dc86A1498",
};

// The account IDs AWS's documentation uses in its examples ("IAM
// identifiers", cross-account examples): an account ID or an ARN holding one
// is a documentation sample (identifier tier).
constexpr std::string_view kAwsDocumentationAccounts[] = {"123456789012", "111122223333",
                                                          "444455556666", "777788889999"};

bool IsDocumentationAwsIdentifier(std::string_view secret) {
  const bool arn = secret.substr(0, 4) == "arn:";
  for (std::string_view account : kAwsDocumentationAccounts) {
    if (secret == account) return true;
    if (arn && secret.find(":" + std::string(account) + ":") != std::string_view::npos) return true;
  }
  return false;
}

// Bucket names that documentation writes for "your bucket" (identifier
// tier), and the prefixes AWS reserves for its examples (amzn-s3-demo-…,
// formerly DOC-EXAMPLE-…).
constexpr std::string_view kDocumentationBuckets[] = {
    "bucket",         "bucketname",    "bucket-name", "bucket_name", "bucket-id",
    "mybucket",       "my-bucket",     "my_bucket",   "your-bucket", "your-bucket-name",
    "example-bucket", "examplebucket", "some-bucket", "test-bucket", "another_bucket"};

bool IsDocumentationBucket(std::string_view secret) {
  for (std::string_view name : kDocumentationBuckets) {
    if (secret == name) return true;
  }
  return secret.substr(0, 13) == "amzn-s3-demo-" || secret.substr(0, 12) == "doc-example-";
}

}  // namespace

bool IsPublishedSample(std::string_view secret) {
  for (std::string_view sample : kSamples) {
    if (secret == sample) return true;
  }
  return IsDocumentationAwsIdentifier(secret) || IsDocumentationBucket(secret);
}

}  // namespace leakd
