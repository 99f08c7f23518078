#include "ingest/upload_streams.h"

#include <catch2/catch.hpp>

#include "common/base64.h"
#include "test_support.h"

using namespace leakd;
using testing::GithubToken;
using Kind = UploadStreams::ChunkOutcome::Kind;

namespace {
struct Harness {
  explicit Harness(UploadLimits limits = {std::chrono::milliseconds(1000), 1000, 64u << 20})
      : uploads(db, limits) {}
  std::shared_ptr<const PatternDatabase> db = testing::SharedDatabase();
  Scanner scanner{db};
  UploadStreams uploads;
  std::vector<LocatedStreamFinding> found;
  std::vector<ClosedUpload> closed;
  UploadStreams::ChunkOutcome last;
  Kind Feed(const std::string& id, uint64_t chunk, bool final, const std::string& bytes,
            uint64_t tag, UploadStreams::Clock::time_point now = UploadStreams::Clock::now()) {
    last = uploads.Feed(scanner, id, {"org/repo", "model.bin"}, chunk, final, bytes, tag, now);
    found.insert(found.end(), last.findings.begin(), last.findings.end());
    closed.insert(closed.end(), last.closed.begin(), last.closed.end());
    return last.kind;
  }
};
}  // namespace

TEST_CASE("a secret split across chunks is found once, with its line and column", "[uploads]") {
  Harness h;
  const std::string token = GithubToken("ghp_", 91);
  const std::string text = "line1\nline2\n  token: " + token + "\nline4\n";
  const size_t cut = text.find(token) + 10;
  CHECK(h.Feed("u1", 0, false, text.substr(0, cut), 100) == Kind::kScanned);
  CHECK(h.last.tag == 100);
  CHECK(h.closed.empty());
  CHECK(h.Feed("u1", 1, true, text.substr(cut), 101) == Kind::kFinished);
  CHECK(h.last.tag == 100);  // the chunk joined the upload started by chunk 0
  REQUIRE(h.found.size() == 1);
  CHECK(h.found[0].finding.secret == token);
  CHECK(h.found[0].position.line == 3);
  CHECK(h.found[0].position.column == 10);
  CHECK(h.found[0].label.repo == "org/repo");
  CHECK(h.found[0].tag == 100);
  REQUIRE(h.closed.size() == 1);
  CHECK(h.closed[0].tag == 100);
  CHECK(h.closed[0].end == UploadEnd::kFinished);
  CHECK(h.uploads.open_uploads() == 0);
}

TEST_CASE("line numbers run on across many chunks", "[uploads]") {
  Harness h;
  const std::string token = GithubToken("ghp_", 92);
  for (int i = 0; i < 50; ++i) h.Feed("u", static_cast<uint64_t>(i), false, "some line\n", 1);
  h.Feed("u", 50, true, "x = " + token + "\n", 1);
  REQUIRE(h.found.size() == 1);
  CHECK(h.found[0].position.line == 51);
  CHECK(h.found[0].position.column == 5);
}

TEST_CASE("redelivered chunks are skipped, gaps close the upload", "[uploads]") {
  Harness h;
  CHECK(h.Feed("u", 0, false, "a", 1) == Kind::kScanned);
  CHECK(h.Feed("u", 0, false, "a", 2) == Kind::kDuplicate);
  CHECK(h.Feed("u", 5, false, "b", 3) == Kind::kGap);
  REQUIRE(h.closed.size() == 1);
  CHECK(h.closed[0].tag == 1);
  CHECK(h.closed[0].end == UploadEnd::kGap);
  CHECK(h.uploads.open_uploads() == 0);
  // A later chunk of the upload that was cut short is a gap too.
  CHECK(h.Feed("u", 6, true, "c", 4) == Kind::kGap);
}

TEST_CASE("chunks of a finished upload delivered again are duplicates, not gaps", "[uploads]") {
  Harness h;
  h.Feed("a", 0, false, "x", 1);
  h.Feed("b", 0, false, "y", 2);
  CHECK(h.Feed("a", 1, true, "x", 3) == Kind::kFinished);
  // Redelivery from b's chunk 0 replays a's tail: not a gap.
  CHECK(h.Feed("a", 1, true, "x", 4) == Kind::kDuplicate);
  CHECK(h.Feed("a", 0, false, "x", 5) == Kind::kDuplicate);
  CHECK(h.uploads.open_uploads() == 1);
}

TEST_CASE("a later chunk of an upload never seen starts a partial upload and is scanned",
          "[uploads]") {
  Harness h;
  const std::string token = GithubToken("ghp_", 94);
  CHECK(h.Feed("after-restart", 3, false, "k=" + token + "\n", 9) == Kind::kScanned);
  CHECK(h.last.orphan);
  CHECK(h.last.tag == 9);
  CHECK(h.Feed("after-restart", 4, true, "end\n", 10) == Kind::kFinished);
  REQUIRE(h.found.size() == 1);
  CHECK(h.found[0].finding.secret == token);
  CHECK(h.found[0].position.line == 1);  // counted from the first chunk seen
}

TEST_CASE("an idle upload expires and is scanned to its end", "[uploads]") {
  Harness h;
  const auto t0 = UploadStreams::Clock::now();
  const std::string token = GithubToken("ghp_", 93);
  h.Feed("slow", 0, false, "t=" + token, 7, t0);  // the token ends the data: needs Finish
  CHECK(h.found.empty());
  CHECK(h.uploads.Expire(h.scanner, t0 + std::chrono::milliseconds(500)).closed.empty());
  const auto expired = h.uploads.Expire(h.scanner, t0 + std::chrono::milliseconds(1500));
  REQUIRE(expired.closed.size() == 1);
  CHECK(expired.closed[0].tag == 7);
  CHECK(expired.closed[0].end == UploadEnd::kExpired);
  REQUIRE(expired.findings.size() == 1);
  CHECK(expired.findings[0].finding.secret == token);
  CHECK(h.uploads.open_uploads() == 0);
}

TEST_CASE("open uploads are capped: the least recently active is evicted, scanned to its end",
          "[uploads]") {
  Harness h({std::chrono::milliseconds(100000), 3, 64u << 20});
  const auto t0 = UploadStreams::Clock::now();
  const std::string token = GithubToken("ghp_", 95);
  h.Feed("u0", 0, false, "t=" + token, 10, t0);
  for (uint64_t i = 1; i < 3; ++i) {
    h.Feed("u" + std::to_string(i), 0, false, "x", 10 + i, t0 + std::chrono::milliseconds(i));
  }
  CHECK(h.uploads.open_uploads() == 3);
  CHECK(h.closed.empty());
  h.Feed("u3", 0, false, "x", 13, t0 + std::chrono::milliseconds(5));
  CHECK(h.uploads.open_uploads() == 3);
  REQUIRE(h.closed.size() == 1);
  CHECK(h.closed[0].tag == 10);
  CHECK(h.closed[0].end == UploadEnd::kEvicted);
  REQUIRE(h.found.size() == 1);  // nothing it held is lost
  CHECK(h.found[0].finding.secret == token);
  CHECK(h.Feed("u0", 1, false, "y", 14) == Kind::kGap);  // its later chunks are gaps

  SECTION("and by bytes of state") {
    Harness small({std::chrono::milliseconds(100000), 1000, 1});
    for (int i = 0; i < 20; ++i) small.Feed("b" + std::to_string(i), 0, false, "x", 1);
    CHECK(small.uploads.open_uploads() == 1);
    CHECK(small.closed.size() == 19);
  }
}

TEST_CASE("an encoded secret split across chunks is decoded, found once, with its line",
          "[uploads]") {
  Harness h;
  const std::string token = GithubToken("ghp_", 93);
  const std::string b64 = EncodeBase64(token);
  const std::string text = "kind: Secret\ndata:\n  GITHUB_TOKEN: " + b64 + "\nlast\n";
  const size_t cut = text.find(b64) + 9;  // inside the base64 value
  CHECK(h.Feed("u9", 0, false, text.substr(0, cut), 900) == Kind::kScanned);
  CHECK(h.Feed("u9", 1, true, text.substr(cut), 901) == Kind::kFinished);
  std::vector<LocatedStreamFinding> github;
  for (const auto& f : h.found) {
    if (f.finding.rule->id == "github.pat") github.push_back(f);
  }
  REQUIRE(github.size() == 1);
  CHECK(github[0].finding.secret == token);
  CHECK(github[0].finding.offset == text.find(b64));
  CHECK(github[0].position.line == 3);
  CHECK(github[0].position.column == 17);
}
