// The `generic-secret` validator: precision filters for a value assigned to a
// name that says secret (password = …, "token": "…", scheme://user:pass@host).
// The rules anchor on the key names; this decides whether the value is a
// literal credential rather than a reference, a template, code, a type name,
// a default or a word. Pure; any thread.
//
// A value is kept only if all hold:
//   - at least kMinLength bytes;
//   - no reference or template: $VAR, ${VAR}, %VAR%, {{ .x }}, <password>,
//     process.env.X, os.environ[…], getenv(, a URL, a dotted identifier
//     (settings.DB_PASSWORD) or an UPPER_SNAKE name;
//   - no function call, format string, path or type name (get_password(),
//     '%s/%s', /Users/me, str, None, null, true);
//   - not assigned to a name that holds no secret (nextToken, page_token,
//     csrf_token);
//   - no secret word inside (hashedPassword, DB_PASSWORD_FILE);
//   - not a common default (changeme, postgres, admin123, …);
//   - not the user name of the same credential (postgres:postgres@…);
//   - random enough for a short password: three character classes of lower,
//     upper, digit and symbol ('_', '-' and '.' are identifier punctuation,
//     not symbols); or letters and digits from 10 bytes on; or 16+ bytes
//     with Shannon entropy >= 3.5 and letters and digits both, or letters
//     whose case changes at 40% of letter pairs (random case, not CamelCase).
#pragma once

#include <cstddef>
#include <string_view>

namespace leakd {

constexpr size_t kGenericSecretMinLength = 8;
constexpr size_t kLiteralSecretMinLength = 6;

// `match_context`: the rule's whole match with a few bytes before it
// (kValidatorContextBefore), for the name the value is assigned to and the
// user name of a URI (scheme://user:pass@) or of curl's -u; may be empty.
bool LooksLikeGenericSecret(std::string_view value, std::string_view match_context);

// The `literal-secret` validator, for values whose syntax alone says they are
// a credential of that account (psexec -p, PHPMailer's $mail->Password, a
// React app's REACT_APP_*PASSWORD, NetworkCredential(user, pass)): every
// filter above but the randomness test, from kLiteralSecretMinLength bytes. A
// weak literal password there is still the account's password; a reference,
// a placeholder, a default or the user name is not.
bool LooksLikeLiteralSecret(std::string_view value, std::string_view match_context);

}  // namespace leakd
