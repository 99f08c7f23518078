// Decoding (scan/decoded_scan.h): the literal decoder (FindLiteralChains) on
// hostile text, and ScanWithDecoding (base64 runs and literals) on the same
// text with rule examples spliced in (fuzz_text.h).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/sha256.h"
#include "fuzz_support.h"
#include "fuzz_text.h"
#include "scan/decoded_scan.h"
#include "scan/string_literals.h"

namespace {

bool IsQuote(char c) {
  return c == '"' || c == '\'';
}

constexpr size_t kEverywhere = static_cast<size_t>(-1);

// A part of a literal over kMaxLiteralBytes after the first: its share starts
// where the part before it ends its own.
bool FollowsPart(const leakd::LiteralChain& before, const leakd::LiteralChain& c) {
  return c.report_from != 0 && c.report_from == before.report_to;
}

// Every decoded byte maps into its chain, in order; a byte that came from one
// source byte is that byte. A part of a long literal starts or ends inside it
// (where its first or last byte stands for the quote).
void CheckChain(std::string_view in, const leakd::LiteralChain& c) {
  FUZZ_CHECK(c.begin < c.end && c.end <= in.size(), "chain span");
  const bool opens = c.report_from == 0, closes = c.report_to == kEverywhere;
  FUZZ_CHECK((!opens || IsQuote(in[c.begin])) && (!closes || IsQuote(in[c.end - 1])),
             "chain between quotes");
  FUZZ_CHECK(c.report_from < c.report_to, "empty share");
  FUZZ_CHECK(c.literals >= 1 && c.literals <= leakd::kMaxChainLiterals, "literal count");
  FUZZ_CHECK(c.bytes.size() >= leakd::kMinChainBytes, "short chain reported");
  FUZZ_CHECK(c.bytes.size() <= leakd::kMaxChainBytes + leakd::kMaxLiteralBytes, "chain bound");
  FUZZ_CHECK(!c.pieces.empty() && c.pieces.front().decoded == 0, "map starts at byte 0");
  std::pair<size_t, size_t> previous{0, 0};
  for (size_t k = 0; k < c.bytes.size(); ++k) {
    const auto [from, to] = c.Source(k);
    FUZZ_CHECK(c.begin < from && from < to && (to < c.end || (!closes && to == c.end)),
               "map in chain");
    if (to - from == 1) FUZZ_CHECK(c.bytes[k] == in[from], "plain byte changed");
    const bool same_source = from == previous.first && to == previous.second;
    FUZZ_CHECK(k == 0 || same_source || from >= previous.second, "map out of order");
    previous = {from, to};
  }
}

// The input as the inside of one literal over kMaxLiteralBytes, in two parts
// (its quotes and newlines escaped, repeated), so the parts' cut and share
// bound fall anywhere in it.
std::string Stretched(std::string_view raw) {
  std::string inside;
  for (const char c : raw) {
    if (c == '"') {
      inside += "\\\"";
    } else if (c == '\n') {
      inside += "\\n";
    } else {
      inside += c;
    }
  }
  std::string text = "v = \"";
  const size_t two_parts = leakd::kMaxLiteralBytes + leakd::kLiteralPartOverlap + 1024;
  while (!inside.empty() && text.size() < two_parts) text += inside;
  return text + "\";\n";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Rare (a first byte of 0x7f), as a long literal costs ~100x a short input.
  const std::string stretched =
      size > 0 && data[0] == 0x7f ? Stretched({reinterpret_cast<const char*>(data), size}) : "";
  const std::string_view raw =
      stretched.empty() ? std::string_view(reinterpret_cast<const char*>(data), size) : stretched;
  const auto chains = leakd::FindLiteralChains(raw);
  for (size_t i = 0; i < chains.size(); ++i) {
    CheckChain(raw, chains[i]);
    if (i == 0) continue;
    if (FollowsPart(chains[i - 1], chains[i])) {
      FUZZ_CHECK(chains[i].begin < chains[i - 1].end &&
                     chains[i - 1].end - chains[i].begin <= leakd::kLiteralPartOverlap + 1,
                 "parts overlap by the overlap");
    } else {
      FUZZ_CHECK(chains[i - 1].end <= chains[i].begin, "chains overlap");
    }
  }
  const auto again = leakd::FindLiteralChains(raw);
  FUZZ_CHECK(again.size() == chains.size(), "not deterministic");
  for (size_t i = 0; i < chains.size(); ++i) {
    FUZZ_CHECK(again[i].bytes == chains[i].bytes, "not deterministic");
  }

  static leakd::Scanner scanner(leakd::fuzz::SharedDatabase());
  const std::string text = leakd::fuzz::ExpandText(scanner.database(), raw);
  std::vector<leakd::Finding> found;
  leakd::ScanWithDecoding(scanner, text, &found);
  for (size_t i = 0; i < found.size(); ++i) {
    const auto& f = found[i];
    FUZZ_CHECK(f.length > 0 && f.offset + f.length <= text.size(), "finding outside the input");
    FUZZ_CHECK(f.fingerprint == leakd::Sha256Hex(f.secret), "fingerprint of another secret");
    if (i > 0) FUZZ_CHECK(found[i - 1].offset <= f.offset, "findings out of order");
  }
  return 0;
}
