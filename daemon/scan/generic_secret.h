// The `generic-secret` validator: precision filters for a value assigned to a
// name that says secret (password = …, "token": "…", scheme://user:pass@host).
// The rules anchor on the key names; this decides whether the value is a
// literal credential rather than a reference, a template, code, a type name,
// a default or a word. Pure; any thread.
//
// A value is kept only if all hold:
//   - at least kMinLength bytes;
//   - text: UTF-8 without control characters (binary between quotes is not
//     a password anyone typed; uploads are mostly binary, model weights. The
//     price: a password with a non-ASCII letter in a Latin-1 file is not
//     valid UTF-8 and is dropped too);
//   - no reference or template: $VAR, ${VAR}, %VAR%, {{ .x }}, #{x}, <password>,
//     process.env.X, os.environ[…], getenv(, a URL, a dotted identifier
//     (settings.DB_PASSWORD; not a random value with a dot, Uv.g827vXH7kdKV)
//     or an UPPER_SNAKE name (a `$` inside a word, as in super$ecret, is no
//     reference);
//   - no function call, format string, path or type name (get_password(),
//     '%s/%s', /Users/me, str, None, null, true), unless the value is a long
//     random string of every character class with symbols (a JWT secret
//     full of brackets and `$_`), which only template markers drop;
//   - not assigned to a name that holds no secret (nextToken, page_token,
//     csrf_token), nor equal to that name, named after it (secret: secret123)
//     or equal to the credential's user (scan/value_context.h reads them);
//   - no password word inside (hashedPassword, thisismypassword), and no
//     other secret word with other letters (client_secret, secretKeyRef;
//     Secret123 is a password);
//   - not a stand-in: a placeholder word alone or with digits and symbols
//     after it (changeme123, admin1, Password1!), a word that is a stand-in
//     alone only (secret, pass: pass123 is a password), a run or sequence
//     (aaaaaaaa, 12345678), SOME_/YOUR_/my_ names;
//   - random enough for a short password: three character classes of lower,
//     upper, digit and symbol ('_', '-' and '.' are identifier punctuation,
//     not symbols); or letters and digits from 10 bytes on, or from 8 with
//     three of each (4ian1234); or letters with a password symbol inside
//     (super$ecret, development#product); or 16+ bytes with Shannon entropy
//     >= 3.5 and letters and digits both, or letters whose case changes at
//     40% of letter pairs (random case, not CamelCase).
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
