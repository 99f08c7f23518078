// UploadStreams: the chunked uploads in progress (headers upload-id, chunk,
// final). Each upload is scanned through its own StreamScan so a secret split
// across chunks is found; line numbers run on across chunks.
//
// Rules: chunks of one upload arrive in order on one partition (the producer
// keys them by upload-id). A chunk below the expected number is a redelivery
// and is skipped; a chunk above it is a gap: the upload is closed with what was
// seen and the caller dead-letters the chunk. An upload idle for longer than
// the timeout is closed by Expire(). Memory per open upload: Hyperscan stream
// state plus at most the stream window (16 KiB) of text.
//
// Not thread-safe: each scan worker owns one, and messages are routed to
// workers by partition, so all chunks of an upload meet the same instance.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/line_index.h"
#include "scan/stream_scan.h"

namespace leakd {

// What an upload is, for the alerts it yields.
struct UploadLabel {
  std::string repo, path;
};

struct LocatedStreamFinding {
  Finding finding;
  TextPosition position;
  UploadLabel label;   // of the upload the finding is in
  uint64_t owner = 0;  // the latest chunk's tag of that upload
};

class UploadStreams {
 public:
  using Clock = std::chrono::steady_clock;
  enum class ChunkResult { kScanned, kFinished, kDuplicate, kGap };

  UploadStreams(std::shared_ptr<const PatternDatabase> db, std::chrono::milliseconds idle_timeout)
      : db_(std::move(db)), idle_timeout_(idle_timeout) {}

  // Scans one chunk. Findings (with positions in the whole upload) are appended
  // to `out`. `owner` is an opaque tag the caller gets back when the upload
  // ends (e.g. the messages whose offsets wait for it).
  ChunkResult Feed(Scanner& scanner, const std::string& upload_id, const UploadLabel& label,
                   uint64_t chunk, bool final, std::string_view bytes, uint64_t owner,
                   std::vector<LocatedStreamFinding>* out, std::vector<uint64_t>* finished_owners,
                   Clock::time_point now = Clock::now());

  // Closes uploads idle past the timeout; returns their owners' tags.
  std::vector<uint64_t> Expire(Scanner& scanner, std::vector<LocatedStreamFinding>* out,
                               Clock::time_point now = Clock::now());

  size_t open_uploads() const;

 private:
  struct Upload {
    explicit Upload(const PatternDatabase& db) : stream(db) {}
    StreamScan stream;
    uint64_t next_chunk = 0;
    uint64_t newlines = 0;         // newlines before the current end of the stream
    uint64_t last_line_start = 0;  // absolute offset where the current line starts
    std::string recent;            // the last window of bytes, to locate findings that straddle
    uint64_t recent_start = 0;     // absolute offset of recent[0]
    std::vector<uint64_t> owners;
    UploadLabel label;
    Clock::time_point last_activity;
  };
  void Scan(Scanner& scanner, Upload& u, std::string_view bytes, bool finish,
            std::vector<LocatedStreamFinding>* out);

  std::shared_ptr<const PatternDatabase> db_;
  std::chrono::milliseconds idle_timeout_;
  std::map<std::string, std::unique_ptr<Upload>> uploads_;
};

}  // namespace leakd
