// Signer: the forwarder's identity in GitHub's secret-scanning partner
// protocol. Loads an EC P-256 private key (PEM, PKCS#8 "PRIVATE KEY" or SEC1
// "EC PRIVATE KEY") and signs request bodies with ECDSA P-256 / SHA-256 over
// the exact bytes. The key identifier is the hex SHA-256 of the public key's
// DER (SubjectPublicKeyInfo), the signature the base64 of the DER ECDSA
// signature. OpenSSL EVP. Sign() is safe from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace leakd {

class Signer {
 public:
  // Throws std::invalid_argument naming `what` when the PEM is not an EC
  // P-256 private key. The message never carries the key's bytes.
  static Signer FromPem(std::string_view pem, const std::string& what);
  static Signer FromFile(const std::string& path);

  // base64(DER ECDSA signature of SHA-256(body)). Throws std::runtime_error
  // if OpenSSL fails.
  std::string Sign(std::string_view body) const;

  const std::string& key_identifier() const { return key_identifier_; }  // hex SHA-256 of DER
  const std::string& public_key_pem() const { return public_key_pem_; }  // "-----BEGIN PUBLIC KEY…"
  const std::string& public_key_der() const { return public_key_der_; }

 private:
  struct Key;
  std::shared_ptr<Key> key_;
  std::string key_identifier_, public_key_pem_, public_key_der_;
};

}  // namespace leakd
