// The validators a rule may name (`validator:` in patterns/*.yaml). The rules
// layer owns this vocabulary so that loading can refuse an unknown name;
// scan/validators.cpp implements each one (and its tests check that every
// name here has an implementation). Pure; any thread.
#pragma once

#include <string>

namespace leakd {

bool IsKnownValidator(const std::string& name);

}  // namespace leakd
