#include "ingest/upload_headers.h"

#include <catch2/catch.hpp>

using namespace leakd;

TEST_CASE("upload headers decode to a typed whole file or chunk", "[upload-headers]") {
  UploadHeaders h;
  REQUIRE(DecodeUploadHeaders({{"repo", "org/m"}, {"path", "a.txt"}, {"x-other", "1"}}, &h) ==
          DecodeError::kNone);
  CHECK(h.repo == "org/m");
  CHECK(h.path == "a.txt");
  CHECK_FALSE(h.gzip);
  CHECK_FALSE(h.chunk);

  REQUIRE(DecodeUploadHeaders({{"Repo", "r"},
                               {"PATH", "p"},
                               {"Content-Encoding", "GZIP"},
                               {"upload-id", "u1"},
                               {"chunk", "12"},
                               {"final", "TRUE"}},
                              &h) == DecodeError::kNone);
  CHECK(h.gzip);
  REQUIRE(h.chunk);
  CHECK(h.chunk->upload_id == "u1");
  CHECK(h.chunk->index == 12);
  CHECK(h.chunk->final);
  REQUIRE(
      DecodeUploadHeaders(
          {{"repo", "r"}, {"path", "p"}, {"upload-id", "u"}, {"chunk", "0"}, {"final", "False"}},
          &h) == DecodeError::kNone);
  CHECK_FALSE(h.chunk->final);
  REQUIRE(DecodeUploadHeaders({{"repo", "r"}, {"path", "p"}, {"content-encoding", "identity"}},
                              &h) == DecodeError::kNone);
  CHECK_FALSE(h.gzip);
}

TEST_CASE("hostile upload headers are refused with a reason, never guessed", "[upload-headers]") {
  UploadHeaders h;
  const auto bad = [&](MessageHeaders headers) { return DecodeUploadHeaders(headers, &h); };
  CHECK(bad({{"path", "p"}}) == DecodeError::kBadHeader);
  CHECK(bad({{"repo", "r"}}) == DecodeError::kBadHeader);
  CHECK(bad({{"repo", ""}, {"path", "p"}}) == DecodeError::kBadHeader);
  // A header twice (in any case) is a broken producer, not a choice to make.
  CHECK(bad({{"repo", "r"}, {"path", "p"}, {"Path", "q"}}) == DecodeError::kBadHeader);
  CHECK(bad({{"repo", "r"},
             {"path", "p"},
             {"content-encoding", "gzip"},
             {"content-encoding", "identity"}}) == DecodeError::kBadHeader);
  CHECK(bad({{"repo", "r"}, {"path", "p"}, {"content-encoding", "br"}}) ==
        DecodeError::kUnsupportedEncoding);
  CHECK(bad({{"repo", "r"}, {"path", "p"}, {"upload-id", "u"}}) == DecodeError::kBadHeader);
  CHECK(bad({{"repo", "r"}, {"path", "p"}, {"chunk", "0"}}) == DecodeError::kBadHeader);
  CHECK(bad({{"repo", "r"}, {"path", "p"}, {"final", "true"}}) == DecodeError::kBadHeader);
  for (const char* chunk : {"", "-1", "1.5", "0x1", "9999999999999999999", " 1"}) {
    CHECK(bad({{"repo", "r"}, {"path", "p"}, {"upload-id", "u"}, {"chunk", chunk}}) ==
          DecodeError::kBadHeader);
  }
  CHECK(bad({{"repo", "r"}, {"path", "p"}, {"upload-id", "u"}, {"chunk", "1"}, {"final", "yes"}}) ==
        DecodeError::kBadHeader);
  CHECK(bad({{"repo", "r"}, {"path", "p"}, {"upload-id", ""}, {"chunk", "1"}}) ==
        DecodeError::kBadHeader);
}
