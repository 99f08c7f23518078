// Writing JSON text directly, byte for byte as nlohmann::json's
// dump(-1, ' ', false, error_handler_t::replace) writes the same values, for
// hot paths (alerts) where building a json object first costs more than the
// rest of the work. Pure; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace leakd {

// True if `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Appends `text` as a JSON string: '"', '\\' and control bytes escaped, other
// bytes as they are; ill-formed UTF-8 replaced as nlohmann's `replace` does.
void AppendJsonString(std::string_view text, std::string* out);

// Appends `"key":` (keys are the caller's literals: no escaping).
void AppendJsonKey(std::string_view key, std::string* out);

void AppendJsonNumber(uint64_t value, std::string* out);
void AppendJsonNumber(int64_t value, std::string* out);

}  // namespace leakd
