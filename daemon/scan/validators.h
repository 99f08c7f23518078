// Stage-3 validators: cheap checks that turn a format match into a finding or
// drop it. Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>

#include "rules/validator_names.h"

namespace leakd {

// True if `secret` passes the named validator. Unknown names fail closed.
// `match_context`: the rule's whole match around the secret and up to
// kValidatorContextBefore bytes before it (a validator may read the key name
// or the user name before a password there); may be empty.
constexpr size_t kValidatorContextBefore = 64;
bool RunValidator(const std::string& name, std::string_view secret,
                  std::string_view match_context = {});

// A validator as a function, resolved once per compiled rule so that a
// finding does not compare names. nullptr for ValidatorKind::kNone.
using ValidatorFn = bool (*)(std::string_view secret, std::string_view match_context);
ValidatorFn ValidatorFor(ValidatorKind kind);

// GitHub (ghp_/gho_/ghu_/ghs_/ghr_) and npm (npm_) tokens: PREFIX_ + 30 random
// base62 chars + 6 chars that are the CRC32 of the random part, base62
// (0-9A-Za-z), zero-padded.
bool ValidGithubStyleChecksum(std::string_view token);
// Computes the 6-char checksum for a 30-char body (used by tests and tooling).
std::string GithubStyleChecksum(std::string_view body);
// prefix + body + checksum: a well-formed token for demos, tests and benchmarks.
std::string GithubStyleToken(std::string_view prefix, std::string_view body);

// A JWT whose header decodes to a JSON object naming an "alg".
bool ValidJwtStructure(std::string_view token);

// Base64 of "user:password" with both parts non-empty and printable, and a
// password that passes the literal-secret checks (scan/generic_secret.h): not
// a placeholder, reference, default or the user name.
bool ValidBasicAuthCredentials(std::string_view encoded);

// Shannon entropy in bits per byte.
double ShannonEntropy(std::string_view data);

// Documentation examples and placeholders: AKIAIOSFODNN7EXAMPLE, hf_xxxx…,
// YOUR_TOKEN_HERE, ${VAR}, runs of one character, sequential alphabets.
bool LooksLikePlaceholder(std::string_view secret);

}  // namespace leakd
