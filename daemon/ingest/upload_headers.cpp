#include "ingest/upload_headers.h"

#include <map>

#include "common/ascii.h"
#include "common/clip_text.h"

namespace leakd {

DecodeError DecodeUploadHeaders(const MessageHeaders& headers, UploadHeaders* out) {
  *out = UploadHeaders();
  std::map<std::string, std::string> known;  // lower-case name -> value
  for (const auto& [name, value] : headers) {
    const std::string lower = AsciiLower(name);
    if (lower != "repo" && lower != "path" && lower != "content-encoding" && lower != "upload-id" &&
        lower != "chunk" && lower != "final") {
      continue;  // other headers belong to the producer
    }
    if (!known.emplace(lower, value).second) return DecodeError::kBadHeader;
  }
  const auto get = [&](const char* name) -> const std::string* {
    auto it = known.find(name);
    return it == known.end() ? nullptr : &it->second;
  };
  const std::string *repo = get("repo"), *path = get("path");
  if (!repo || !path || repo->empty() || path->empty()) return DecodeError::kBadHeader;
  // A long path or repo name does not stop the scan: it is clipped, as the
  // alert would clip it, so each open upload keeps a bounded label.
  out->repo = ClipText(*repo);
  out->path = ClipText(*path);

  if (const std::string* encoding = get("content-encoding")) {
    const std::string e = AsciiLower(*encoding);
    if (e == "gzip") {
      out->gzip = true;
    } else if (e != "identity") {
      return DecodeError::kUnsupportedEncoding;
    }
  }

  const std::string *id = get("upload-id"), *chunk = get("chunk"), *final = get("final");
  if (!id && !chunk && !final) return DecodeError::kNone;
  if (!id || !chunk || id->empty() || id->size() > kMaxUploadIdBytes)
    return DecodeError::kBadHeader;
  if (chunk->empty() || chunk->size() > 18 ||
      chunk->find_first_not_of("0123456789") != std::string::npos) {
    return DecodeError::kBadHeader;
  }
  UploadChunk c;
  c.upload_id = *id;
  c.index = std::stoull(*chunk);
  if (final) {
    const std::string f = AsciiLower(*final);
    if (f != "true" && f != "false") return DecodeError::kBadHeader;
    c.final = f == "true";
  }
  out->chunk = std::move(c);
  return DecodeError::kNone;
}

}  // namespace leakd
