// UploadStreams: the chunked uploads in progress (headers upload-id, chunk,
// final). Each upload is scanned through its own StreamScan so a secret split
// across chunks is found; line numbers run on across chunks.
//
// Rules: chunks of one upload arrive in order on one partition (the producer
// keys them by upload-id).
// - A chunk below the expected number is a redelivery: kDuplicate, skipped.
// - A chunk above it is a gap: the upload is closed with what was seen
//   (kGap), and the caller dead-letters the chunk.
// - A later chunk of an upload this instance saw end is a duplicate if the
//   upload finished, a gap if it was cut short (gap, expiry, eviction).
// - A later chunk of an upload it never saw (an "orphan") starts a partial
//   upload there. After a restart this is the normal redelivery of an upload
//   whose first chunks were committed, which (see the pipeline) only happens
//   once the whole upload was done: it is scanned again, not called a gap.
//   Lines in a partial upload count from its first chunk seen.
// - An upload idle past the timeout is closed by Expire() (kExpired).
// - At most `max_open` uploads of at most `max_bytes` of state in all are
//   open: starting one more closes the least recently active (kEvicted).
// Every upload that closes is scanned to its end first and reported in
// `closed`, with the tag the caller gave it, exactly once.
//
// Not thread-safe: each scan worker owns one, and messages are routed to
// workers by partition, so all chunks of an upload meet the same instance.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/line_index.h"
#include "scan/decoded_stream_scan.h"
#include "scan/stream_scan.h"

namespace leakd {

// What an upload is, for the alerts it yields.
struct UploadLabel {
  std::string repo, path;
};

struct LocatedStreamFinding {
  Finding finding;
  TextPosition position;
  UploadLabel label;  // of the upload the finding is in
  uint64_t tag = 0;   // of that upload
};

enum class UploadEnd { kFinished, kGap, kExpired, kEvicted };

struct ClosedUpload {
  uint64_t tag = 0;
  UploadEnd end = UploadEnd::kFinished;
};

struct UploadLimits {
  std::chrono::milliseconds idle_timeout{300000};
  size_t max_open = 1000;
  size_t max_bytes = 64u << 20;  // stream state and windows of all open uploads
};

class UploadStreams {
 public:
  using Clock = std::chrono::steady_clock;

  struct ChunkOutcome {
    enum class Kind { kScanned, kFinished, kDuplicate, kGap } kind = Kind::kScanned;
    uint64_t tag = 0;     // the upload the chunk joined (kScanned, kFinished)
    bool orphan = false;  // that upload started at this chunk, without chunk 0
    std::vector<LocatedStreamFinding> findings;
    std::vector<ClosedUpload> closed;  // this upload, and any evicted for room
  };
  struct ExpiryOutcome {
    std::vector<LocatedStreamFinding> findings;
    std::vector<ClosedUpload> closed;
  };

  UploadStreams(std::shared_ptr<const PatternDatabase> db, UploadLimits limits);

  // Scans one chunk of upload `key` (the caller namespaces ids, e.g. by repo).
  // `new_tag` names the upload if this chunk starts one.
  ChunkOutcome Feed(Scanner& scanner, const std::string& key, const UploadLabel& label,
                    uint64_t chunk, bool final, std::string_view bytes, uint64_t new_tag,
                    Clock::time_point now = Clock::now());

  // Closes uploads idle past the timeout, scanned to their end.
  ExpiryOutcome Expire(Scanner& scanner, Clock::time_point now = Clock::now());

  size_t open_uploads() const { return uploads_.size(); }
  bool IsOpen(const std::string& key) const { return uploads_.count(key) > 0; }
  size_t open_bytes() const { return open_uploads() * bytes_per_upload_; }

 private:
  struct Upload {
    explicit Upload(const PatternDatabase& db) : stream(db) {}
    StreamScan stream;
    DecodedStreamScan decoded;
    uint64_t tag = 0;
    uint64_t next_chunk = 0;
    uint64_t newlines = 0;           // newlines before the current end of the stream
    uint64_t recent_line_start = 0;  // absolute offset where the line of recent[0] starts
    std::string recent;  // the last RecentBytes(): decoded again with the next piece, and to locate
                         // findings that straddle
    uint64_t recent_start = 0;  // absolute offset of recent[0]
    UploadLabel label;
    Clock::time_point last_activity;
  };
  using UploadMap = std::map<std::string, std::unique_ptr<Upload>>;

  void Scan(Scanner& scanner, Upload& u, std::string_view bytes, bool finish,
            std::vector<LocatedStreamFinding>* out);
  // Bytes before a piece where its findings may start: the plain scan's
  // window and the decoders'.
  size_t RecentBytes() const { return std::max(db_->max_window(), DecodedStreamScan::kWindow); }
  // Scans `it` to its end, remembers how it ended, and erases it.
  UploadMap::iterator Close(Scanner& scanner, UploadMap::iterator it, UploadEnd end,
                            std::vector<LocatedStreamFinding>* findings,
                            std::vector<ClosedUpload>* closed);
  void MakeRoom(Scanner& scanner, ChunkOutcome* outcome);
  void RememberEnd(const std::string& key, UploadEnd end);

  std::shared_ptr<const PatternDatabase> db_;
  UploadLimits limits_;
  size_t bytes_per_upload_;
  UploadMap uploads_;
  // How recently closed uploads ended, so a late chunk is told apart: bounded.
  std::map<std::string, UploadEnd> ended_;
  std::deque<std::string> ended_order_;
};

}  // namespace leakd
