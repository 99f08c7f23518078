#include "scan/decoded_stream_scan.h"

#include <algorithm>

#include "scan/decoded_scan.h"

namespace leakd {

bool DecodedStreamScan::KnownPlain(const Finding& f) const {
  return std::any_of(plain_.begin(), plain_.end(), [&](const Reported& p) {
    return p.fingerprint == f.fingerprint && p.offset < f.offset + f.length &&
           f.offset < p.offset + p.length;
  });
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
  plain_.erase(std::remove_if(plain_.begin(), plain_.end(),
                              [&](const Reported& p) { return p.offset + p.length <= base; }),
               plain_.end());
  for (const Finding& f : plain) plain_.push_back({f.offset, f.length, f.fingerprint});
  // Decoding starts at a line start: a window cut inside a string literal or
  // a base64 run would be read from its middle. The bytes before it were
  // decoded with the piece they came in.
  size_t start = 0;
  if (base > 0) {
    const size_t newline = buffer.find('\n');
    if (newline != std::string_view::npos && newline < window_size) start = newline + 1;
  }
  std::vector<Finding> found;
  ScanEncoded(scanner, buffer.substr(start), &found);

  const uint64_t settled = last ? end : (end > kSettle ? end - kSettle : 0);
  for (Finding& f : found) {
    f.offset += base + start;
    const uint64_t f_end = f.offset + f.length;
    if (f_end <= decided_to_ || f_end > settled || KnownPlain(f)) continue;
    out->push_back(std::move(f));
  }
  decided_to_ = std::max(decided_to_, settled);
}

}  // namespace leakd
