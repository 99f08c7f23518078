#include "scan/validators.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include "common/ascii.h"
#include "common/base64.h"
#include "scan/generic_secret.h"

namespace leakd {
namespace {

constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

}  // namespace

std::string GithubStyleChecksum(std::string_view body) {
  uint32_t crc = static_cast<uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
  std::string out;
  while (crc > 0) {
    out.insert(out.begin(), kBase62[crc % 62]);
    crc /= 62;
  }
  while (out.size() < 6) out.insert(out.begin(), '0');
  return out;
}

bool ValidGithubStyleChecksum(std::string_view token) {
  const size_t underscore = token.find('_');
  if (underscore == std::string_view::npos) return false;
  std::string_view rest = token.substr(underscore + 1);
  if (rest.size() != 36) return false;
  return GithubStyleChecksum(rest.substr(0, 30)) == rest.substr(30);
}

std::string GithubStyleToken(std::string_view prefix, std::string_view body) {
  return std::string(prefix).append(body).append(GithubStyleChecksum(body));
}

bool ValidJwtStructure(std::string_view token) {
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos) return false;
  auto header = DecodeBase64Url(token.substr(0, dot));
  if (!header) return false;
  std::string_view h = *header;
  while (!h.empty() && std::isspace(static_cast<unsigned char>(h.front()))) h.remove_prefix(1);
  return !h.empty() && h.front() == '{' && h.find("\"alg\"") != std::string_view::npos;
}

bool ValidBasicAuthCredentials(std::string_view encoded) {
  auto decoded = DecodeBase64(encoded);
  if (!decoded) return false;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == decoded->size()) return false;
  if (!std::all_of(decoded->begin(), decoded->end(),
                   [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f; })) {
    return false;
  }
  // The structure is all the encoding proves: the password is then judged as
  // a literal one (user:pass, admin:changeme, ci:${REGISTRY_PASSWORD} are
  // stand-ins in documentation, not an account's credentials). The decoded
  // text is the context, so a password equal to its user is one too.
  return LooksLikeLiteralSecret(std::string_view(*decoded).substr(colon + 1), *decoded);
}

ValidatorFn ValidatorFor(ValidatorKind kind) {
  switch (kind) {
    case ValidatorKind::kNone:
      return nullptr;
    case ValidatorKind::kGithubCrc32:
      return [](std::string_view s, std::string_view) { return ValidGithubStyleChecksum(s); };
    case ValidatorKind::kJwt:
      return [](std::string_view s, std::string_view) { return ValidJwtStructure(s); };
    case ValidatorKind::kBasicAuth:
      return [](std::string_view s, std::string_view) { return ValidBasicAuthCredentials(s); };
    case ValidatorKind::kGenericSecret:
      return LooksLikeGenericSecret;
    case ValidatorKind::kLiteralSecret:
      return LooksLikeLiteralSecret;
  }
  return [](std::string_view, std::string_view) { return false; };  // fails closed
}

bool RunValidator(const std::string& name, std::string_view secret,
                  std::string_view match_context) {
  ValidatorKind kind;
  if (name.empty() || !ParseValidatorName(name, &kind)) return false;  // unknown: fails closed
  return ValidatorFor(kind)(secret, match_context);
}

double ShannonEntropy(std::string_view data) {
  if (data.empty()) return 0.0;
  std::array<size_t, 256> counts{};
  for (unsigned char c : data) ++counts[c];
  double entropy = 0.0;
  const double n = static_cast<double>(data.size());
  for (size_t count : counts) {
    if (count == 0) continue;
    const double p = static_cast<double>(count) / n;
    entropy -= p * std::log2(p);
  }
  return entropy;
}

namespace {

// Two ascending sequences interleaved over 8 characters, letters and digits
// in either case (a1b2c3d4, 1a2B3c4D, aabbccdd): how made-up values are
// typed. By chance in a random base62 token about once in 62^6 positions.
bool HasInterleavedSequence(std::string_view secret) {
  constexpr size_t kSpan = 8;
  const auto alnum = [](char c) { return IsAsciiIdentifierChar(c) && c != '_'; };
  for (size_t start = 0; start + kSpan <= secret.size(); ++start) {
    bool interleaved = true;
    for (size_t i = start + 2; i < start + kSpan && interleaved; ++i) {
      const char c = AsciiLowerChar(secret[i]), two_back = AsciiLowerChar(secret[i - 2]);
      interleaved = alnum(c) && alnum(two_back) && c == two_back + 1;
    }
    if (interleaved) return true;
  }
  return false;
}

}  // namespace

bool LooksLikePlaceholder(std::string_view secret) {
  // Long words cannot occur by chance in a random token of any length.
  static constexpr std::string_view kWords[] = {"example",    "placeholder", "redacted", "changeme",
                                                "0123456789", "abcdefghij",  "123456789"};
  for (auto word : kWords) {
    if (ContainsIgnoringCase(secret, word)) return true;
  }
  if (HasInterleavedSequence(secret)) return true;
  // Short markers and runs would fire by chance in long secrets (key blocks
  // hold runs of 'A' from zero bytes), so only short secrets are judged by them.
  if (secret.size() > 128) return false;
  static constexpr std::string_view kMarkers[] = {"xxxx",   "your_", "your-", "yourkey", "dummy",
                                                  "insert", "${",    "{{",    "<",       "_here"};
  for (auto marker : kMarkers) {
    if (ContainsIgnoringCase(secret, marker)) return true;
  }
  size_t run = 1;
  for (size_t i = 1; i < secret.size(); ++i) {
    run = secret[i] == secret[i - 1] ? run + 1 : 1;
    if (run >= 6) return true;
  }
  return false;
}

}  // namespace leakd
