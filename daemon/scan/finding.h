// Finding: one secret located in scanned bytes. Holds the secret itself, so it
// must never be logged or printed whole: use `fingerprint` and Redact().
#pragma once

#include <cstdint>
#include <string>

#include "rules/rule.h"

namespace leakd {

struct Finding {
  const Rule* rule = nullptr;
  uint32_t rule_index = 0;
  uint64_t offset = 0;  // of the secret, from the start of the scanned input (or stream)
  uint32_t length = 0;  // of the secret, in bytes
  std::string secret;
  std::string fingerprint;  // SHA-256 hex of secret
  Confidence confidence = Confidence::kFormat;
  // Test data, an example or a published sample, not live configuration: the
  // secret is a published sample (scan/published_samples.h), set by the
  // Scanner, or its file is a fixture path (scan/fixture_path.h), set by
  // whoever knows the path.
  bool fixture = false;
};

}  // namespace leakd
