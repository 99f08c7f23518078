// Stand-ins for a password or secret: values people write where the real one
// goes (placeholder and default words, runs and sequences, SOME_/YOUR_ names,
// names built on pass/pwd/secret). Used by the generic-secret and
// literal-secret validators (scan/generic_secret.h). Pure; any thread.
#pragma once

#include <string_view>

namespace leakd {

// `lower`: the value, lowercased (ASCII).
bool IsStandIn(std::string_view lower);

}  // namespace leakd
