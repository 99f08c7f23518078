#include "scan/decoded_stream_scan.h"

#include <algorithm>

#include "scan/decoded_scan.h"
#include "scan/overlap_search.h"
#include "scan/string_literals.h"

namespace leakd {

bool DecodedStreamScan::KnownPlain(const Finding& f) const {
  return AnyOverlapping(
      plain_, [](const Reported& p) { return p.offset; },
      [](const Reported& p) { return p.length; }, plain_longest_, f.offset, f.length,
      [&](const Reported& p) { return p.fingerprint == f.fingerprint; });
}

void DecodedStreamScan::RememberPlain(const std::vector<Finding>& plain, uint64_t window_at) {
  plain_.erase(std::remove_if(plain_.begin(), plain_.end(),
                              [&](const Reported& p) { return p.offset + p.length <= window_at; }),
               plain_.end());
  for (const Finding& f : plain) {
    plain_.push_back({f.offset, f.length, f.fingerprint});
    plain_longest_ = std::max<uint64_t>(plain_longest_, f.length);
  }
  std::stable_sort(plain_.begin(), plain_.end(),
                   [](const Reported& a, const Reported& b) { return a.offset < b.offset; });
}

void DecodedStreamScan::Feed(Scanner& scanner, std::string_view seen, uint64_t seen_base,
                             size_t piece_at, bool last, const std::vector<Finding>& plain,
                             std::vector<Finding>* out) {
  // The window: at most kWindow bytes before the piece.
  const size_t window_at = piece_at > kWindow ? piece_at - kWindow : 0;
  const uint64_t base = seen_base + window_at;
  const std::string_view buffer = seen.substr(window_at);
  const size_t window_size = piece_at - window_at;
  const uint64_t end = base + buffer.size();
  RememberPlain(plain, base);
  // Decoding starts at a line start: a window cut inside a string literal or
  // a base64 run would be read from its middle. The bytes before it were
  // decoded with the piece they came in. On a line longer than the window
  // there is none: the window is read in the state the last piece left the
  // line in (inside a literal or not).
  size_t start = 0;
  bool at_line_start = base == 0;
  if (!at_line_start) {
    const size_t newline = buffer.find('\n');
    at_line_start = newline != std::string_view::npos && newline < window_size;
    if (at_line_start) start = newline + 1;
  }
  std::string resumed = at_line_start ? std::string() : ResumedOpening(base);
  // An empty piece leaves the next window where this one is: same state.
  if (!(piece_at == seen.size() && !resumed.empty())) carried_.reset();
  const size_t prefix = resumed.size();
  std::string_view text = buffer.substr(start);
  if (prefix > 0) text = resumed.append(text);
  const uint64_t text_base = base + start;  // the stream offset of text[prefix]

  // The next piece's window starts here. A literal open at the end that
  // opened before it is read now as far as it goes: its start will not be
  // seen again (and a line of one literal would never be decoded).
  const uint64_t next_window = end > kWindow ? end - kWindow : 0;
  const size_t next_in_text =
      next_window > text_base ? prefix + static_cast<size_t>(next_window - text_base) : 0;
  std::vector<Finding> found;
  ScanEncoded(scanner, text, &found, last ? 0 : next_in_text);
  if (!last && next_in_text > 0 &&
      buffer.find('\n', static_cast<size_t>(next_window - base)) == std::string_view::npos) {
    Carry(text.substr(0, next_in_text), next_window);
  }
  const uint64_t settled = last ? end : (end > kSettle ? end - kSettle : 0);
  Decide(std::move(found), prefix, text_base, settled, out);
}

std::string DecodedStreamScan::ResumedOpening(uint64_t window_at) const {
  std::string opening;
  if (!carried_ || carried_->at != window_at) return opening;
  if (carried_->raw) opening += 'r';
  opening += carried_->quote;
  if (carried_->escaped) opening += '\\';
  return opening;
}

void DecodedStreamScan::Decide(std::vector<Finding> found, size_t prefix, uint64_t text_base,
                               uint64_t settled, std::vector<Finding>* out) {
  for (Finding& f : found) {
    if (f.offset + f.length <= prefix) continue;
    if (f.offset < prefix) {  // its first byte was escaped at the cut: it starts there
      f.length -= static_cast<uint32_t>(prefix - f.offset);
      f.offset = prefix;
    }
    f.offset += text_base - prefix;
    const uint64_t f_end = f.offset + f.length;
    if (f_end <= decided_to_ || f_end > settled || KnownPlain(f)) continue;
    out->push_back(std::move(f));
  }
  decided_to_ = std::max(decided_to_, settled);
}

void DecodedStreamScan::Carry(std::string_view line_to_cut, uint64_t cut) {
  LiteralChainFinder finder(line_to_cut);
  while (finder.Next(nullptr)) {
  }
  if (const auto& open = finder.open_at_end()) {
    carried_ = Carried{cut, line_to_cut[open->quote], open->raw, open->escaped};
  }
}

}  // namespace leakd
