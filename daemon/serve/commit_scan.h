// CommitScan: what a worker does with a commit event before it emits alerts:
// parse it (ingest/commit_event.h), scan every file with decoding
// (scan/decoded_scan.h) and place every finding at its line and column in the
// new file. One per worker; its buffers are reused from one event to the next.
//
// Not thread-safe: owned by one worker.
#pragma once

#include <string_view>
#include <vector>

#include "common/line_index.h"
#include "ingest/commit_event.h"
#include "scan/finding.h"
#include "scan/scanner.h"

namespace leakd {

struct PlacedFinding {
  Finding finding;
  const CommitFile* file = nullptr;  // in CommitScan::event()
  TextPosition position;
};

class CommitScan {
 public:
  // Parses and scans `payload`; on an error, event() and found() are empty.
  DecodeError Run(Scanner& scanner, std::string_view payload, const CommitLimits& limits);

  const CommitEvent& event() const { return event_; }
  const std::vector<PlacedFinding>& found() const { return found_; }
  uint64_t bytes_scanned() const { return bytes_scanned_; }

 private:
  CommitEventParser parser_;
  CommitEvent event_;
  std::vector<Finding> findings_;  // of one file
  std::vector<PlacedFinding> found_;
  uint64_t bytes_scanned_ = 0;
};

}  // namespace leakd
