// Every size limit of the ingest path at its boundary: exactly the limit's
// worth passes, one byte more is refused with its reason, for the inputs an
// attacker controls (the event's bytes, its file count, a file's decoded
// size, an upload's inflated size).
#include <catch2/catch.hpp>
#include <string>

#include "common/base64.h"
#include "common/clip_text.h"
#include "ingest/commit_event.h"
#include "ingest/gzip.h"
#include "ingest/upload_headers.h"

using namespace leakd;

namespace {
// Bytes that deflate poorly, so that the compressed sizes vary too.
std::string Noise(size_t n) {
  std::string s(n, '\0');
  uint32_t x = 2463534242u;
  for (auto& c : s) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    c = static_cast<char>(x);
  }
  return s;
}

}  // namespace

TEST_CASE("gunzip: exactly the bound inflates, one byte over is refused", "[limits]") {
  // Around the 64 KiB output buffer too: a stream that ends on it, or one past.
  for (const size_t n : {size_t{0}, size_t{1}, size_t{65535}, size_t{65536}, size_t{65537},
                         size_t{131072}, size_t{200001}}) {
    INFO("inflated size " << n);
    for (const bool noisy : {false, true}) {
      const std::string data = noisy ? Noise(n) : std::string(n, 'z');
      const std::string gz = GzipCompress(data);
      std::string out;
      CHECK(GunzipBounded(gz, n, &out) == DecodeError::kNone);
      CHECK(out == data);
      if (n == 0) continue;
      CHECK(GunzipBounded(gz, n - 1, &out) == DecodeError::kDecompressedTooLarge);
      CHECK(out.empty());
      // Cut one byte short (the trailer's last byte): never a silent success.
      CHECK(GunzipBounded(gz.substr(0, gz.size() - 1), n, &out) != DecodeError::kNone);
    }
  }
}

TEST_CASE("commit events: each limit admits its value and refuses one more", "[limits]") {
  CommitEvent e;
  const std::string json =
      R"({"repo":"o/r","files":[{"path":"a","patch":""},{"path":"b","patch":""},{"path":"c","patch":""}]})";
  CommitLimits limits;
  limits.max_message_bytes = json.size();
  CHECK(ParseCommitEvent(json, limits, &e) == DecodeError::kNone);
  limits.max_message_bytes = json.size() - 1;
  CHECK(ParseCommitEvent(json, limits, &e) == DecodeError::kMessageTooLarge);

  limits = {};
  limits.max_files = 3;
  CHECK(ParseCommitEvent(json, limits, &e) == DecodeError::kNone);
  CHECK(e.files.size() == 3);
  limits.max_files = 2;
  CHECK(ParseCommitEvent(json, limits, &e) == DecodeError::kTooManyFiles);

  // Every length of decoded content (all three paddings), at the bound and one under it.
  for (size_t n = 0; n <= 40; ++n) {
    INFO("decoded size " << n);
    const std::string content = Noise(n);
    const std::string event =
        R"({"repo":"o/r","files":[{"path":"p","content_b64":")" + EncodeBase64(content) + R"("}]})";
    limits = {};
    limits.max_file_bytes = n;
    REQUIRE(ParseCommitEvent(event, limits, &e) == DecodeError::kNone);
    CHECK(e.files[0].content == content);
    if (n == 0) continue;
    limits.max_file_bytes = n - 1;
    CHECK(ParseCommitEvent(event, limits, &e) == DecodeError::kMessageTooLarge);
  }
  // Wrapped base64 (a newline every 76 characters, as MIME writes it) is held
  // to its decoded size too, not to an estimate from the text's length.
  const std::string content = Noise(3000);
  std::string wrapped = EncodeBase64(content);
  for (size_t at = 76; at < wrapped.size(); at += 78) wrapped.insert(at, "\\n");
  limits = {};
  limits.max_file_bytes = content.size();
  REQUIRE(ParseCommitEvent(
              R"({"repo":"o/r","files":[{"path":"p","content_b64":")" + wrapped + R"("}]})", limits,
              &e) == DecodeError::kNone);
  CHECK(e.files[0].content == content);
}

TEST_CASE("upload headers: a long repo or path is clipped, a long upload id refused", "[limits]") {
  UploadHeaders h;
  const std::string long_path = std::string(1 << 20, 'd') + "/app.py";
  REQUIRE(DecodeUploadHeaders({{"repo", std::string(kMaxLocationBytes + 1, 'r')},
                               {"path", long_path},
                               {"upload-id", std::string(kMaxUploadIdBytes, 'u')},
                               {"chunk", "0"}},
                              &h) == DecodeError::kNone);
  CHECK(h.repo == ClipText(std::string(kMaxLocationBytes + 1, 'r')));
  CHECK(h.repo.size() == kMaxLocationBytes);
  CHECK(h.path == ClipText(long_path));
  CHECK(h.chunk->upload_id.size() == kMaxUploadIdBytes);
  REQUIRE(DecodeUploadHeaders({{"repo", "o/r"}, {"path", std::string(kMaxLocationBytes, 'p')}},
                              &h) == DecodeError::kNone);
  CHECK(h.path == std::string(kMaxLocationBytes, 'p'));  // at the limit: kept whole
  CHECK(DecodeUploadHeaders({{"repo", "o/r"},
                             {"path", "a"},
                             {"upload-id", std::string(kMaxUploadIdBytes + 1, 'u')},
                             {"chunk", "0"}},
                            &h) == DecodeError::kBadHeader);
}
