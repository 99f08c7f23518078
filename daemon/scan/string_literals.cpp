#include "scan/string_literals.h"

#include <algorithm>
#include <cstring>

#include "scan/quote_search.h"
#include "scan/string_escapes.h"

namespace leakd {

struct LiteralSpan {
  size_t quote = 0;  // the opening quote
  size_t end = 0;    // after the closing quote
  bool raw = false;
  bool worth = false;        // holds an escape that can change what a scan sees
  size_t decoded = 0;        // decoded bytes
  bool open = false;         // the text ended inside it: no closing quote (end: the text's end)
  bool escaped_end = false;  // ... on a backslash: the byte after the text is escaped
};

namespace {

constexpr size_t kNoLiteral = static_cast<size_t>(-1);
// Bytes between two literals of a chain (spaces, newlines, one operator).
constexpr size_t kMaxGapBytes = 256;

// Tables for the byte loops inside and between literals.
struct ByteSet {
  bool in[256] = {};
  constexpr explicit ByteSet(const char* chars) {
    for (; *chars != '\0'; ++chars) in[static_cast<unsigned char>(*chars)] = true;
  }
  bool operator()(char c) const { return in[static_cast<unsigned char>(c)]; }
};
constexpr ByteSet kQuote("\"'");
constexpr ByteSet kGap(" \t\r\n");
constexpr ByteSet kPrefix("bBuUfFrR");

bool IsIdentifier(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// A raw string: Python r"…" (with b/u/f), C# @"…".
bool IsRaw(std::string_view text, size_t quote) {
  if (quote > 0 && text[quote - 1] == '@') return true;
  size_t i = quote;
  bool raw = false;
  while (i > 0 && quote - i < 2 && kPrefix(text[i - 1])) {
    raw |= text[i - 1] == 'r' || text[i - 1] == 'R';
    --i;
  }
  return raw && (i == 0 || !IsIdentifier(text[i - 1]));
}

enum class Read { kLiteral, kTooLong, kUnterminated, kOpen };

// Reads the literal opened at text[quote] to its closing quote (out->end: after
// it), to the end of its line (out->end: the newline; kUnterminated) or to
// the end of the text (out->end: the text's end; kOpen). A literal longer than
// kMaxLiteralBytes is read to its end all the same (kTooLong), so that its
// inside is not read again from its escaped quotes.
Read ReadLiteral(std::string_view text, size_t quote, LiteralSpan* out) {
  const char q = text[quote];
  const size_t n = text.size();
  LiteralSpan& span = *out;
  span = LiteralSpan{quote, n, IsRaw(text, quote), false, 0, false, false};
  bool plain_before = false, space_after_plain = false;
  size_t i = quote + 1;
  while (i < n) {
    const size_t run = i;
    i = FindStop(text.data(), i, n, q);
    if (i > run) {
      span.decoded += i - run;
      span.worth |= space_after_plain;
      plain_before = true;
    }
    if (i >= n) break;
    if (text[i] == '\n') {
      span.end = i;
      return Read::kUnterminated;
    }
    if (text[i] == q) {
      span.end = i + 1;
      return i - quote - 1 > kMaxLiteralBytes ? Read::kTooLong : Read::kLiteral;
    }
    if (i + 1 >= n) {
      span.escaped_end = true;
      break;
    }
    const Escape e = span.raw ? Escape{} : ReadEscape(text, i);
    if (e.kind == EscapeKind::kNone) {
      span.decoded += 2;  // the backslash and the byte after it, as written
      span.worth |= space_after_plain;
      plain_before = true;
      i += text[i + 1] == '\n' ? 1 : 2;  // a raw string's backslash-newline: the line ends
      continue;
    }
    span.decoded += e.bytes.size();
    if (e.kind == EscapeKind::kOther) span.worth = true;
    if (plain_before) space_after_plain = true;
    i += e.length;
  }
  span.end = n;
  span.open = true;
  return Read::kOpen;
}

// Where the next literal of a chain starts after one that ends at `end`, or kNoLiteral.
size_t NextInChain(std::string_view text, size_t end) {
  const size_t limit = std::min(text.size(), end + kMaxGapBytes);
  bool operator_seen = false;
  size_t i = end;
  while (i < limit) {
    const char c = text[i];
    if (kGap(c)) {
      ++i;
    } else if ((c == '+' || c == '.') && !operator_seen) {
      operator_seen = true;
      ++i;
    } else if (c == '\\' && i + 1 < limit && (text[i + 1] == '\n' || text[i + 1] == '\r')) {
      i += 2;
    } else {
      break;
    }
  }
  if (i >= limit || !kQuote(text[i])) return kNoLiteral;
  return i;
}

// A triple-quoted string starting at text[at]: where it ends, or kNoLiteral.
size_t TripleQuoteEnd(std::string_view text, size_t at) {
  const char q = text[at];
  if (at + 2 >= text.size() || text[at + 1] != q || text[at + 2] != q) return kNoLiteral;
  const std::string_view body = text.substr(at + 3, kMaxLiteralBytes);
  const size_t close = body.find(std::string(3, q));
  return close == std::string_view::npos ? at + 3 : at + 3 + close + 3;
}

// Bytes text[from, to) copied one for one.
void AppendPlain(std::string_view text, size_t from, size_t to, LiteralChain* chain) {
  if (to <= from) return;
  auto& pieces = chain->pieces;
  const bool extends = !pieces.empty() && pieces.back().plain &&
                       pieces.back().source + pieces.back().source_length == from;
  if (extends) {
    pieces.back().source_length += to - from;
  } else {
    pieces.push_back({chain->bytes.size(), from, to - from, true});
  }
  chain->bytes.append(text.substr(from, to - from));
}

void AppendLiteral(std::string_view text, const LiteralSpan& span, LiteralChain* chain) {
  size_t i = span.quote + 1;
  const size_t close = span.open ? span.end : span.end - 1;
  if (span.raw) return AppendPlain(text, i, close, chain);
  while (i < close) {
    const void* hit = std::memchr(text.data() + i, '\\', close - i);
    const size_t slash =
        hit == nullptr ? close : static_cast<size_t>(static_cast<const char*>(hit) - text.data());
    AppendPlain(text, i, slash, chain);
    if (slash >= close) break;
    const Escape e = ReadEscape(text, slash);
    if (e.kind == EscapeKind::kNone) {  // the backslash stands for itself
      AppendPlain(text, slash, slash + 1, chain);
      i = slash + 1;
      continue;
    }
    if (!e.bytes.empty()) chain->pieces.push_back({chain->bytes.size(), slash, e.length, false});
    chain->bytes.append(e.bytes);
    i = slash + e.length;
  }
}

LiteralChain Decode(std::string_view text, const std::vector<LiteralSpan>& spans) {
  LiteralChain chain;
  chain.begin = spans.front().quote;
  chain.end = spans.back().end;
  chain.quote = text[chain.begin];
  chain.literals = spans.size();
  size_t decoded = 0;
  for (const LiteralSpan& span : spans) decoded += span.decoded;
  chain.bytes.reserve(decoded);
  for (const LiteralSpan& span : spans) AppendLiteral(text, span, &chain);
  return chain;
}

// The chain that starts with the literal `first`: its literals.
void ReadChain(std::string_view text, const LiteralSpan& first, std::vector<LiteralSpan>* spans) {
  spans->assign(1, first);
  size_t decoded = first.decoded;
  while (spans->size() < kMaxChainLiterals && decoded < kMaxChainBytes) {
    const size_t next = NextInChain(text, spans->back().end);
    LiteralSpan span;
    if (next == kNoLiteral || TripleQuoteEnd(text, next) != kNoLiteral ||
        ReadLiteral(text, next, &span) != Read::kLiteral) {
      break;
    }
    spans->push_back(span);
    decoded += span.decoded;
  }
}

// Two literals or more, or one whose escapes change what a scan sees; long enough.
bool Worth(const std::vector<LiteralSpan>& spans) {
  size_t decoded = 0;
  bool worth = spans.size() > 1;
  for (const LiteralSpan& s : spans) {
    decoded += s.decoded;
    worth |= s.worth;
  }
  return worth && decoded >= kMinChainBytes;
}

}  // namespace

std::pair<size_t, size_t> LiteralChain::Source(size_t k) const {
  const auto after = std::upper_bound(pieces.begin(), pieces.end(), k,
                                      [](size_t at, const Piece& p) { return at < p.decoded; });
  const Piece& piece = *(after - 1);
  if (!piece.plain) return {piece.source, piece.source + piece.source_length};
  const size_t at = piece.source + (k - piece.decoded);
  return {at, at + 1};
}

LiteralChainFinder::LiteralChainFinder(std::string_view text, size_t close_open_before)
    : text_(text), close_open_before_(close_open_before) {}

LiteralChainFinder::~LiteralChainFinder() = default;

size_t LiteralChainFinder::NextQuote(size_t from) {
  return FindQuote(text_.data(), from, text_.size());
}

// A literal over kMaxLiteralBytes: false if it is not worth decoding, else
// its parts come next.
bool LiteralChainFinder::StartParts(const LiteralSpan& literal) {
  spans_.assign(1, literal);
  if (!Worth(spans_)) return false;
  part_next_ = literal.quote + 1;
  part_share_from_ = 0;
  return true;
}

// The next part of the long literal spans_[0]: kMaxLiteralBytes of its
// inside from part_next_; the next one starts kLiteralPartOverlap before its
// end.
bool LiteralChainFinder::NextPart(LiteralChain* chain) {
  const LiteralSpan& whole = spans_.front();
  const size_t close = whole.end - 1;  // the closing quote
  const size_t from = part_next_;
  const size_t to = std::min(close, from + kMaxLiteralBytes);
  const bool last = to == close;
  LiteralSpan part = whole;
  part.quote = from - 1;  // the opening quote for the first part; AppendLiteral reads after it
  part.end = last ? whole.end : to;
  part.open = !last;         // no closing quote: decoded up to `end`
  part.decoded = to - from;  // at most: what Decode reserves
  *chain = Decode(text_, {part});
  // An escape the cut falls inside (a backslash before it included) is read
  // whole by the next part.
  auto& pieces = chain->pieces;
  while (!last && !pieces.empty() && pieces.back().source + pieces.back().source_length > to) {
    chain->bytes.resize(pieces.back().decoded);
    pieces.pop_back();
  }
  chain->quote = text_[whole.quote];
  chain->report_from = part_share_from_;
  chain->report_to = last ? static_cast<size_t>(-1) : to - kLiteralPartOverlap / 2;
  if (last) {
    part_next_ = 0;
    pos_ = whole.end;
  } else {
    part_share_from_ = chain->report_to;
    part_next_ = to - kLiteralPartOverlap;
  }
  return true;
}

bool LiteralChainFinder::Next(LiteralChain* chain) {
  if (part_next_ != 0) {
    if (chain != nullptr) return NextPart(chain);
    part_next_ = 0;  // only lexing now: the rest of the long literal is skipped
    pos_ = spans_.front().end;
  }
  const std::string_view text = text_;
  const size_t n = text.size();
  std::vector<LiteralSpan>& spans = spans_;
  while (pos_ < n) {
    const size_t p = NextQuote(pos_);
    if (p >= n) break;
    // A quote before skip is inside a literal of its kind that has no end on
    // its line: read from there, it ends no sooner (same bytes, same state).
    size_t& skip = text[p] == '"' ? skip_double_ : skip_single_;
    if (p < skip) {
      pos_ = p + 1;
      continue;
    }
    const size_t triple = TripleQuoteEnd(text, p);
    if (triple != kNoLiteral) {
      pos_ = triple;
      continue;
    }
    LiteralSpan first;
    const Read read = ReadLiteral(text, p, &first);
    if (read == Read::kOpen && !open_at_end_) {
      open_at_end_ = OpenLiteral{p, first.raw, first.escaped_end};
      if (p < close_open_before_) {
        // Its start will not be seen again: what there is of it is read now.
        spans.assign(1, first);
        pos_ = n;
        if (chain != nullptr && Worth(spans)) {
          *chain = Decode(text, spans);
          return true;
        }
        return false;
      }
    }
    if (read == Read::kTooLong && chain != nullptr && StartParts(first)) return NextPart(chain);
    if (read != Read::kLiteral) {
      // (A raw literal's later quotes start plain ones, which may read further.)
      if (read != Read::kTooLong && !first.raw) skip = first.end;
      pos_ = read == Read::kTooLong ? first.end : p + 1;
      continue;
    }
    ReadChain(text, first, &spans);
    pos_ = spans.back().end;
    if (chain != nullptr && Worth(spans)) {
      *chain = Decode(text, spans);
      return true;
    }
  }
  pos_ = n;
  return false;
}

std::vector<LiteralChain> FindLiteralChains(std::string_view text) {
  std::vector<LiteralChain> chains;
  LiteralChainFinder finder(text);
  for (LiteralChain chain; finder.Next(&chain);) chains.push_back(std::move(chain));
  return chains;
}

}  // namespace leakd
