#include "ingest/decode_error.h"

namespace leakd {

const char* DecodeErrorCode(DecodeError e) {
  switch (e) {
    case DecodeError::kNone:
      return "none";
    case DecodeError::kInvalidJson:
      return "invalid-json";
    case DecodeError::kMissingField:
      return "missing-field";
    case DecodeError::kBadBase64:
      return "bad-base64";
    case DecodeError::kBadGzip:
      return "bad-gzip";
    case DecodeError::kTruncatedGzip:
      return "truncated-gzip";
    case DecodeError::kDecompressedTooLarge:
      return "decompressed-too-large";
    case DecodeError::kMessageTooLarge:
      return "message-too-large";
    case DecodeError::kTooManyFiles:
      return "too-many-files";
    case DecodeError::kBadHeader:
      return "bad-header";
    case DecodeError::kUnsupportedEncoding:
      return "unsupported-encoding";
    case DecodeError::kChunkGap:
      return "chunk-gap";
    case DecodeError::kScanFailed:
      return "scan-failed";
    case DecodeError::kBadPatch:
      return "bad-patch";
    case DecodeError::kAmbiguousFile:
      return "ambiguous-file";
    case DecodeError::kUploadEvicted:
      return "upload-evicted";
    case DecodeError::kAlertRejected:
      return "alert-rejected";
  }
  return "unknown";
}

}  // namespace leakd
