#include "common/seal_key.h"

#include <sodium.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/base64.h"
#include "common/sha256.h"

namespace leakd {
namespace {

void InitSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string Trim(std::string_view text) {
  const size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const size_t e = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(b, e - b + 1));
}

}  // namespace

std::string SealKeyId(std::string_view public_key) {
  return Sha256Hex(public_key).substr(0, 16);
}

std::string ParseSealPublicKey(std::string_view base64) {
  const auto raw = DecodeBase64(Trim(base64));
  if (!raw) throw std::invalid_argument("seal_public_key: not base64");
  if (raw->size() != crypto_box_PUBLICKEYBYTES) {
    throw std::invalid_argument("seal_public_key: " + std::to_string(raw->size()) +
                                " bytes, expected 32 (an X25519 public key)");
  }
  return *raw;
}

SealKeyPair ParseSealSecretKey(std::string_view base64, const std::string& what) {
  InitSodium();
  const auto raw = DecodeBase64(Trim(base64));
  if (!raw) throw std::invalid_argument(what + ": not base64");
  if (raw->size() != crypto_box_SECRETKEYBYTES) {
    throw std::invalid_argument(what + ": " + std::to_string(raw->size()) +
                                " bytes, expected 32 (an X25519 secret key)");
  }
  SealKeyPair pair;
  pair.secret_key = *raw;
  pair.public_key.resize(crypto_box_PUBLICKEYBYTES);
  crypto_scalarmult_base(reinterpret_cast<unsigned char*>(pair.public_key.data()),
                         reinterpret_cast<const unsigned char*>(pair.secret_key.data()));
  pair.key_id = SealKeyId(pair.public_key);
  return pair;
}

SealKeyPair ReadSealSecretKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(path + ": cannot read the secret key file");
  std::ostringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  SealKeyPair pair = ParseSealSecretKey(content, path);
  sodium_memzero(content.data(), content.size());
  return pair;
}

std::optional<std::string> OpenSealed(std::string_view sealed_base64, const SealKeyPair& key) {
  InitSodium();
  const auto box = DecodeBase64(sealed_base64);
  if (!box || box->size() < crypto_box_SEALBYTES) return std::nullopt;
  std::string plain(box->size() - crypto_box_SEALBYTES, '\0');
  const int rc =
      crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()),
                           reinterpret_cast<const unsigned char*>(box->data()), box->size(),
                           reinterpret_cast<const unsigned char*>(key.public_key.data()),
                           reinterpret_cast<const unsigned char*>(key.secret_key.data()));
  if (rc != 0) return std::nullopt;
  return plain;
}

std::string SealForKey(std::string_view plain, std::string_view public_key) {
  InitSodium();
  if (public_key.size() != crypto_box_PUBLICKEYBYTES)
    throw std::invalid_argument("seal: public key must be 32 bytes");
  std::string box(plain.size() + crypto_box_SEALBYTES, '\0');
  crypto_box_seal(reinterpret_cast<unsigned char*>(box.data()),
                  reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                  reinterpret_cast<const unsigned char*>(public_key.data()));
  return EncodeBase64(box);
}

}  // namespace leakd
