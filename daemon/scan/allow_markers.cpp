#include "scan/allow_markers.h"

namespace leakd {

bool HasAllowMarker(std::string_view line) {
  static constexpr std::string_view kMarkers[] = {
      "leakd:allow",               // leakd
      "gitleaks:allow",            // gitleaks
      "trufflehog:ignore",         // TruffleHog
      "pragma: allowlist secret",  // detect-secrets
  };
  for (std::string_view marker : kMarkers) {
    if (line.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace leakd
