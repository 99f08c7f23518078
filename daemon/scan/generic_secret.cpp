#include "scan/generic_secret.h"

#include <cctype>
#include <string>

#include "common/ascii.h"
#include "scan/validators.h"

namespace leakd {
namespace {

bool IsIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool IsReferenceOrTemplate(std::string_view value, std::string_view lower) {
  if (value.front() == '$' || value.front() == '@' || value.front() == '&') return true;
  if (value.size() > 2 && value.front() == '%' && value.back() == '%') return true;
  if (value.front() == '<' && value.back() == '>') return true;
  if (value.front() == '{' && value.back() == '}') return true;
  // $VAR or \$VAR$ inside: a shell, Maven or Ant substitution.
  for (size_t i = 0; i + 1 < value.size(); ++i) {
    const char next = value[i + 1];
    if (value[i] == '$' && (std::isupper(static_cast<unsigned char>(next)) || next == '_' ||
                            next == '{' || next == '(')) {
      return true;
    }
  }
  if (value.find("\\$") != std::string_view::npos) return true;
  for (std::string_view marker :
       {"${", "{{", "}}", "$(", "#{", "%(", "process.env", "os.environ", "getenv", "env[", "env(",
        "environ", "secrets.", "vault:", "://", "\\n", "\\x"}) {
    if (lower.find(marker) != std::string_view::npos) return true;
  }
  // A dotted identifier: settings.DB_PASSWORD, self.password, config.auth.key.
  bool dotted = value.find('.') != std::string_view::npos;
  for (char c : value) dotted &= IsIdentifierChar(c) || c == '.';
  if (dotted && !std::isdigit(static_cast<unsigned char>(value.front()))) return true;
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

bool ContainsSecretWord(std::string_view lower) {
  for (std::string_view word : {"password", "passwd", "passphrase", "secret", "token", "apikey",
                                "api_key", "api-key", "credential", "private_key", "privatekey"}) {
    if (lower.find(word) != std::string_view::npos) return true;
  }
  return false;
}

bool IsCommonDefault(std::string_view lower) {
  // Trailing digits and symbols do not make a default secret: admin123, root!.
  std::string_view stem = lower;
  while (!stem.empty() && !std::isalpha(static_cast<unsigned char>(stem.back()))) {
    stem.remove_suffix(1);
  }
  for (std::string_view word :
       {"password",     "passw0rd", "p@ssw0rd",      "p@ssword",   "changeme",
        "change_me",    "changeit", "postgres",      "postgresql", "mysql",
        "root",         "admin",    "administrator", "secret",     "example",
        "test",         "testing",  "tester",        "guest",      "user",
        "username",     "default",  "letmein",       "welcome",    "qwerty",
        "qwertyuiop",   "asdfgh",   "asdfghjkl",     "abc",        "abcd",
        "abcdef",       "foobar",   "foo",           "bar",        "baz",
        "demo",         "sample",   "dummy",         "fake",       "mypassword",
        "yourpassword", "pass",     "pwd",           "rabbitmq",   "redis",
        "mongo",        "mongodb",  "oracle",        "sa",         "dev",
        "development",  "local",    "localhost",     "master",     "supersecret",
        "hunter",       "sonar",    "jenkins",       "minio",      "minioadmin",
        "elastic",      "kibana",   "grafana",       "airflow",    "superuser",
        "super",        "docker",   "vagrant",       "ubuntu",     "pi",
        "raspberry",    "mypass",   "yourpass",      "hello",      "iloveyou"}) {
    if (lower == word || stem == word) return true;
  }
  bool digits_only = true;
  for (char c : lower) digits_only &= std::isdigit(static_cast<unsigned char>(c)) != 0;
  return digits_only;
}

// The user name in "scheme://user:pass@" or "-u user:pass" before `value`.
std::string_view UserOf(std::string_view value, std::string_view context) {
  const size_t at = context.rfind(value);
  if (at == std::string_view::npos || at == 0 || context[at - 1] != ':') {
    return {};
  }
  size_t start = at - 1;
  while (start > 0) {
    const char c = context[start - 1];
    if (c == '/' || c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '=') break;
    --start;
  }
  return context.substr(start, at - 1 - start);
}

// The name the value is assigned to: the identifier just before it, past
// quotes, brackets and the assignment operator ("output_token": "…" gives
// output_token), lowercased without separators.
std::string KeyBefore(std::string_view value, std::string_view context) {
  const size_t at = context.rfind(value);
  if (at == std::string_view::npos) return {};
  size_t end = at;
  while (end > 0 &&
         std::string_view(" \t\x22'=:>]").find(context[end - 1]) != std::string_view::npos) {
    --end;
  }
  size_t begin = end;
  while (begin > 0 && (IsIdentifierChar(context[begin - 1]) || context[begin - 1] == '-' ||
                       context[begin - 1] == '.')) {
    --begin;
  }
  std::string key;
  for (char c : context.substr(begin, end - begin)) {
    if (c != '_' && c != '-' && c != '.')
      key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return key;
}

// Names that say token but hold no secret: pagination, idempotency and
// verification tokens (AWS ClientRequestToken, WAF ChangeToken, SES
// VerificationToken, StartingToken: request ids, in every API example).
bool IsNonSecretKey(const std::string& key) {
  for (std::string_view prefix :
       {"next",         "page",        "continuation", "client",       "input",
        "output",       "csrf",        "xsrf",         "sync",         "cancel",
        "cancellation", "idempotency", "resumption",   "pagination",   "start",
        "marker",       "request",     "change",       "verification", "starting"}) {
    const std::string suffix = std::string(prefix) + "token";
    if (key.size() >= suffix.size() &&
        key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return true;
    }
  }
  return false;
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
  // Two classes: letters with digits from 10 bytes on (a shorter one is too
  // often a version or an id). Letters with one symbol are too often a path,
  // a type or an address (auth-request-type/at, user:pass, -anonymous@).
  if ((lower || upper) && digit && value.size() >= 10) return true;
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

// Every filter of LooksLikeGenericSecret but the length and the randomness.
bool IsLiteralCredential(std::string_view value, std::string_view match_context) {
  const std::string lower_value = AsciiLower(value);
  const std::string_view lower = lower_value;
  if (IsReferenceOrTemplate(value, lower)) return false;
  if (IsCodeOrTypeName(lower)) return false;
  if (ContainsSecretWord(lower)) return false;
  if (IsCommonDefault(lower)) return false;
  const std::string_view user = UserOf(value, match_context);
  if (!user.empty() && AsciiLower(user) == lower) return false;
  return !IsNonSecretKey(KeyBefore(value, match_context));
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
