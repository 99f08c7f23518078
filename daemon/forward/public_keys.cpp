#include "forward/public_keys.h"

#include <nlohmann/json.hpp>

namespace leakd {

std::string PublicKeysDocument(const Signer& signer) {
  nlohmann::json key = {{"key_identifier", signer.key_identifier()},
                        {"key", signer.public_key_pem()},
                        {"is_current", true}};
  return nlohmann::json{{"public_keys", nlohmann::json::array({key})}}.dump();
}

}  // namespace leakd
