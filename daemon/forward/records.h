// What the forwarder writes: the POST body (GitHub's partner format), the
// forward DLQ record (schema leakd.forward.dlq.v1) and the revocation records
// (schema leakd.revocation.v1) taken from a receiver's feedback. Only the
// POST body carries tokens; the other two carry fingerprints and redacted
// forms. Pure; any thread.
#pragma once

#include <string>
#include <vector>

#include "forward/forward_item.h"

namespace leakd {

// [{"token":…,"type":…,"url":…,"source":…}, …] in batch order.
std::string BuildPostBody(const Batch& batch);

// One item that could not be forwarded for good. `status`: the HTTP status,
// or 0 when the alert never reached an endpoint (reason says why).
std::string BuildDeadLetter(const ForwardItem& item, const std::string& route, int status,
                            const std::string& reason, const std::string& detail);

struct RevocationRecord {
  std::string key;    // token_hash
  std::string value;  // JSON
};

// A response body in GitHub's feedback shape
// [{"token_raw"|"token_hash": …, "token_type": …, "label": …}, …] as records:
// token_raw is replaced by its SHA-256 (token_hash), never copied; the
// matching alert's url/repo/path/fingerprint are added when the hash is one
// of the batch's. Entries that are not objects, or have neither token field,
// are skipped; a body that is not a JSON array gives no record.
std::vector<RevocationRecord> BuildRevocations(const std::string& body, const Batch& batch,
                                               const std::string& route);

}  // namespace leakd
