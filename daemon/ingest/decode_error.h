// Why an input could not be decoded. The code is what the dead-letter record's
// `leakd-error` header carries and what metrics are labelled with, so it is a
// fixed, small vocabulary and never contains input bytes.
#pragma once

namespace leakd {

enum class DecodeError {
  kNone = 0,
  kInvalidJson,    // not JSON, or not an object where one is required
  kMissingField,   // a required field is absent or of the wrong type
  kBadBase64,      // content_b64 does not decode
  kBadGzip,        // not a gzip stream
  kTruncatedGzip,  // the gzip stream ends early
  kDecompressedTooLarge,
  kMessageTooLarge,
  kTooManyFiles,
  kBadHeader,            // an upload header is missing or malformed
  kUnsupportedEncoding,  // content-encoding other than gzip
  kChunkGap,             // a chunk arrived without the chunks before it
  kScanFailed,           // the scanner itself failed on this input
  kBadPatch,             // a patch with content but no parsable hunk header
  kAmbiguousFile,        // a file with both `patch` and `content_b64`
  kUploadEvicted,        // an open upload closed early: the open-upload cap was reached
  kAlertRejected,        // the alert topic refused an alert for good; the alert is parked
  kPoisonMessage,        // in flight at poison_after_crashes process deaths: not processed
  kUndecodableBatch,     // the Kafka client could not decode the record batch (no value)
  // New codes go above this line, and kLastDecodeError names the last.
};
constexpr DecodeError kLastDecodeError = DecodeError::kUndecodableBatch;

// Stable reason codes, e.g. "invalid-json".
const char* DecodeErrorCode(DecodeError e);

}  // namespace leakd
