#include "ingest/decode_error.h"

#include "common/enum_table.h"

namespace leakd {
namespace {

constexpr auto kDecodeErrorCodes = MakeEnumTable<DecodeError>({
    {DecodeError::kNone, "none"},
    {DecodeError::kInvalidJson, "invalid-json"},
    {DecodeError::kMissingField, "missing-field"},
    {DecodeError::kBadBase64, "bad-base64"},
    {DecodeError::kBadGzip, "bad-gzip"},
    {DecodeError::kTruncatedGzip, "truncated-gzip"},
    {DecodeError::kDecompressedTooLarge, "decompressed-too-large"},
    {DecodeError::kMessageTooLarge, "message-too-large"},
    {DecodeError::kTooManyFiles, "too-many-files"},
    {DecodeError::kBadHeader, "bad-header"},
    {DecodeError::kUnsupportedEncoding, "unsupported-encoding"},
    {DecodeError::kChunkGap, "chunk-gap"},
    {DecodeError::kScanFailed, "scan-failed"},
    {DecodeError::kBadPatch, "bad-patch"},
    {DecodeError::kAmbiguousFile, "ambiguous-file"},
    {DecodeError::kUploadEvicted, "upload-evicted"},
    {DecodeError::kAlertRejected, "alert-rejected"},
    {DecodeError::kPoisonMessage, "poison-message"},
    {DecodeError::kUndecodableBatch, "undecodable-batch"},
});

}  // namespace

// Names are string literals, so data() is NUL-terminated.
const char* DecodeErrorCode(DecodeError e) {
  return kDecodeErrorCodes.Name(e).data();
}

}  // namespace leakd
