#include "scan/generic_secret.h"

#include <cctype>
#include <cstring>
#include <string>

#include "common/ascii.h"
#include "common/json_text.h"
#include "scan/stand_ins.h"
#include "scan/validators.h"
#include "scan/value_context.h"

namespace leakd {
namespace {

// Which character classes a value holds, in one pass.
struct CharClasses {
  bool lower = false, upper = false, digit = false;
  size_t symbols = 0;
  size_t digit_then_letter = 0;  // a letter right after a digit
};

CharClasses ClassesOf(std::string_view value) {
  CharClasses k;
  bool after_digit = false;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    k.lower |= std::islower(u) != 0;
    k.upper |= std::isupper(u) != 0;
    k.digit |= std::isdigit(u) != 0;
    k.symbols += std::ispunct(u) != 0;
    k.digit_then_letter += std::isalpha(u) && after_digit;
    after_digit = std::isdigit(u) != 0;
  }
  return k;
}

// A long random string of every character class, symbols included
// (7`D'}/vYR)T;W\5]…): brackets, `$_` or `(` in it are not code.
bool IsRandomSymbolString(std::string_view value) {
  if (value.size() < 24 || ShannonEntropy(value) < 4.5) return false;
  const CharClasses k = ClassesOf(value);
  return k.lower && k.upper && k.digit && k.symbols * 6 >= value.size();
}

// Wrapped or marked templates and references, whatever the rest holds.
bool IsTemplate(std::string_view value, std::string_view lower) {
  if (value.front() == '$' || value.front() == '@' || value.front() == '&') return true;
  // %VAR% (cmd), !VAR! (cmd delayed expansion), also with text after: %HOMEPATH%\x.
  for (char mark : {'%', '!'}) {
    if (value.size() > 2 && value.front() == mark &&
        value.find(mark, 1) != std::string_view::npos) {
      return true;
    }
  }
  if (value.front() == '<' && value.back() == '>') return true;
  if (value.front() == '{' && value.back() == '}') return true;
  for (std::string_view marker :
       {"${", "{{", "}}", "$(", "#{", "%(", "process.env", "os.environ", "getenv", "env[", "env(",
        "environ", "secrets.", "vault:", "://"}) {
    if (lower.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

// Upper and lower case, and a digit then a letter twice or more: random
// (Uv.g827vXH7kdKV), not a name (self.password2, v1beta1.Token, this.i18nKey).
bool LooksRandom(std::string_view value) {
  const CharClasses k = ClassesOf(value);
  return k.upper && k.lower && k.digit_then_letter >= 2;
}

bool IsReferenceOrTemplate(std::string_view value, std::string_view lower) {
  if (IsTemplate(value, lower)) return true;
  // $VAR or \$VAR$ inside: a shell, Maven or Ant substitution.
  for (size_t i = 0; i + 1 < value.size(); ++i) {
    const char next = value[i + 1];
    if (value[i] == '$' && (std::isupper(static_cast<unsigned char>(next)) || next == '_' ||
                            next == '{' || next == '(')) {
      return true;
    }
  }
  if (value.find("\\$") != std::string_view::npos) return true;
  for (std::string_view marker : {"\\n", "\\x"}) {
    if (lower.find(marker) != std::string_view::npos) return true;
  }
  // A dotted identifier (settings.DB_PASSWORD, self.password), not Uv.g827vXH7kdKV.
  bool dotted = value.find('.') != std::string_view::npos;
  for (char c : value) dotted &= IsAsciiIdentifierChar(c) || c == '.';
  if (dotted && !std::isdigit(static_cast<unsigned char>(value.front())) && !LooksRandom(value)) {
    return true;
  }
  // An UPPER_SNAKE constant or environment variable name: DB_PASSWORD.
  bool upper_snake = value.find('_') != std::string_view::npos;
  for (char c : value) {
    upper_snake &= std::isupper(static_cast<unsigned char>(c)) || std::isdigit(c) || c == '_';
  }
  return upper_snake;
}

bool IsCodeOrTypeName(std::string_view lower) {
  // A call or an index: get_password(), Jobs[-1].JobId; a format string.
  for (std::string_view code : {"(", "%s", "%d", "%v"}) {
    if (lower.find(code) != std::string_view::npos) return true;
  }
  if (lower.find('[') != std::string_view::npos && lower.find(']') != std::string_view::npos) {
    return true;
  }
  // A file path: /Users/me, ./key.pem, ~/.netrc.
  if (lower.front() == '/' || lower.substr(0, 2) == "./" || lower.substr(0, 2) == "~/") {
    return true;
  }
  for (std::string_view word :
       {"str",    "string",       "none",         "null",     "nil",      "true",
        "false",  "undefined",    "bool",         "boolean",  "int",      "integer",
        "bytes",  "object",       "any",          "required", "optional", "string[]",
        "char[]", "securestring", "serializable", "nonempty"}) {
    if (lower == word) return true;
  }
  return false;
}

// A secret word inside the value: an identifier (hashedPassword,
// DB_PASSWORD_FILE, client_secret) or a stand-in phrase (thisismypassword).
// Only the password words drop a value that is the word plus digits and
// symbols (password123); "Secret123" or "token#42" is a weak real password.
bool ContainsSecretWord(std::string_view lower) {
  // Also in leet spelling, symbols dropped: pa$$w0rd, p@ss#word, str0ngp@ssword
  std::string plain;
  for (char c : lower) {
    const char* leet = std::strchr("a@4s$5o0e3i1!", c);
    if (leet != nullptr && c != '\0') {
      static constexpr char kLetter[] = "aaasssooeeiii";
      plain += kLetter[leet - "a@4s$5o0e3i1!"];
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      plain += c;
    }
  }
  for (std::string_view word : {"password", "passwd", "passphrase"}) {
    if (lower.find(word) != std::string_view::npos) return true;
    // (at either end only: 123P4ssW0rd@@ is a real password built on the word)
    if (StartsWith(plain, word) || EndsWith(plain, word)) {
      return true;
    }
  }
  for (std::string_view word : {"secret", "token", "apikey", "api_key", "api-key", "credential",
                                "private_key", "privatekey"}) {
    const size_t at = lower.find(word);
    if (at == std::string_view::npos) continue;
    if (lower.size() == word.size()) return true;
    for (size_t i = 0; i < lower.size(); ++i) {
      const bool in_word = i >= at && i < at + word.size();
      if (!in_word && std::isalpha(static_cast<unsigned char>(lower[i]))) return true;
    }
  }
  return false;
}

bool IsAsciiDigit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}
bool IsAsciiAlpha(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

size_t CountIf(std::string_view value, bool (*pred)(char)) {
  size_t n = 0;
  for (char c : value) n += pred(c);
  return n;
}

// A short run of hex digits is a hash prefix or an id (6d1b722e), not a password.
bool IsHexOnly(std::string_view value) {
  return value.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

bool HasPasswordSymbolInside(std::string_view value) {
  return value.find_first_of("!#$%^&?~", 1) != std::string_view::npos;
}

bool RandomEnough(std::string_view value) {
  bool lower = false, upper = false, digit = false, symbol = false;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (std::islower(u)) {
      lower = true;
    } else if (std::isupper(u)) {
      upper = true;
    } else if (std::isdigit(u)) {
      digit = true;
    } else if (std::ispunct(u) && c != '_' && c != '-' && c != '.') {
      symbol = true;  // identifier punctuation is not a symbol class
    }
  }
  const int classes = lower + upper + digit + symbol;
  if (classes >= 3) return true;
  // Two classes: letters with digits from 10 bytes on, or from 8 with three
  // of each (4ian1234; v1alpha1 or x86_64 is a version or an id).
  if ((lower || upper) && digit && value.size() >= 10) return true;
  if ((lower || upper) && digit && CountIf(value, IsAsciiDigit) >= 3 &&
      CountIf(value, IsAsciiAlpha) >= 3 && !IsHexOnly(value)) {
    return true;
  }
  // Letters with a symbol people put in passwords, inside the value
  // (super$ecret, development#product). Other symbols are too often a path, a
  // type or an address (auth-request-type/at, user:pass, -anonymous@).
  if ((lower || upper) && !digit && HasPasswordSymbolInside(value)) return true;
  if (value.size() < 16 || ShannonEntropy(value) < 3.5) return false;
  if ((lower || upper) && digit) return true;
  // Letters only: random case, not CamelCase words (the case changes at 40%
  // of letter pairs or more; about half in random text).
  if (!(lower && upper) || symbol) return false;
  size_t case_changes = 0;
  for (size_t i = 1; i < value.size(); ++i) {
    const bool a = std::isupper(static_cast<unsigned char>(value[i - 1])) != 0;
    const bool b = std::isupper(static_cast<unsigned char>(value[i])) != 0;
    case_changes += a != b;
  }
  return case_changes * 5 >= value.size() * 2;
}

// A value someone typed or a tool wrote as configuration: UTF-8 without
// control characters. Binary noise between quotes (a compiled file, bytes a
// decoder made of a literal's escapes) matches the rules' value classes.
bool IsText(std::string_view value) {
  for (const char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return IsValidUtf8(value);
}

// Every filter of LooksLikeGenericSecret but the length and the randomness.
bool IsLiteralCredential(std::string_view value, std::string_view match_context) {
  if (!IsText(value)) return false;
  const std::string lower_value = AsciiLower(value);
  const std::string_view lower = lower_value;
  if (IsRandomSymbolString(value)) {
    if (IsTemplate(value, lower)) return false;
  } else if (IsReferenceOrTemplate(value, lower) || IsCodeOrTypeName(lower)) {
    return false;
  }
  if (ContainsSecretWord(lower)) return false;
  if (IsStandIn(lower)) return false;
  const std::string key = KeyBefore(value, match_context);
  if (IsNamedAfterKey(lower, key)) return false;  // password: Password, secret: secret123
  const std::string_view user = UserOf(value, match_context);
  // The user name, alone or with digits and symbols after it (deploy123).
  if (!user.empty() &&
      AsciiLower(user) == lower.substr(0, lower.find_last_of("abcdefghijklmnopqrstuvwxyz") + 1)) {
    return false;
  }
  if (RepeatsEarlierToken(value, match_context)) return false;
  return !IsNonSecretKey(key);
}

}  // namespace

bool LooksLikeGenericSecret(std::string_view value, std::string_view match_context) {
  return value.size() >= kGenericSecretMinLength && IsLiteralCredential(value, match_context) &&
         RandomEnough(value);
}

bool LooksLikeLiteralSecret(std::string_view value, std::string_view match_context) {
  return value.size() >= kLiteralSecretMinLength && IsLiteralCredential(value, match_context);
}

}  // namespace leakd
