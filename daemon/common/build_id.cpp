#include "common/build_id.h"

#include "source_identity.h"  // generated: LEAKD_SOURCE_IDENTITY

namespace leakd {

// The identity as one run of bytes in the binary's data, which the cli test
// finds and patches to make a build of "other code". Not const: GCC would
// fold a constant into the instructions that build the string.
char kBuildIdentityText[] = LEAKD_VERSION "+" LEAKD_SOURCE_IDENTITY;

const std::string& BuildIdentity() {
  static const std::string identity(kBuildIdentityText);
  return identity;
}

}  // namespace leakd
