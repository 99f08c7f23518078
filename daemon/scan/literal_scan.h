// ScanLiterals: the second decoder of ScanWithDecoding (scan/decoded_scan.h).
// The chains of string literals FindLiteralChains reports (escapes, literals
// joined by `+`, `.` or adjacency) are scanned as the bytes they stand for.
// Each chain, with the original bytes around it (keywords before it, the rest
// of its line after), is rewritten as one plain literal in a window:
//     key = "-----BEGIN…\n" + "MIIE…"   →   key = "-----BEGIN…<LF>MIIE…"
// and the window is scanned with the same Scanner. Nearby chains share a
// window. A finding is kept when its secret touches decoded bytes; it is
// reported with
//   - the decoded secret (its real bytes, and their fingerprint);
//   - offset and length mapped back to the original bytes: from the first
//     source byte of the secret's first byte to the last source byte of its
//     last (a secret that starts a literal starts at that literal's first
//     character), so line and column are where the reader sees it.
// Findings are not compared with the plain scan here: ScanWithDecoding does.
#pragma once

#include <string_view>
#include <vector>

#include "scan/scanner.h"

namespace leakd {

// Original bytes kept after a chain: to the end of its line (for allow
// markers), at least the keyword window, at most this many. Before a chain:
// the keyword window (kKeywordLookback, rules/rule.h).
constexpr size_t kLiteralContextAfter = 512;

// Appends the findings in the decoded literals of `text`, ordered by offset.
// `close_open_before`: as LiteralChainFinder's (a text cut from a longer input).
void ScanLiterals(Scanner& scanner, std::string_view text, std::vector<Finding>* out,
                  size_t close_open_before = 0);

}  // namespace leakd
