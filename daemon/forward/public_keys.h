// The forwarder's public-keys document, served at /meta/public_keys in the
// shape of GitHub's secret-scanning one, so a receiver verifies leakd exactly
// as it verifies GitHub:
//   {"public_keys":[{"key_identifier":"<hex>","key":"-----BEGIN PUBLIC KEY…","is_current":true}]}
#pragma once

#include <string>

#include "forward/signer.h"

namespace leakd {

std::string PublicKeysDocument(const Signer& signer);

}  // namespace leakd
