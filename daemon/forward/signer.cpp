#include "forward/signer.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/base64.h"
#include "common/sha256.h"

namespace leakd {

struct Signer::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

namespace {

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

bool IsP256(EVP_PKEY* pkey) {
  if (EVP_PKEY_base_id(pkey) != EVP_PKEY_EC) return false;
  char group[64] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_group_name(pkey, group, sizeof group, &len) != 1) return false;
  const std::string name(group, len);
  return name == "prime256v1" || name == "P-256" || name == "secp256r1";
}

}  // namespace

Signer Signer::FromPem(std::string_view pem, const std::string& what) {
  std::unique_ptr<BIO, decltype(&BIO_free)> in(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  Signer s;
  s.key_ = std::make_shared<Key>();
  s.key_->pkey = PEM_read_bio_PrivateKey(in.get(), nullptr, nullptr, nullptr);
  ERR_clear_error();
  if (!s.key_->pkey)
    throw std::invalid_argument(what + ": not a PEM private key (PKCS#8 or SEC1 EC)");
  if (!IsP256(s.key_->pkey))
    throw std::invalid_argument(what + ": not an EC P-256 (prime256v1) key");
  unsigned char* der = nullptr;
  const int der_len = i2d_PUBKEY(s.key_->pkey, &der);
  if (der_len <= 0) throw std::invalid_argument(what + ": cannot encode the public key");
  s.public_key_der_.assign(reinterpret_cast<char*>(der), static_cast<size_t>(der_len));
  OPENSSL_free(der);
  s.key_identifier_ = Sha256Hex(s.public_key_der_);
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PUBKEY(out.get(), s.key_->pkey);
  s.public_key_pem_ = BioText(out.get());
  return s;
}

Signer Signer::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument(path + ": cannot read the signing key");
  std::ostringstream text;
  text << in.rdbuf();
  return FromPem(text.str(), path);
}

std::string Signer::Sign(std::string_view body) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_->pkey) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(body.data()),
                     body.size()) != 1) {
    ERR_clear_error();
    throw std::runtime_error("signing failed (OpenSSL)");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(body.data()), body.size()) != 1) {
    ERR_clear_error();
    throw std::runtime_error("signing failed (OpenSSL)");
  }
  sig.resize(len);
  return EncodeBase64(sig);
}

}  // namespace leakd
