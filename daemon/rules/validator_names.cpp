#include "rules/validator_names.h"

namespace leakd {

bool IsKnownValidator(const std::string& name) {
  return name == "github-crc32" || name == "jwt" || name == "basic-auth" ||
         name == "generic-secret" || name == "literal-secret";
}

}  // namespace leakd
