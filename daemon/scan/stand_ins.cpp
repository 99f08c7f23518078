#include "scan/stand_ins.h"

#include <cctype>
#include <string>

#include "common/ascii.h"

namespace leakd {
namespace {

bool IsCommonDefault(std::string_view lower) {
  // Stand-ins that stay stand-ins with digits or symbols after them
  // (changeme123, admin123, Password1!, hunter22).
  std::string_view stem = lower;
  while (!stem.empty() && !std::isalpha(static_cast<unsigned char>(stem.back()))) {
    stem.remove_suffix(1);
  }
  for (std::string_view word :
       {"password", "passw0rd", "p@ssw0rd", "p@ssword", "changeme", "change_me", "changeit",
        "postgres", "postgresql", "mysql", "root", "admin", "administrator", "example", "test",
        "testing", "tester", "guest", "user", "username", "default", "letmein", "welcome", "qwerty",
        "qwertyuiop", "asdfgh", "asdfghjkl", "abc", "abcd", "abcdef", "foobar", "foo", "bar", "baz",
        "demo", "sample", "dummy", "fake", "mypassword", "yourpassword", "rabbitmq", "redis",
        "mongo", "mongodb", "oracle", "supersecret", "hunter", "sonar", "jenkins", "minio",
        "minioadmin", "elastic", "kibana", "grafana", "airflow", "superuser", "docker", "vagrant",
        "ubuntu", "raspberry", "iloveyou",
        // Appliance defaults (ManageIQ, Infoblox, Zabbix, Dell iDRAC, Ubiquiti), vendors'
        // names in their own examples (Cyberark1, netapp123), filler (blabla1).
        "smartvm", "infoblox", "zabbix", "calvin", "ubnt", "cyberark", "netapp", "blabla"}) {
    if (lower == word || stem == word) return true;
  }
  // Words that are stand-ins only alone: "pass" or "secret" is a placeholder,
  // "pass123", "Secret123" or "super$ecret" a weak real password.
  for (std::string_view word : {"secret", "pass", "pwd", "mypass", "yourpass", "sa", "pi", "dev",
                                "development", "local", "localhost", "master", "super", "hello"}) {
    if (lower == word) return true;
  }
  bool digits_only = true;
  for (char c : lower) digits_only &= std::isdigit(static_cast<unsigned char>(c)) != 0;
  return digits_only;
}

// A run of one character or a sequence (aaaaaaaa, 12345678, abcdefgh): a
// stand-in however long.
bool IsRunOrSequence(std::string_view lower) {
  bool same = true, up = true, down = true;
  for (size_t i = 1; i < lower.size(); ++i) {
    same &= lower[i] == lower[0];
    up &= lower[i] == lower[i - 1] + 1;
    down &= lower[i] == lower[i - 1] - 1;
  }
  return same || up || down;
}

// A stand-in named as one: SOME_PASSWORD, YOUR_TOKEN, your-api-key, some.value.
bool IsNamedStandIn(std::string_view lower) {
  for (std::string_view prefix : {"some_", "some-", "your_", "your-", "my_", "my-"}) {
    if (lower.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

// A value made of one short unit repeated (GR?XGR?X, abcabcabc).
bool IsRepeatedUnit(std::string_view lower) {
  for (size_t unit = 1; unit * 2 <= lower.size(); ++unit) {
    if (lower.size() % unit != 0) continue;
    bool repeated = true;
    for (size_t i = unit; i < lower.size() && repeated; ++i) repeated = lower[i] == lower[i - unit];
    if (repeated) return true;
  }
  return false;
}

// A name rather than a value: words joined by '_' or '-', letters only, the
// last of which says password or secret (wsman_pwd, smtp_pass, fake_pass;
// test_pass123 and Vpn1-pass are test passwords), or a letters-only word
// built on pass or pwd (somepass, testpass, badpass).
bool IsSecretNamedWord(std::string_view lower) {
  const size_t last_separator = lower.find_last_of("_-");
  for (char c : lower) {
    if (!std::isalpha(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  if (last_separator == std::string_view::npos) {
    return lower.find("pass") != std::string_view::npos ||
           lower.find("pwd") != std::string_view::npos;
  }
  const std::string_view last = lower.substr(last_separator + 1);
  for (std::string_view word : {"pass", "pwd", "pw", "passwd", "pword", "secret", "token", "key"}) {
    if (last == word) return true;
  }
  return false;
}

// An issuer's token prefix with a short tail: a test's dummy (ghp_tok123,
// hf_oauth_123, sk_test_123); the real tokens are long.
bool IsShortPrefixedDummy(std::string_view lower) {
  if (lower.size() >= 20) return false;
  for (std::string_view prefix : {"ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_", "hf_",
                                  "sk_", "sk-", "pk_", "rk_", "xoxb-", "xoxp-", "glpat-", "npm_"}) {
    if (lower.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

// One word twice around one separator (pass pass, pass#pass, admin-admin):
// the stand-in of a value that needs two parts.
bool IsDoubledWord(std::string_view lower) {
  if (lower.size() < 3 || lower.size() % 2 == 0) return false;
  const size_t half = lower.size() / 2;
  const char separator = lower[half];
  if (std::isalnum(static_cast<unsigned char>(separator))) return false;
  const std::string_view word = lower.substr(0, half);
  for (char c : word) {
    if (!std::isalpha(static_cast<unsigned char>(c))) return false;
  }
  return word == lower.substr(half + 1);
}

// `lower` with its %XX escapes decoded and lowercased (a URI's userinfo:
// pass%20pass is "pass pass"); empty when it has none.
std::string PercentDecoded(std::string_view lower) {
  // Most values have no '%': no copy for them (this runs for every candidate).
  if (lower.find('%') == std::string_view::npos) return {};
  std::string out;
  bool escaped = false;
  for (size_t i = 0; i < lower.size(); ++i) {
    if (lower[i] == '%' && i + 2 < lower.size()) {
      const int high = AsciiHexValue(lower[i + 1]), low = AsciiHexValue(lower[i + 2]);
      if (high >= 0 && low >= 0) {
        out += AsciiLowerChar(static_cast<char>(high * 16 + low));
        i += 2;
        escaped = true;
        continue;
      }
    }
    out += lower[i];
  }
  return escaped ? out : std::string();
}

bool IsStandInText(std::string_view lower) {
  // A sequence with a symbol after it is still a sequence (abcdefg!).
  std::string_view core = lower;
  while (!core.empty() && std::ispunct(static_cast<unsigned char>(core.back()))) {
    core.remove_suffix(1);
  }
  return IsCommonDefault(lower) || IsRunOrSequence(core) || IsNamedStandIn(lower) ||
         IsRepeatedUnit(lower) || IsDoubledWord(lower) || IsSecretNamedWord(lower) ||
         IsShortPrefixedDummy(lower);
}

}  // namespace

bool IsStandIn(std::string_view lower) {
  if (IsStandInText(lower)) return true;
  const std::string decoded = PercentDecoded(lower);
  return !decoded.empty() && IsStandInText(decoded);
}

}  // namespace leakd
