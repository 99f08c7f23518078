#include "scan/stream_scan.h"

#include <algorithm>

namespace leakd {

StreamScan::StreamScan(const PatternDatabase& db) : max_window_(db.max_window()) {
  if (!db.stream()) throw PatternError("pattern database was built without stream mode");
  if (hs_open_stream(db.stream(), 0, &stream_) != HS_SUCCESS) {
    throw PatternError("cannot open a Hyperscan stream");
  }
}

StreamScan::~StreamScan() {
  if (stream_) hs_close_stream(stream_, nullptr, nullptr, nullptr);
}

void StreamScan::Feed(Scanner& scanner, std::string_view piece, std::vector<Finding>* out) {
  if (!stream_) throw PatternError("stream already finished");
  scanner.ResetClusters();
  // Feed in slices that fit Hyperscan's unsigned length.
  for (size_t done = 0; done < piece.size();) {
    const size_t n = std::min<size_t>(piece.size() - done, 1u << 30);
    if (hs_scan_stream(stream_, piece.data() + done, static_cast<unsigned>(n), 0, scanner.scratch_,
                       &Scanner::OnMatch, &scanner) != HS_SUCCESS) {
      throw PatternError("Hyperscan stream scan failed");
    }
    done += n;
  }
  ExtractAndKeepTail(scanner, piece, out);
}

void StreamScan::Finish(Scanner& scanner, std::vector<Finding>* out) {
  if (!stream_) return;
  scanner.ResetClusters();
  hs_error_t rc = hs_close_stream(stream_, scanner.scratch_, &Scanner::OnMatch, &scanner);
  stream_ = nullptr;
  if (rc != HS_SUCCESS) throw PatternError("Hyperscan stream close failed");
  ExtractAndKeepTail(scanner, std::string_view(), out);
}

void StreamScan::ExtractAndKeepTail(Scanner& scanner, std::string_view piece,
                                    std::vector<Finding>* out) {
  std::string buffer;
  buffer.reserve(tail_.size() + piece.size());
  buffer.append(tail_).append(piece.data(), piece.size());
  const uint64_t base = offset_ - tail_.size();

  const size_t first_new = out->size();
  scanner.Extract(buffer, base, base, out);
  // A finding in the tail may be extracted again by a later piece's cluster;
  // drop the ones already reported.
  auto fresh_end = std::remove_if(
      out->begin() + static_cast<std::ptrdiff_t>(first_new), out->end(), [&](const Finding& f) {
        return std::any_of(recent_.begin(), recent_.end(), [&](const Span& r) {
          return r.offset == f.offset && r.length == f.length;
        });
      });
  out->erase(fresh_end, out->end());
  for (size_t i = first_new; i < out->size(); ++i) {
    recent_.push_back({(*out)[i].offset, (*out)[i].length});
  }

  offset_ += piece.size();
  const size_t keep = std::min(buffer.size(), max_window_);
  tail_.assign(buffer, buffer.size() - keep, keep);
  const uint64_t tail_start = offset_ - tail_.size();
  recent_.erase(std::remove_if(recent_.begin(), recent_.end(),
                               [&](const Span& r) { return r.offset < tail_start; }),
                recent_.end());
}

}  // namespace leakd
