// `leakd scan --git`: the secrets in a repository's history, each with where
// it came from. Two modes:
//  - whole history (default): every blob reachable from the refs (or from
//    --branch revisions), deduplicated by blob id, read and scanned once, in
//    pack order, on `threads` threads that each hold one blob at a time
//    (memory: threads × max_blob_size plus the index of ids and paths, never
//    all contents). Without --branch and --since the packed blobs are read
//    while another thread walks the history, and only what it reaches is
//    reported (history/blob_scan.cpp). A finding's commit and path are the
//    blob's first introduction (history/blob_index.h).
//  - range ("A..B"): each commit reachable from B and not from A is scanned the
//    way the daemon scans a push: its diff against its first parent (renames
//    detected), added lines only, line numbers of the new file
//    (ingest/unified_diff.h).
// Missing objects (partial clones) are named in the report and skipped; any
// other read error (a corrupt pack) is an error in the report, and a path that
// is no repository throws GitError.
#pragma once

#include <cstdint>
#include <future>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "common/line_index.h"
#include "scan/finding.h"
#include "scan/pattern_database.h"

namespace leakd {

struct HistoryFinding {
  Finding finding;
  TextPosition position;  // in the blob (whole history) or the new file (range)
  std::string commit, path, blob;
  std::string author_date;  // RFC 3339, the commit's author date with its offset
  int64_t commit_time = 0;  // committer time, seconds since the epoch
  // Whole history: the other commits and paths that introduce the same blob.
  // Range mode: 0 (each finding is where its commit adds it).
  uint32_t other_commits = 0, other_paths = 0;
};

struct HistoryScanOptions {
  std::string path;                                     // repository (bare or working tree)
  std::vector<std::string> revisions;                   // --branch; empty: every ref
  int64_t since = std::numeric_limits<int64_t>::min();  // committer time, seconds
  std::string range;                                    // "A..B"; empty: whole history
  unsigned threads = 0;                                 // 0: all cores
  uint64_t max_blob_size = 25ull << 20;                 // larger blobs are skipped
};

struct HistoryReport {
  uint64_t commits = 0;             // commits walked (range: in the range)
  uint64_t blobs = 0;               // distinct blobs (range: files changed)
  uint64_t scanned = 0, bytes = 0;  // blobs (range: patches) scanned, and their bytes
  uint64_t bytes_read = 0;          // blob content read, binary blobs included
  uint64_t skipped_large = 0, skipped_binary = 0;
  uint64_t gitlinks = 0, skipped_refs = 0;
  double index_seconds = 0;          // walking commits and trees, before any blob is read
  std::vector<std::string> missing;  // objects absent from the repository
  std::vector<std::string> errors;   // read errors (exit 2)
};

using DatabaseFuture = std::shared_future<std::shared_ptr<const PatternDatabase>>;

// Told the amount of work, then each unit done; called from the scan threads.
class ScanObserver {
 public:
  virtual ~ScanObserver() = default;
  virtual void Total(size_t units) = 0;
  virtual void Done(uint64_t bytes, size_t findings) = 0;
};

// Findings ordered by commit time, commit, path, line. Throws GitError when the
// path is not a repository or the refs, commits or trees cannot be read.
std::vector<HistoryFinding> ScanHistory(const HistoryScanOptions& options, DatabaseFuture db,
                                        ScanObserver& observer, HistoryReport* report);

// The two modes, for ScanHistory.
std::vector<HistoryFinding> ScanBlobs(const HistoryScanOptions& options, DatabaseFuture db,
                                      ScanObserver& observer, HistoryReport* report);
std::vector<HistoryFinding> ScanRange(const HistoryScanOptions& options, DatabaseFuture db,
                                      ScanObserver& observer, HistoryReport* report);

}  // namespace leakd
