// StreamScan: scans one logical input delivered in pieces (a chunked upload),
// finding secrets that straddle piece boundaries, with the same findings as
// Scanner::Scan on the whole input.
//
// Stage 1 runs on a Hyperscan stream; stages 2-3 run on a tail of earlier
// pieces plus the new piece, so a match that began in an earlier piece is
// still extracted whole and its keywords and line are read as a block scan
// would. A match whose context window (keywords after it, the rest of its
// line) runs past the bytes seen so far is decided by a later Feed or by
// Finish. Memory per stream: Hyperscan's stream state, a tail of at most
// max_window + 2 * Scanner::kContextBefore bytes (MaxTailBytes), and the
// undecided matches, which all lie in the tail.
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

  // Scans the next piece. Findings carry offsets from the start of the stream;
  // a finding may belong to an earlier piece (decided once its context came).
  void Feed(Scanner& scanner, std::string_view piece, std::vector<Finding>* out);
  // Ends the stream (matches that need end-of-data, e.g. a trailing \b) and
  // decides every match still waiting for context.
  void Finish(Scanner& scanner, std::vector<Finding>* out);

  uint64_t bytes_seen() const { return offset_; }
  bool finished() const { return stream_ == nullptr; }
  // The most bytes of earlier pieces a stream keeps for this database.
  static size_t MaxTailBytes(const PatternDatabase& db) {
    return db.max_window() + 2 * Scanner::kContextBefore;
  }
  size_t tail_bytes() const { return tail_.size(); }

 private:
  void ExtractAndKeepTail(Scanner& scanner, std::string_view piece, bool input_complete,
                          std::vector<Finding>* out);

  HsStream stream_;
  size_t max_window_;
  std::string tail_;     // the last bytes before offset_, at most MaxTailBytes
  uint64_t offset_ = 0;  // absolute offset of the next piece
  struct Span {
    uint64_t offset;
    uint32_t length;
  };
  std::vector<Span> recent_;  // reported findings still in tail_: they may be extracted again
  std::vector<UndecidedMatch> undecided_;    // waiting for context; all start in tail_
  std::vector<UnfinishedMatch> unfinished_;  // reaching the end so far; all start in tail_
};

}  // namespace leakd
