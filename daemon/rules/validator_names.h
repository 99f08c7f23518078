// The validators a rule may name (`validator:` in patterns/*.yaml). The rules
// layer owns this vocabulary so that loading can refuse an unknown name;
// scan/validators.cpp maps each kind to its function (and its tests check that
// every kind here has one). Pure; any thread.
#pragma once

#include <string>

namespace leakd {

enum class ValidatorKind { kNone, kGithubCrc32, kJwt, kBasicAuth, kGenericSecret, kLiteralSecret };

// "" is kNone; false for a name that is not a validator.
bool ParseValidatorName(const std::string& name, ValidatorKind* out);
bool IsKnownValidator(const std::string& name);

}  // namespace leakd
