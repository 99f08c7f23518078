// The one template of the `context` rules of issuers without a distinctive
// format: the issuer's name (or API host), then key, token or secret, then a
// value of the issuer's shape. A rule gives `near:` (the names, RE2
// alternatives) and `value:` (the shape) instead of a `pattern:`, so adding
// such an issuer is data, not a hand-written regex. Pure; any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace leakd {

// (?i)(?:near…)[^\n]{0,40}?(?:key|token|secret)[^\n]{0,20}?[=:"' ]{1,4}(value)
// and the end of the value: no letter, digit, '_' or '-' after it. `near` is
// not empty.
std::string NearValuePattern(const std::vector<std::string>& near, const std::string& value);

// The keywords a `near` list implies: each name with `\b` taken out and `\.`
// read as '.' (the loader lowercases every keyword); nullopt when a name holds
// other regex syntax (the rule must then list its keywords).
std::optional<std::vector<std::string>> NearKeywords(const std::vector<std::string>& near);

}  // namespace leakd
