// A detection rule as written in patterns/*.yaml, before anything is compiled.
//
// Invariants: `pattern` has exactly one capture group (the secret) and is in the
// syntax that both Hyperscan and RE2 accept; `id` is unique across a RuleSet.
// Immutable once loaded; safe to read from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace leakd {

// How far before and after a secret its rule's keywords may stand.
inline constexpr size_t kKeywordLookback = 256;
inline constexpr size_t kKeywordLookahead = 128;

// How sure a finding is, and of what.
//   identifier: not a credential but what names an account or a resource
//             (an AWS account ID, an ARN, a bucket, an OAuth client ID, a
//             store domain, a public key): what an attacker maps first.
//             Off unless asked for (EngineConfig::identifiers): a push
//             pipeline would drown in them, a SOC sweep may want them;
//   generic:  a value assigned to a name that says secret (password = …),
//             no issuer format at all;
//   hash:     a password hash in a format of its own (bcrypt, crypt(3),
//             htpasswd, Cisco type 8/9, Kerberos): crackable offline, not
//             usable as it stands, so acted on after a generic password;
//   context:  an issuer's format that needs its name nearby;
//   format:   a distinctive issuer format;
//   checksum: a format whose checksum or structure verifies.
// Ordered by how specific the rule is for the bytes it reports: where rules
// of several tiers report the same span, the higher one reports it, and the
// generic tier alone is judged after the others (scan/scanner.cpp). So a hash sits
// above generic here although a platform acts on it later (README, tiers).
enum class Confidence {
  kIdentifier = 0,
  kGeneric = 1,
  kHash = 2,
  kContext = 3,
  kFormat = 4,
  kChecksum = 5
};

const char* ConfidenceName(Confidence c);
bool ParseConfidence(const std::string& text, Confidence* out);

struct Rule {
  std::string id;        // e.g. "huggingface.user-token"
  std::string name;      // human readable
  std::string provider;  // the issuer, e.g. "huggingface"; alerts are keyed by it
  std::string pattern;   // one capture group = the secret
  // "" or what Hyperscan scans for instead of `pattern`, where the pattern's
  // own form is slow in Hyperscan (a trailing \b after a bare character class
  // costs ghost.admin-api-key 7x the scan). It must match wherever `pattern`
  // matches and end at the same byte: stage 2 (RE2 with `pattern`) searches
  // only up to where Hyperscan's matches end, and decides what is reported.
  std::string prefilter;
  // "" or how stage 2 takes the secret out of a match of `pattern`: RE2
  // searches this in the whole match (alone: `^` and `$` are the match's
  // ends) and its group 1 is the secret. For
  // patterns whose counted repeats make RE2 programs of a thousand
  // instructions or more: RE2 then finds the match with the pattern's DFA
  // alone (cheap) and runs the costly capture pass only on this small one.
  // It must give the same secret as the pattern's own group 1 on every match
  // (`leakd rules check` compares the two on every example).
  std::string capture;
  std::vector<std::string> keywords;  // one must appear near the match (case-insensitive)
  // Hyperscan scans from a keyword to the match (rules/keyword_led.h): the
  // loader then builds `prefilter`, and a keyword after the secret no longer counts.
  bool keyword_led = false;
  double min_entropy = 0.0;  // Shannon bits per byte of the secret
  std::string validator;     // "" or a name known to scan/validators.h
  Confidence confidence = Confidence::kFormat;
  std::vector<std::string> allowlist;  // RE2 patterns; a secret matching one is dropped
  bool placeholder_check = true;       // drop EXAMPLE / xxxx / one-char runs
  std::vector<std::string> examples;
  std::vector<std::string> negative_examples;
  std::vector<std::string> references;
  std::string source_file;  // where the rule was read from, for error messages
};

}  // namespace leakd
