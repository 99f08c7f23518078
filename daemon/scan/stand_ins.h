// Stand-ins for a password or secret: values people write where the real one
// goes (placeholder and default words, runs and sequences, SOME_/YOUR_ names,
// names built on pass/pwd/secret, one word doubled around a separator),
// judged as written and, when it has %XX escapes (a URI's userinfo),
// decoded: pass%20pass is "pass pass". Used by the generic-secret and
// literal-secret validators (scan/generic_secret.h). Pure; any thread.
#pragma once

#include <string_view>

namespace leakd {

// `lower`: the value, lowercased (ASCII).
bool IsStandIn(std::string_view lower);

}  // namespace leakd
