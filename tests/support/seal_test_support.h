// Key pairs for tests of sealed tokens (common/seal_key.h): random X25519
// secret keys, as `leakd unseal --generate-keypair` makes them.
#pragma once

#include <sodium.h>

#include <string>

#include "alert/alert.h"
#include "common/base64.h"
#include "common/seal_key.h"

namespace leakd::testing {

inline SealKeyPair NewSealKeyPair() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::string secret(crypto_box_SECRETKEYBYTES, '\0');
  randombytes_buf(secret.data(), secret.size());
  return ParseSealSecretKey(EncodeBase64(secret), "test key");
}

inline AlertSealKey AlertKeyOf(const SealKeyPair& pair) {
  return {pair.public_key, pair.key_id};
}

}  // namespace leakd::testing
