// Sealed tokens (token_mode: sealed): libsodium sealed boxes (X25519,
// crypto_box_seal) to a revocation service's key, and the key formats both
// sides share:
//   public key   base64 (RFC 4648 §4) of the 32-byte X25519 public key
//                (config `seal_public_key`, file seal.pub)
//   secret key   a file holding base64 of the 32-byte X25519 secret key
//                (file seal.key); surrounding whitespace and newlines are ignored
//   key id       hex of the first 8 bytes of SHA-256 of the 32 public-key bytes
// The secret key never appears in an error message. Pure; any thread.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace leakd {

class SealKeyError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct SealPublicKey {
  std::string bytes;   // 32 bytes
  std::string key_id;  // 16 hex characters
};

struct SealSecretKey {
  std::string secret;  // 32 bytes
  SealPublicKey pub;   // derived from the secret
};

// Throws SealKeyError (saying what is wrong, not the key) unless `base64`
// decodes to exactly 32 bytes.
SealPublicKey ParseSealPublicKey(std::string_view base64);
// Reads a secret-key file. Throws SealKeyError naming the file on any failure.
SealSecretKey ReadSealSecretKeyFile(const std::string& path);
// A fresh key pair.
SealSecretKey GenerateSealKeyPair();

std::string SealKeyId(std::string_view public_key_bytes);
// base64 of crypto_box_seal(plain) to `key`.
std::string SealToken(std::string_view plain, const SealPublicKey& key);
// Opens base64 `sealed`; nullopt when it is not base64 or does not open with `key`.
std::optional<std::string> OpenSealedToken(std::string_view sealed, const SealSecretKey& key);

}  // namespace leakd
