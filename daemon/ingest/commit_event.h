// Commit events (topic leakd.commits): JSON per ../shared/design.md, parsed with
// simdjson On-Demand. Every failure is a DecodeError, never an exception, so a
// hostile message costs one error code and the daemon carries on. Pure; any
// thread (each call uses its own parser).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/decode_error.h"
#include "ingest/unified_diff.h"

namespace leakd {

struct CommitFile {
  std::string path;
  bool is_patch = false;  // true: `added` holds the patch's added lines
  AddedLines added;       // for a patch
  std::string content;    // for content_b64, decoded
};

struct CommitEvent {
  std::string repo, commit, ref, pusher, pushed_at;
  std::vector<CommitFile> files;
};

struct CommitLimits {
  size_t max_message_bytes = 10u << 20;
  size_t max_files = 10000;
  size_t max_file_bytes = 10u << 20;  // decoded content of one file
};

// Parses one event. `repo` and `files` are required; other fields are optional
// strings; unknown fields are ignored. A file needs `path` and exactly one of
// `patch` or `content_b64`.
DecodeError ParseCommitEvent(std::string_view json, const CommitLimits& limits, CommitEvent* out);

// ParseCommitEvent with the JSON parser's buffers kept from one event to the
// next (dropped after an event over kKeptBytes, so one large event does not
// hold its memory for good). One per thread.
class CommitEventParser {
 public:
  static constexpr size_t kKeptBytes = 1u << 20;
  CommitEventParser();
  ~CommitEventParser();
  CommitEventParser(const CommitEventParser&) = delete;
  CommitEventParser& operator=(const CommitEventParser&) = delete;

  DecodeError Parse(std::string_view json, const CommitLimits& limits, CommitEvent* out);

 private:
  struct Buffers;
  std::unique_ptr<Buffers> buffers_;
};

}  // namespace leakd
