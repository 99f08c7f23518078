// Keys made at test time (nothing secret is stored in the repository): EC
// private keys as PEM, PKCS#8 or SEC1, and ECDSA verification with OpenSSL
// directly (not through leakd's Signer).
#pragma once

#include <openssl/bio.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>

#include "common/base64.h"

namespace leakd::testing {

using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

inline PKey NewEcKey(const char* curve = "P-256") {
  return PKey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve), EVP_PKEY_free);
}

// structure: "PrivateKeyInfo" (PKCS#8, "BEGIN PRIVATE KEY") or
// "type-specific" (SEC1, "BEGIN EC PRIVATE KEY").
inline std::string PrivatePem(EVP_PKEY* key, const char* structure) {
  std::unique_ptr<OSSL_ENCODER_CTX, decltype(&OSSL_ENCODER_CTX_free)> ctx(
      OSSL_ENCODER_CTX_new_for_pkey(key, OSSL_KEYMGMT_SELECT_KEYPAIR, "PEM", structure, nullptr),
      OSSL_ENCODER_CTX_free);
  unsigned char* data = nullptr;
  size_t len = 0;
  if (!ctx || OSSL_ENCODER_to_data(ctx.get(), &data, &len) != 1) return "";
  std::string pem(reinterpret_cast<char*>(data), len);
  OPENSSL_free(data);
  return pem;
}

inline std::string PublicDer(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(key, &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return out;
}

// Verifies base64(DER ECDSA) over `body` with the PEM public key.
inline bool VerifyWithPem(const std::string& public_pem, const std::string& body,
                          const std::string& signature_b64) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(public_pem.data(), static_cast<int>(public_pem.size())), BIO_free);
  PKey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  const auto sig = DecodeBase64(signature_b64);
  if (!key || !sig) return false;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig->data()),
                          sig->size(), reinterpret_cast<const unsigned char*>(body.data()),
                          body.size()) == 1;
}

}  // namespace leakd::testing
