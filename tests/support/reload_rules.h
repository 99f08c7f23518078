// Rule files the live-reload tests write into a rules directory: one that
// adds an issuer (acme), and one no engine accepts.
#pragma once

namespace leakd::testing {

inline const char* kAcmeRule = R"(provider: acme
rules:
  - id: acme.key
    name: "ACME test key"
    pattern: "\\b(acmekey_[A-Za-z0-9]{24})\\b"
    examples:
      - "ACME=acmekey_Q7wErT5yUi9oPa3sDf6gHj2k"
)";
inline const char* kBrokenRule = R"(provider: broken
rules:
  - id: broken.unclosed
    name: "a pattern no engine accepts"
    pattern: "(unclosed[a-z"
    examples:
      - "unclosed"
)";

}  // namespace leakd::testing
