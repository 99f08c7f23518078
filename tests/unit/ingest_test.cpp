
#include <simdjson.h>

#include <catch2/catch.hpp>
#include <utility>

#include "ingest/commit_event.h"
#include "ingest/gzip.h"
#include "ingest/unified_diff.h"

using namespace leakd;

TEST_CASE("only added lines of a patch are kept, with new-file line numbers", "[diff]") {
  const std::string patch =
      "@@ -1,3 +1,4 @@\n"
      " keep one\n"
      "-removed secret\n"
      "+added A\n"
      " keep two\n"
      "@@ -10,2 +11,3 @@ def f():\n"
      " ctx\n"
      "+added B\n"
      "\\ No newline at end of file\n"
      "+added C\r\n";
  const AddedLines added = AddedLines::FromPatch(patch);
  CHECK(added.text() == "added A\nadded B\nadded C\n");
  CHECK(added.PositionOf(0).line == 2);
  CHECK(added.PositionOf(6).line == 2);
  CHECK(added.PositionOf(6).column == 7);
  CHECK(added.PositionOf(8).line == 12);
  CHECK(added.PositionOf(16).line == 13);
}

TEST_CASE("an added line whose content starts with ++ is kept", "[diff]") {
  const AddedLines added = AddedLines::FromPatch("@@ -1 +1,2 @@\n+++ counter\n+x\n");
  CHECK(added.text() == "++ counter\nx\n");
  CHECK(added.PositionOf(11).line == 2);
}

TEST_CASE("a deleted file's hunk adds nothing", "[diff]") {
  CHECK(AddedLines::FromPatch("@@ -1,2 +0,0 @@\n-a\n-b\n").text().empty());
}

TEST_CASE("file headers around hunks are ignored", "[diff]") {
  const std::string patch =
      "diff --git a/x b/x\nindex 1..2 100644\n--- a/x\n+++ b/x\n@@ -0,0 +1,2 @@\n+first\n"
      "+second\ndiff --git a/y b/y\nBinary files a/y and b/y differ\n";
  const AddedLines added = AddedLines::FromPatch(patch);
  CHECK_FALSE(added.malformed());
  CHECK(added.text() == "first\nsecond\n");
  CHECK(added.PositionOf(6).line == 2);
  CHECK_FALSE(AddedLines::FromPatch("").malformed());
  CHECK(AddedLines::FromPatch("").text().empty());
}

TEST_CASE("a patch whose added lines cannot be placed is malformed, never skipped", "[diff]") {
  // No hunk header at all: the added line would be lost silently.
  CHECK(AddedLines::FromPatch("+TOKEN=secret\n").malformed());
  CHECK(AddedLines::FromPatch("+a\n+b\n+c\n").malformed());
  // A broken hunk header.
  CHECK(AddedLines::FromPatch("@@ bogus header\n+also\n").malformed());
  CHECK(AddedLines::FromPatch("@@ -1 +x @@\n+a\n").malformed());
  CHECK(AddedLines::FromPatch("@@ -1 +99999999999999999999999 @@\n+a\n").malformed());
  // An added line after the hunk was left.
  CHECK(AddedLines::FromPatch("@@ -0,0 +1 @@\n+a\ndiff --git a/y b/y\n+stray\n").malformed());
  // New-file lines where the header says there are none (found by
  // tests/fuzz/unified_diff_fuzz: they were placed at line 0).
  CHECK(AddedLines::FromPatch("@@ +0\n+a").malformed());
  CHECK(AddedLines::FromPatch("@@ -1,3 +0,0 @@\n ctx\n+added\n").malformed());
  std::string wrap = "@@ -1 +18446744073709551606 @@\n";
  for (int i = 0; i < 10; ++i) wrap += "+a\n";
  CHECK_FALSE(AddedLines::FromPatch(wrap).malformed());     // the last line is 2^64 - 1
  CHECK(AddedLines::FromPatch(wrap + "+b\n").malformed());  // the next would wrap to 0
  // A deleted file's hunk is fine.
  CHECK_FALSE(AddedLines::FromPatch("@@ -1,2 +0,0 @@\n-one\n-two\n").malformed());
  CommitEvent e;
  CHECK(ParseCommitEvent(R"({"repo":"a","files":[{"path":"x","patch":"+k=v\n"}]})", {}, &e) ==
        DecodeError::kBadPatch);
  CHECK(std::string(DecodeErrorCode(DecodeError::kBadPatch)) == "bad-patch");
}

TEST_CASE("gzip: round trip, bomb bound, truncation and garbage", "[gzip]") {
  const std::string data(1 << 20, 'z');
  const std::string gz = GzipCompress(data);
  std::string out;
  CHECK(GunzipBounded(gz, 2 << 20, &out) == DecodeError::kNone);
  CHECK(out == data);
  CHECK(GunzipBounded(gz, 1000, &out) == DecodeError::kDecompressedTooLarge);
  CHECK(out.empty());
  CHECK(GunzipBounded(gz.substr(0, gz.size() / 2), 2 << 20, &out) == DecodeError::kTruncatedGzip);
  CHECK(GunzipBounded("definitely not gzip", 1000, &out) == DecodeError::kBadGzip);
  CHECK(GunzipBounded(GzipCompress("a") + GzipCompress("b"), 10, &out) == DecodeError::kNone);
  CHECK(out == "ab");
}

TEST_CASE("a commit event decodes patches and base64 content", "[commit]") {
  const std::string json =
      R"({"repo":"org/name","commit":"0123456789abcdef0123456789abcdef01234567",
    "ref":"refs/heads/main","pusher":"alice","pushed_at":"2026-11-25T12:00:00Z","extra":{"x":[1,2]},
    "files":[{"path":"src/app.py","patch":"@@ -1 +1,2 @@\n ctx\n+TOKEN = 1\n"},
             {"path":"model/config.json","content_b64":"aGVsbG8gd29ybGQ="}]})";
  CommitEvent event;
  REQUIRE(ParseCommitEvent(json, {}, &event) == DecodeError::kNone);
  CHECK(event.repo == "org/name");
  CHECK(event.pusher == "alice");
  REQUIRE(event.files.size() == 2);
  CHECK(event.files[0].is_patch);
  CHECK(event.files[0].added.text() == "TOKEN = 1\n");
  CHECK(event.files[0].added.PositionOf(0).line == 2);
  CHECK_FALSE(event.files[1].is_patch);
  CHECK(event.files[1].content == "hello world");
}

TEST_CASE("malformed JSON in a field the event does not use is invalid-json", "[commit]") {
  // On-Demand parsing skips a value nobody reads without looking at it; the
  // event must still be JSON (found by tests/fuzz/commit_event_fuzz). Each
  // value goes in an unused field at the top level and in a file entry.
  const auto parsed_with = [](const std::string& v) {
    CommitEvent e;
    const DecodeError top =
        ParseCommitEvent(R"({"repo":"a","extra":)" + v + R"(,"files":[]})", {}, &e);
    const DecodeError in_file = ParseCommitEvent(
        R"({"repo":"a","files":[{"path":"x","mode":)" + v + R"(,"patch":""}]})", {}, &e);
    return std::make_pair(top, in_file);
  };
  const auto invalid = std::make_pair(DecodeError::kInvalidJson, DecodeError::kInvalidJson);
  const auto accepted = std::make_pair(DecodeError::kNone, DecodeError::kNone);
  for (const char* bad :
       {"A", "tru", "nul", "-", "01", "1.", "\"\\x\"", "\"\\ud800\"", "[1,]", "[1 2]", "{\"a\" 1}",
        "{\"a\":}", "{1:2}", "[[[[A]]]]", "{\"a\":[{\"b\":x}]}"}) {
    INFO(bad);
    CHECK(parsed_with(bad) == invalid);
  }
  for (const char* good : {"1", "-0.5e+3", "true", "false", "null", "\"\\u00e9\"", "[]", "{}",
                           "[1,[2,{\"a\":null}]]", "{\"a\":{\"b\":[true,\"c\"]}}"}) {
    INFO(good);
    CHECK(parsed_with(good) == accepted);
  }
}

TEST_CASE("nesting in an unused field is bounded as the full parser bounds it", "[commit]") {
  // On-Demand checks no depth: a 1 MB event of `[` in a field nobody reads
  // would have overflowed the stack of the walk that validates it.
  const auto nested = [](size_t n) {
    return R"({"repo":"a","extra":)" + std::string(n, '[') + std::string(n, ']') +
           R"(,"files":[]})";
  };
  simdjson::dom::parser dom;
  for (size_t n : {1000, 1022, 1023, 1024, 1025, 2000}) {
    INFO(n);
    const std::string json = nested(n);
    CommitEvent e;
    const bool accepted = ParseCommitEvent(json, {}, &e) == DecodeError::kNone;
    CHECK(accepted == !dom.parse(json).error());
  }
  CommitEvent e;
  CHECK(ParseCommitEvent(nested(500000), {}, &e) == DecodeError::kInvalidJson);
  const std::string in_file = R"({"repo":"a","files":[{"path":"x","patch":"","m":)" +
                              std::string(500000, '[') + std::string(500000, ']') + "}]}";
  CHECK(ParseCommitEvent(in_file, {}, &e) == DecodeError::kInvalidJson);
}

TEST_CASE("hostile commit events are rejected with a reason code", "[commit]") {
  CommitEvent e;
  CHECK(ParseCommitEvent("not json", {}, &e) == DecodeError::kInvalidJson);
  CHECK(ParseCommitEvent("[1,2]", {}, &e) == DecodeError::kInvalidJson);
  CHECK(ParseCommitEvent(R"({"repo":"a","files":[]} trailing)", {}, &e) ==
        DecodeError::kInvalidJson);
  CHECK(ParseCommitEvent(R"({"repo":"a","files":[{"path":"x","patch":"@@ -1 +1 @@\n+x"})", {},
                         &e) == DecodeError::kInvalidJson);
  CHECK(ParseCommitEvent(R"({"files":[]})", {}, &e) == DecodeError::kMissingField);
  CHECK(ParseCommitEvent(R"({"repo":7,"files":[]})", {}, &e) == DecodeError::kMissingField);
  CHECK(ParseCommitEvent(R"({"repo":"a","files":[{"path":"x"}]})", {}, &e) ==
        DecodeError::kMissingField);
  CHECK(ParseCommitEvent(R"({"repo":"a","files":[{"path":"x","patch":"","content_b64":""}]})", {},
                         &e) == DecodeError::kAmbiguousFile);
  // A lone surrogate is not valid JSON text, whatever field it is in.
  CHECK(ParseCommitEvent(R"({"repo":"\ud800","files":[]})", {}, &e) == DecodeError::kInvalidJson);
  CHECK(ParseCommitEvent(R"({"repo":"a","files":[{"path":"\udfff","patch":""}]})", {}, &e) ==
        DecodeError::kInvalidJson);
  CHECK(ParseCommitEvent(R"({"repo":"a","files":[{"path":7,"patch":""}]})", {}, &e) ==
        DecodeError::kMissingField);
  CHECK(ParseCommitEvent(R"({"repo":"a","files":[{"path":"x","content_b64":"!!!"}]})", {}, &e) ==
        DecodeError::kBadBase64);
  CommitLimits small;
  small.max_files = 1;
  CHECK(
      ParseCommitEvent(R"({"repo":"a","files":[{"path":"x","patch":""},{"path":"y","patch":""}]})",
                       small, &e) == DecodeError::kTooManyFiles);
  small.max_message_bytes = 10;
  CHECK(ParseCommitEvent(R"({"repo":"a","files":[]})", small, &e) == DecodeError::kMessageTooLarge);
  // Decoded content is held to max_file_bytes exactly (found by
  // tests/fuzz/commit_event_fuzz: 19 characters decode to 14 bytes, and the
  // estimate from the text's length said 12).
  CommitLimits file_limit;
  file_limit.max_file_bytes = 12;
  CHECK(
      ParseCommitEvent(R"({"repo":"r","files":[{"path":"p","content_b64":"AAAAAAAAAAAAAAAAAAA"}]})",
                       file_limit, &e) == DecodeError::kMessageTooLarge);
  REQUIRE(
      ParseCommitEvent(R"({"repo":"r","files":[{"path":"p","content_b64":"AAAAAAAAAAAAAAAA"}]})",
                       file_limit, &e) == DecodeError::kNone);
  CHECK(e.files[0].content.size() == 12);
  CHECK(std::string(DecodeErrorCode(DecodeError::kBadBase64)) == "bad-base64");
  std::string noise(4096, '\0');
  for (size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>(i * 131 + 7);
  CHECK(ParseCommitEvent(noise, {}, &e) != DecodeError::kNone);
}

TEST_CASE("a reused commit event parser keeps nothing of the previous event", "[commit]") {
  const std::string two_files =
      R"({"repo":"o/a","commit":"c1","ref":"refs/heads/x","pusher":"p","pushed_at":"t",)"
      R"("files":[{"path":"a.py","patch":"@@ -1 +1,2 @@\n ctx\n+added A\n"},)"
      R"({"path":"b.env","content_b64":"S0VZPXZhbHVl"}]})";
  const std::string one_file =
      R"({"repo":"o/b","files":[{"path":"c.py","patch":"@@ -0,0 +1 @@\n+added C\n"}]})";
  const std::string large = R"({"repo":"o/c","files":[{"path":"d.txt","content_b64":")" +
                            std::string((CommitEventParser::kKeptBytes / 3 + 1) * 4, 'Q') +
                            R"("}]})";
  const CommitLimits limits;
  CommitEventParser parser;
  CommitEvent event;
  REQUIRE(parser.Parse(two_files, limits, &event) == DecodeError::kNone);
  REQUIRE(event.files.size() == 2);
  CHECK(event.files[1].content == "KEY=value");

  REQUIRE(parser.Parse(one_file, limits, &event) == DecodeError::kNone);
  CHECK(event.repo == "o/b");
  CHECK(event.commit.empty());
  CHECK(event.ref.empty());
  CHECK(event.pusher.empty());
  CHECK(event.pushed_at.empty());
  REQUIRE(event.files.size() == 1);
  CHECK(event.files[0].path == "c.py");
  CHECK(event.files[0].added.text() == "added C\n");

  CHECK(parser.Parse(R"({"repo":"o/d","files":[)", limits, &event) == DecodeError::kInvalidJson);
  REQUIRE(parser.Parse(large, limits, &event) == DecodeError::kNone);  // buffers dropped after
  CHECK(event.files.at(0).content.size() == (CommitEventParser::kKeptBytes / 3 + 1) * 3);

  // Afterwards the parser reads as a fresh one does.
  CommitEvent fresh;
  REQUIRE(ParseCommitEvent(two_files, limits, &fresh) == DecodeError::kNone);
  REQUIRE(parser.Parse(two_files, limits, &event) == DecodeError::kNone);
  CHECK(event.repo == fresh.repo);
  CHECK(event.commit == fresh.commit);
  CHECK(event.ref == fresh.ref);
  REQUIRE(event.files.size() == fresh.files.size());
  for (size_t i = 0; i < fresh.files.size(); ++i) {
    CHECK(event.files[i].path == fresh.files[i].path);
    CHECK(event.files[i].is_patch == fresh.files[i].is_patch);
    CHECK(event.files[i].added.text() == fresh.files[i].added.text());
    CHECK(event.files[i].content == fresh.files[i].content);
  }
}
