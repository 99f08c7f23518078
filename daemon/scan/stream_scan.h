// StreamScan: scans one logical input delivered in pieces (a chunked upload),
// finding secrets that straddle piece boundaries.
//
// Stage 1 runs on a Hyperscan stream; stages 2-3 run on the last
// max_window bytes of earlier pieces plus the new piece, so a match that began
// in an earlier piece is still extracted whole. Memory per stream: Hyperscan's
// stream state plus at most max_window bytes of tail.
//
// A StreamScan is used by one thread at a time, but successive pieces may come
// from different threads: each call takes that thread's Scanner (scratch).
#pragma once

#include <hs/hs.h>

#include <string>
#include <string_view>
#include <vector>

#include "scan/scanner.h"

namespace leakd {

class StreamScan {
 public:
  explicit StreamScan(const PatternDatabase& db);
  ~StreamScan();
  StreamScan(const StreamScan&) = delete;
  StreamScan& operator=(const StreamScan&) = delete;

  // Scans the next piece. Findings carry offsets from the start of the stream.
  void Feed(Scanner& scanner, std::string_view piece, std::vector<Finding>* out);
  // Ends the stream (matches that need end-of-data, e.g. a trailing \b).
  void Finish(Scanner& scanner, std::vector<Finding>* out);

  uint64_t bytes_seen() const { return offset_; }
  bool finished() const { return stream_ == nullptr; }

 private:
  void ExtractAndKeepTail(Scanner& scanner, std::string_view piece, std::vector<Finding>* out);

  hs_stream_t* stream_ = nullptr;
  size_t max_window_;
  std::string tail_;     // the last bytes before offset_, at most max_window_
  uint64_t offset_ = 0;  // absolute offset of the next piece
  struct Span {
    uint64_t offset;
    uint32_t length;
  };
  std::vector<Span> recent_;  // reported findings still in tail_: they may be extracted again
};

}  // namespace leakd
