#include "ingest/upload_streams.h"

#include <catch2/catch.hpp>

#include "test_support.h"

using namespace leakd;
using testing::GithubToken;
using Result = UploadStreams::ChunkResult;

namespace {
struct Harness {
  std::shared_ptr<const PatternDatabase> db = testing::SharedDatabase();
  Scanner scanner{db};
  UploadStreams uploads{db, std::chrono::milliseconds(1000)};
  std::vector<LocatedStreamFinding> found;
  std::vector<uint64_t> finished;
  Result Feed(const std::string& id, uint64_t chunk, bool final, const std::string& bytes,
              uint64_t owner, UploadStreams::Clock::time_point now = UploadStreams::Clock::now()) {
    return uploads.Feed(scanner, id, {"org/repo", "model.bin"}, chunk, final, bytes, owner, &found,
                        &finished, now);
  }
};
}  // namespace

TEST_CASE("a secret split across chunks is found once, with its line and column", "[uploads]") {
  Harness h;
  const std::string token = GithubToken("ghp_", 91);
  const std::string text = "line1\nline2\n  token: " + token + "\nline4\n";
  const size_t cut = text.find(token) + 10;
  CHECK(h.Feed("u1", 0, false, text.substr(0, cut), 100) == Result::kScanned);
  CHECK(h.finished.empty());
  CHECK(h.Feed("u1", 1, true, text.substr(cut), 101) == Result::kFinished);
  REQUIRE(h.found.size() == 1);
  CHECK(h.found[0].finding.secret == token);
  CHECK(h.found[0].position.line == 3);
  CHECK(h.found[0].position.column == 10);
  CHECK(h.found[0].label.repo == "org/repo");
  CHECK(h.found[0].owner == 101);
  CHECK(h.finished == std::vector<uint64_t>{100, 101});  // both chunks' offsets may now commit
  CHECK(h.uploads.open_uploads() == 0);
}

TEST_CASE("line numbers run on across many chunks", "[uploads]") {
  Harness h;
  const std::string token = GithubToken("ghp_", 92);
  for (int i = 0; i < 50; ++i) h.Feed("u", static_cast<uint64_t>(i), false, "some line\n", i);
  h.Feed("u", 50, true, "x = " + token + "\n", 50);
  REQUIRE(h.found.size() == 1);
  CHECK(h.found[0].position.line == 51);
  CHECK(h.found[0].position.column == 5);
}

TEST_CASE("redelivered chunks are skipped, gaps close the upload", "[uploads]") {
  Harness h;
  CHECK(h.Feed("u", 0, false, "a", 1) == Result::kScanned);
  CHECK(h.Feed("u", 0, false, "a", 2) == Result::kDuplicate);
  CHECK(h.Feed("u", 5, false, "b", 3) == Result::kGap);
  CHECK(h.finished == std::vector<uint64_t>{1});
  CHECK(h.uploads.open_uploads() == 0);
  CHECK(h.Feed("other", 3, false, "c", 4) == Result::kGap);  // no start seen
}

TEST_CASE("an idle upload expires and is scanned to its end", "[uploads]") {
  Harness h;
  const auto t0 = UploadStreams::Clock::now();
  const std::string token = GithubToken("ghp_", 93);
  h.Feed("slow", 0, false, "t=" + token, 7, t0);  // the token ends the data: needs Finish
  CHECK(h.found.empty());
  CHECK(h.uploads.Expire(h.scanner, &h.found, t0 + std::chrono::milliseconds(500)).empty());
  const auto owners = h.uploads.Expire(h.scanner, &h.found, t0 + std::chrono::milliseconds(1500));
  CHECK(owners == std::vector<uint64_t>{7});
  REQUIRE(h.found.size() == 1);
  CHECK(h.found[0].finding.secret == token);
}
