// Inline allow markers: a comment on a secret's line that says the secret is
// known and accepted. leakd's own `leakd:allow` and the markers people already
// write for other scanners (gitleaks, TruffleHog, detect-secrets), so a
// repository moving to leakd keeps its decisions. Pure; any thread.
#pragma once

#include <string_view>

namespace leakd {

// True if `line` holds any allow marker (case-sensitive, as the other tools
// read them): leakd:allow, gitleaks:allow, trufflehog:ignore,
// pragma: allowlist secret.
bool HasAllowMarker(std::string_view line);

}  // namespace leakd
