// Sealed tokens (libsodium crypto_box_seal, X25519): the key files and the
// key id shared by whoever seals (`serve` with token_mode sealed), opens
// (`forward`, `unseal`) or reads seal_key_id in alerts.
//
// A secret key file holds the base64 of the 32-byte X25519 secret key
// (surrounding whitespace ignored); the public key is derived from it with
// crypto_scalarmult_base. A key id is the hex of the first 8 bytes of the
// SHA-256 of the public key. Errors name the file and what is wrong with it,
// never the key bytes. Any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace leakd {

struct SealKeyPair {
  std::string public_key;  // 32 bytes
  std::string secret_key;  // 32 bytes
  std::string key_id;      // SealKeyId(public_key)
};

// The hex of the first 8 bytes of SHA-256(public_key).
std::string SealKeyId(std::string_view public_key);

// Decodes a base64 X25519 public key (seal_public_key). Throws
// std::invalid_argument unless it is base64 of exactly 32 bytes.
std::string ParseSealPublicKey(std::string_view base64);

// Reads a secret key file. Throws std::invalid_argument naming the file when
// it cannot be read, is not base64, or does not hold exactly 32 bytes.
SealKeyPair ReadSealSecretKeyFile(const std::string& path);

// The same from the file's text (for tests and callers that hold it already).
SealKeyPair ParseSealSecretKey(std::string_view base64, const std::string& what);

// Opens base64(crypto_box_seal(token)). nullopt when the text is not base64
// or the box does not open with this key (wrong key, tampered, truncated).
std::optional<std::string> OpenSealed(std::string_view sealed_base64, const SealKeyPair& key);

// Seals `plain` for `public_key` and returns base64 (tests, and the sealer).
std::string SealForKey(std::string_view plain, std::string_view public_key);

}  // namespace leakd
