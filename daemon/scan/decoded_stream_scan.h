// DecodedStreamScan: the decoders of ScanWithDecoding (base64 runs, escaped
// and concatenated string literals) over an input delivered in pieces (a
// chunked upload), beside StreamScan, which scans its plain bytes.
//
// Each piece is decoded together with the last kWindow bytes before it, from
// the first line start in them, so an encoded value that a piece boundary
// cuts is decoded whole once the rest has come. Those bytes are the caller's:
// UploadStreams keeps them anyway, to give findings their lines. The rules that make every
// decoded finding reported once and never cut short:
//   - a finding that ends within kSettle bytes of the end of the bytes seen
//     waits for the next piece (its value may go on), or for the last one;
//   - a finding that ends where an earlier piece's findings were already
//     decided (at most kSettle before that piece's end) is not reported again;
//   - a finding whose secret a plain finding reports at an overlapping place
//     (this piece's or a recent one's) is dropped, as ScanWithDecoding drops it.
// Offsets are from the start of the input, like StreamScan's.
//
// A line longer than kWindow (minified code, one-line JSON) has no line start
// in the window. The literal the window starts inside is carried from the
// piece before (where it was read from the line's start or from its own
// carried state), so literals are read in step along the whole line; and a
// literal still open at the end of the bytes seen, which the next window
// will not see open, is decoded as far as it has come: the rules above then
// report what is inside it once.
//
// What it does not do (README, "Decoding"): an encoded value longer than
// kWindow - kSettle that a boundary cuts is not decoded whole (a literal is
// decoded in parts; a secret in it is found unless it is longer than that),
// the keywords before a window that starts inside a
// literal are not seen, and a plain
// finding that ScanWithDecoding would replace by its decoded form (a
// generic `KEY: <base64>`, a PEM key matched with its escapes) is reported
// beside it.
//
// Memory: the plain findings in the window and the carried literal's quote. Used by one thread at a
// time; each call takes that thread's Scanner.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scan/scanner.h"

namespace leakd {

class DecodedStreamScan {
 public:
  static constexpr size_t kWindow = 16 * 1024;
  static constexpr size_t kSettle = 8 * 1024;

  // Decodes the next piece, seen[piece_at..]. `seen` is the input from
  // stream offset `seen_base`: the piece and before it at least kWindow bytes
  // (all of them near the start; more are not read). `last`: no more pieces
  // follow. `plain`: what the plain scan reported so far for this piece
  // (stream offsets). Appends the decoded findings now decided, with stream
  // offsets.
  void Feed(Scanner& scanner, std::string_view seen, uint64_t seen_base, size_t piece_at, bool last,
            const std::vector<Finding>& plain, std::vector<Finding>* out);

  // The most bytes one stream keeps (the plain findings it remembers).
  static constexpr size_t MaxStateBytes() { return 4096; }

 private:
  struct Reported {
    uint64_t offset;
    uint32_t length;
    std::string fingerprint;
  };
  // The state the next window starts in, at stream offset `at`: a line
  // longer than the window is inside a literal there.
  struct Carried {
    uint64_t at;
    char quote;
    bool raw;
    bool escaped;  // the byte at `at` is escaped
  };
  bool KnownPlain(const Finding& f) const;
  // Adds this piece's plain findings to plain_ and forgets those that end
  // before the window at stream offset `window_at`.
  void RememberPlain(const std::vector<Finding>& plain, uint64_t window_at);
  // Reads `line_to_cut` (from a line start or the carried state, to `cut`)
  // and carries the literal it ends inside, if any.
  void Carry(std::string_view line_to_cut, uint64_t cut);
  // What to read before a window at `window_at` that starts inside a carried
  // literal: its opening (and a backslash if its first byte is escaped).
  std::string ResumedOpening(uint64_t window_at) const;
  // Appends the decoded findings of text (offsets past `prefix` bytes not in
  // the input, from stream offset text_base) that end by `settled` and were
  // not decided before.
  void Decide(std::vector<Finding> found, size_t prefix, uint64_t text_base, uint64_t settled,
              std::vector<Finding>* out);

  uint64_t decided_to_ = 0;      // findings ending at or before this offset were decided
  std::vector<Reported> plain_;  // plain findings that may overlap the window, by offset
  uint64_t plain_longest_ = 0;   // the longest length among them (or ever: an upper bound)
  std::optional<Carried> carried_;
};

}  // namespace leakd
