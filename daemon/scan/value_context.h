// What the text around a value says about it, for the generic-secret and
// literal-secret validators (scan/generic_secret.h): the name it is assigned
// to, the user of the same credential, and whether it repeats an earlier
// token of the match. `context` is the rule's match with a few bytes before it
// (Scanner::kValidatorContextBefore); the value is its last occurrence there.
// Pure; any thread.
#pragma once

#include <string>
#include <string_view>

namespace leakd {

// The user name in "scheme://user:pass@" or "-u user:pass" before `value`;
// empty when there is none.
std::string_view UserOf(std::string_view value, std::string_view context);

// `text` without '_', '-' and '.'.
std::string WithoutSeparators(std::string_view text);

// The value also stands as a whole token earlier in the match: the login of
// the same credential ("login deploy password deploy", user = 'x' then
// password = 'x').
bool RepeatsEarlierToken(std::string_view value, std::string_view context);

// The name the value is assigned to: the identifier just before it, past
// quotes, brackets and the assignment operator ("output_token": "…" gives
// output_token), lowercased without separators; empty when there is none.
std::string KeyBefore(std::string_view value, std::string_view context);

// Names that say token but hold no secret: pagination, idempotency and
// verification tokens (AWS ClientRequestToken, WAF ChangeToken, SES
// VerificationToken, StartingToken: request ids, in every API example).
bool IsNonSecretKey(const std::string& key);

// A value named after its key: the key itself (password: Password), or
// letters, then digits and symbols, whose letters are the key (secret:
// secret123), its name before key, token, secret or id (access_key:
// access123), or the token, secret or auth word that ends it (x_auth_token:
// token123). Not pass (pass123 is a weak real password). `lower`: the value,
// lowercased; `key`: as KeyBefore gives it (empty: never).
bool IsNamedAfterKey(std::string_view lower, const std::string& key);

}  // namespace leakd
