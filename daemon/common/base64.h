// Base64 decoding (standard and URL-safe alphabets) for hostile input:
// every failure is reported, never guessed around. Pure; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leakd {

// Decodes standard base64 (RFC 4648 §4). Whitespace (CR, LF, space, tab) is
// skipped, padding is optional. Returns nullopt on any other byte outside the
// alphabet, misplaced padding, or a dangling single character.
std::optional<std::string> DecodeBase64(std::string_view in);

// The URL-safe alphabet (RFC 4648 §5, '-' and '_'), as used by JWTs; no padding needed.
std::optional<std::string> DecodeBase64Url(std::string_view in);

// Standard base64 with padding.
std::string EncodeBase64(std::string_view in);

}  // namespace leakd
