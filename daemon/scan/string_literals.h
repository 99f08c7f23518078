// String literals of code and JSON, decoded to the bytes they stand for.
// A key pasted into code is often not the key's bytes: a PEM key in a GCP
// service-account JSON is one string with `\n` escapes, and in Java, Python or
// PHP it is a chain of literals joined by `+`, `.` or adjacency, one per line.
// FindLiteralChains finds such chains and decodes them, keeping where every
// decoded byte came from in the original bytes, so a finding in the decoded
// bytes can be reported where the reader sees it.
//
// A literal is "…" or '…' on one line (a backslash-newline continues it);
// Python raw strings (r"…") and C# verbatim strings (@"…") are not unescaped,
// triple-quoted strings and `…` are skipped. Escapes: \n \r \t \b \f \v
// \" \' \\ \/ \` \$, \xNN, \uXXXX (UTF-8; surrogates are left as written), and
// a backslash before a newline (a continuation: nothing); any other backslash
// stays as written. Literals are chained when only whitespace (newlines too), at
// most one `+` or `.`, and a backslash-newline stand between them.
//
// Reported: chains of two or more literals, and single literals with an escape
// that can change what a scan sees (any escape but \n, \r and \t at the very
// start or end of the literal: "Usage: %s\n" is not worth a second scan).
// Chains shorter than kMinChainBytes decoded are dropped.
//
// Bounded: a literal over kMaxLiteralBytes of source is decoded in parts of
// that size (each a chain of its own) that overlap by kLiteralPartOverlap; a
// part reports what starts in its share of the literal (up to the middle of
// each overlap), so a secret up to half the overlap long is found once, whole,
// wherever the cuts fall. A chain
// ends after kMaxChainLiterals literals or kMaxChainBytes decoded bytes (the
// next literal starts a new chain); every byte is read a bounded number of
// times. Pure; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakd {

constexpr size_t kMaxLiteralBytes = 64 * 1024;
constexpr size_t kMaxChainLiterals = 256;
constexpr size_t kMaxChainBytes = 64 * 1024;
constexpr size_t kMinChainBytes = 8;
constexpr size_t kLiteralPartOverlap = 16 * 1024;

struct LiteralChain {
  size_t begin = 0;   // the opening quote of the first literal, in the text
  size_t end = 0;     // after the closing quote of the last literal
  char quote = '"';   // the first literal's quote
  std::string bytes;  // the decoded content, literals joined
  size_t literals = 0;
  // Where the decoded bytes came from, in order: runs of plain bytes (copied
  // one for one) and escapes (every byte one stands for came from all of it).
  struct Piece {
    size_t decoded;  // the piece's first byte in `bytes`
    size_t source;   // its first byte in the text
    size_t source_length;
    bool plain;
  };
  std::vector<Piece> pieces;
  // A part of a long literal reports only the findings whose secret starts in
  // text[report_from, report_to): the rest are its neighbours'.
  size_t report_from = 0;
  size_t report_to = static_cast<size_t>(-1);

  // The original bytes [first, second) that decoded byte k came from.
  std::pair<size_t, size_t> Source(size_t k) const;
};

struct LiteralSpan;  // a literal read (string_literals.cpp)

// The literal a text ends inside (the first one opened on its last line that
// has no closing quote): where it opens, whether it is raw, and whether the
// text ends on a backslash in it (the next byte after the text is escaped).
struct OpenLiteral {
  size_t quote = 0;
  bool raw = false;
  bool escaped = false;
};

// The chains worth a second scan in a text, one at a time, in order, not
// overlapping: memory stays that of one chain whatever the text's size.
class LiteralChainFinder {
 public:
  // `close_open_before`: the literal the text ends inside, if it opened
  // before this offset, is read as if it closed at the end of the text (a
  // chain of one literal, its end not a quote). For a text cut from a longer
  // input whose next cut will not see that literal's start
  // (scan/decoded_stream_scan.h). 0: never.
  explicit LiteralChainFinder(std::string_view text, size_t close_open_before = 0);
  ~LiteralChainFinder();
  LiteralChainFinder(const LiteralChainFinder&) = delete;
  LiteralChainFinder& operator=(const LiteralChainFinder&) = delete;
  // The next chain; false at the end of the text. `chain` may be null: the
  // text is read on (open_at_end()) and nothing is decoded.
  bool Next(LiteralChain* chain);
  // Once Next() has returned false: the literal the text ends inside.
  const std::optional<OpenLiteral>& open_at_end() const { return open_at_end_; }

 private:
  size_t NextQuote(size_t from);
  bool StartParts(const LiteralSpan& literal);
  bool NextPart(LiteralChain* chain);

  std::string_view text_;
  size_t close_open_before_;
  size_t pos_ = 0;
  size_t skip_double_ = 0, skip_single_ = 0;  // quotes before these are skipped
  std::vector<LiteralSpan> spans_;  // the chain being read (kept: no allocation per chain)
  std::optional<OpenLiteral> open_at_end_;
  // A literal over kMaxLiteralBytes (spans_[0]) being decoded in parts:
  // where the next part starts (0: none) and where its share starts.
  size_t part_next_ = 0;
  size_t part_share_from_ = 0;
};

// All of them (tests, fuzzing).
std::vector<LiteralChain> FindLiteralChains(std::string_view text);

}  // namespace leakd
