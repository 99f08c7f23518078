// Fingerprints and redacted forms: the only ways a secret may leave the process
// other than the alert's `token` field. Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>

#include "common/sha256.h"  // fingerprints are SHA-256 hex

namespace leakd {

// A form safe for logs and consoles: a short prefix, an ellipsis and the length,
// e.g. "hf_Ab…(37)". At most a quarter of the secret (and never more than five
// bytes) is shown, so short secrets keep most of their entropy hidden.
std::string Redact(std::string_view secret);

}  // namespace leakd
