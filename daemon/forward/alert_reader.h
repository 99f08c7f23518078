// Reads one leakd.alert.v1 record (alert/alert.h) into a ForwardItem. The
// token comes from `token`, or from `token_sealed` opened with the secret key
// (common/seal_key.h) when the alert is sealed. Pure; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/seal_key.h"
#include "forward/forward_item.h"

namespace leakd {

struct AlertRead {
  bool ok = false;
  ForwardItem item;    // identifying fields are filled as far as they could be read
  std::string reason;  // when !ok: invalid-alert, no-token, sealed-no-key,
                       // seal-key-mismatch, unseal-failed (and, from the forwarder,
                       // undecodable-batch)
};

// `seal_key`: nullptr when no secret_key_file is configured.
AlertRead ReadAlert(std::string_view json, const SealKeyPair* seal_key);

}  // namespace leakd
