// Keyword-led prefilters: what Hyperscan scans for a rule whose shape gives it
// no literal to anchor on (ngrok's `_`, Checkout.com's `sk_`, the Discord bot
// token's base64 digits), but whose keywords do.
//
// Why: Hyperscan drives every pattern from a literal in it. A shape without a
// useful one runs an automaton over every byte, or wakes on a character that
// is everywhere in code; three such rules cost the whole 910-rule database 30%
// of its throughput (README, Performance). Scanning from the keyword instead
// (`(?i:ngrok)[\s\S]{0,256}(?:PATTERN)`) costs nothing measurable.
//
// Invariants: the prefilter ends where the pattern ends (stage 2 searches back
// from there, rules/rule.h), and matches wherever the pattern matches with a
// keyword ending at most kKeywordLookback bytes before the match. What it gives
// up: a keyword only after the secret no longer finds it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace leakd {

// `(?i:K1|K2…)[\s\S]{0,lookback}(?:pattern)`, each keyword's regex
// metacharacters escaped. `keywords` is not empty.
std::string KeywordLedPrefilter(const std::vector<std::string>& keywords,
                                const std::string& pattern, size_t lookback);

}  // namespace leakd
