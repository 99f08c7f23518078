// Upload messages (topic leakd.uploads): the value is the file's bytes; what
// it is comes in headers. This decodes the headers alone, purely, into a typed
// result or a reason code, the way ParseCommitEvent does for commit events.
//
//   repo, path          required, non-empty; kept to kMaxLocationBytes
//                       (common/clip_text.h): the file is still scanned
//   content-encoding    optional: gzip or identity (any case)
//   upload-id, chunk    together or not at all: upload-id at most
//                       kMaxUploadIdBytes, chunk a 0-based decimal
//   final               optional, with upload-id: true or false (any case)
//
// Header names match in any case, as in HTTP. A header given twice is an
// error, not a silent choice: two values for `path` or `final` mean the
// producer is broken, and guessing would scan the wrong thing. Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ingest/decode_error.h"

namespace leakd {

using MessageHeaders = std::vector<std::pair<std::string, std::string>>;

// An upload id is a producer's handle (a UUID), kept for every open and
// recently ended upload: one longer than this is a broken producer.
constexpr size_t kMaxUploadIdBytes = 256;

struct UploadChunk {
  std::string upload_id;
  uint64_t index = 0;
  bool final = false;
};

struct UploadHeaders {
  std::string repo, path;
  bool gzip = false;
  std::optional<UploadChunk> chunk;  // absent: the whole file is this message
};

// kNone and `*out` filled, or kBadHeader / kUnsupportedEncoding.
DecodeError DecodeUploadHeaders(const MessageHeaders& headers, UploadHeaders* out);

}  // namespace leakd
