#include "common/seal_key.h"

#include <sodium.h>

#include <fstream>
#include <sstream>

#include "common/base64.h"
#include "common/sha256.h"

namespace leakd {
namespace {

static_assert(crypto_box_PUBLICKEYBYTES == 32 && crypto_box_SECRETKEYBYTES == 32,
              "X25519 keys are 32 bytes");

void InitSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
}

const unsigned char* Bytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

SealSecretKey FromSecret(std::string secret) {
  InitSodium();
  std::string pub(crypto_box_PUBLICKEYBYTES, '\0');
  crypto_scalarmult_base(reinterpret_cast<unsigned char*>(pub.data()), Bytes(secret));
  SealSecretKey key;
  key.secret = std::move(secret);
  key.pub.key_id = SealKeyId(pub);
  key.pub.bytes = std::move(pub);
  return key;
}

}  // namespace

std::string SealKeyId(std::string_view public_key_bytes) {
  return Sha256Hex(public_key_bytes).substr(0, 16);
}

SealPublicKey ParseSealPublicKey(std::string_view base64) {
  if (base64.empty()) throw SealKeyError("seal_public_key: empty (token_mode sealed needs a key)");
  auto bytes = DecodeBase64(base64);
  if (!bytes) throw SealKeyError("seal_public_key: not base64");
  if (bytes->size() != crypto_box_PUBLICKEYBYTES) {
    throw SealKeyError("seal_public_key: " + std::to_string(bytes->size()) +
                       " bytes, an X25519 public key is 32 (base64 of 32 bytes)");
  }
  SealPublicKey key;
  key.key_id = SealKeyId(*bytes);
  key.bytes = std::move(*bytes);
  return key;
}

SealSecretKey ReadSealSecretKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SealKeyError(path + ": cannot read the secret key file");
  std::stringstream text;
  text << in.rdbuf();
  auto bytes = DecodeBase64(text.str());
  if (!bytes || bytes->size() != crypto_box_SECRETKEYBYTES) {
    throw SealKeyError(path + ": not a secret key (expected base64 of 32 bytes)");
  }
  return FromSecret(std::move(*bytes));
}

SealSecretKey GenerateSealKeyPair() {
  InitSodium();
  std::string secret(crypto_box_SECRETKEYBYTES, '\0');
  randombytes_buf(secret.data(), secret.size());
  return FromSecret(std::move(secret));
}

std::string SealToken(std::string_view plain, const SealPublicKey& key) {
  InitSodium();
  std::string sealed(plain.size() + crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal(reinterpret_cast<unsigned char*>(sealed.data()),
                      reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                      Bytes(key.bytes)) != 0) {
    throw std::runtime_error("crypto_box_seal failed");
  }
  return EncodeBase64(sealed);
}

std::optional<std::string> OpenSealedToken(std::string_view sealed, const SealSecretKey& key) {
  InitSodium();
  auto box = DecodeBase64(sealed);
  if (!box || box->size() < crypto_box_SEALBYTES) return std::nullopt;
  std::string plain(box->size() - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()), Bytes(*box), box->size(),
                           Bytes(key.pub.bytes), Bytes(key.secret)) != 0) {
    return std::nullopt;
  }
  return plain;
}

}  // namespace leakd
