// SHA-256 as lowercase hex: fingerprints of secrets, content hashes of rule
// sets and caches. Pure; any thread.
#pragma once

#include <string>
#include <string_view>

namespace leakd {

// SHA-256 of `data`, lowercase hex (64 chars).
std::string Sha256Hex(std::string_view data);

}  // namespace leakd
