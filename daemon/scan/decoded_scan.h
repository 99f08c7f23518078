// ScanWithDecoding: a block scan that also looks inside base64. Secrets are
// pasted base64-encoded more often than people think: a Kubernetes Secret's
// `data:`, a Docker `auth`, a base64-wrapped key or .env file in CI
// variables. The bytes a base64 run decodes to are scanned (two levels deep:
// a Secret holding a base64 Docker config), and a finding there is reported
//   - at the base64 run that holds it: offset and length point into the
//     original bytes, so line and column are where the reader sees it;
//   - with the decoded secret (its real bytes, and their fingerprint).
//
// A run qualifies when it is at least kMinBase64Run characters of the
// standard alphabet, padded to a multiple of 4 with '=' as encoders write it
// (unpadded base64 is not tried), and decodes to text: binary
// (images, compressed data) is dropped after its first bytes. When the run
// itself matched a rule (a generic `KEY: <base64>`), the decoded finding
// replaces that one unless the plain match is the stronger claim.
//
// Block inputs only: chunked uploads go through StreamScan, which does not
// decode, so a base64 secret in a chunked upload is not found (README).
#pragma once

#include <string_view>
#include <vector>

#include "scan/scanner.h"

namespace leakd {

constexpr size_t kMinBase64Run = 16;

// Scanner::Scan(text), then every qualifying base64 run's decoded bytes.
void ScanWithDecoding(Scanner& scanner, std::string_view text, std::vector<Finding>* out);

}  // namespace leakd
