// ScanWithDecoding: a block scan that also looks inside what is written
// encoded. A secret is often not pasted as its own bytes: base64 (a Kubernetes
// Secret's `data:`, a Docker `auth`, a base64-wrapped key or .env file in CI
// variables), or a string literal of code or JSON (a PEM key with `\n`
// escapes in a service-account JSON, a key cut into `"…\n" + "…"` literals,
// `"ghp_" + "…"`). Two decoders:
//   - base64 runs: the bytes a run decodes to are scanned (two levels deep: a
//     Secret holding a base64 Docker config), and a finding there is reported
//     at the run that holds it;
//   - string literals (scan/string_literals.h, scan/literal_scan.h): escaped
//     and concatenated literals are scanned as the bytes they stand for, and
//     a finding there is reported from the original byte its secret starts at
//     to the one it ends at. The literals inside decoded base64 are decoded too.
// Either way the finding has the decoded secret (its real bytes, and their
// fingerprint), and offset and length point into the original bytes, so line
// and column are where the reader sees it.
//
// A base64 run qualifies when it is at least kMinBase64Run characters of the
// standard alphabet, padded to a multiple of 4 with '=' as encoders write it
// (unpadded base64 is not tried), and decodes to text: binary
// (images, compressed data) is dropped after its first bytes.
//
// Plain and decoded findings are merged: a plain finding that a decoded one
// covers (the run itself matched a generic `KEY: <base64>`; a private-key rule
// matched a key with its escapes) is replaced by the decoded one unless the
// plain match is the stronger claim; a decoded finding whose secret a plain
// finding reports at the same place is dropped.
//
// Chunked uploads: StreamScan scans the plain bytes, DecodedStreamScan
// (scan/decoded_stream_scan.h) runs these decoders over them piece by piece.
#pragma once

#include <string_view>
#include <vector>

#include "scan/scanner.h"

namespace leakd {

constexpr size_t kMinBase64Run = 16;

// Scanner::Scan(text), then every qualifying base64 run's decoded bytes and
// every escaped or concatenated literal's.
void ScanWithDecoding(Scanner& scanner, std::string_view text, std::vector<Finding>* out);

// Only what the decoders find in `text` (no plain scan of it), merged among
// themselves as ScanWithDecoding merges them, ordered by offset.
// `close_open_before`: as LiteralChainFinder's (a text cut from a longer input).
void ScanEncoded(Scanner& scanner, std::string_view text, std::vector<Finding>* out,
                 size_t close_open_before = 0);

}  // namespace leakd
