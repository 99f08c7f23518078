#include "scan/stream_scan.h"

#include <algorithm>

namespace leakd {
namespace {

bool SameSpan(uint64_t offset_a, uint32_t length_a, uint64_t offset_b, uint32_t length_b) {
  return offset_a == offset_b && length_a == length_b;
}

}  // namespace

StreamScan::StreamScan(const PatternDatabase& db) : max_window_(db.max_window()) {
  if (!db.stream()) throw PatternError("pattern database was built without stream mode");
  hs_stream_t* raw = nullptr;
  if (hs_open_stream(db.stream(), 0, &raw) != HS_SUCCESS) {
    throw PatternError("cannot open a Hyperscan stream");
  }
  stream_.reset(raw);
}

StreamScan::~StreamScan() = default;

void StreamScan::Feed(Scanner& scanner, std::string_view piece, std::vector<Finding>* out) {
  if (!stream_) throw PatternError("stream already finished");
  scanner.ResetClusters();
  // Feed in slices that fit Hyperscan's unsigned length.
  for (size_t done = 0; done < piece.size();) {
    const size_t n = std::min<size_t>(piece.size() - done, 1u << 30);
    if (hs_scan_stream(stream_.get(), piece.data() + done, static_cast<unsigned>(n), 0,
                       scanner.scratch_.get(), &Scanner::OnMatch, &scanner) != HS_SUCCESS) {
      throw PatternError("Hyperscan stream scan failed");
    }
    done += n;
  }
  ExtractAndKeepTail(scanner, piece, /*input_complete=*/false, out);
}

void StreamScan::Finish(Scanner& scanner, std::vector<Finding>* out) {
  if (!stream_) return;
  scanner.ResetClusters();
  // Closed here with a scratch and the callback: the end of the stream may
  // still report matches (anchored at the end).
  hs_error_t rc =
      hs_close_stream(stream_.release(), scanner.scratch_.get(), &Scanner::OnMatch, &scanner);
  if (rc != HS_SUCCESS) throw PatternError("Hyperscan stream close failed");
  ExtractAndKeepTail(scanner, std::string_view(), /*input_complete=*/true, out);
}

void StreamScan::ExtractAndKeepTail(Scanner& scanner, std::string_view piece, bool input_complete,
                                    std::vector<Finding>* out) {
  std::string buffer;
  buffer.reserve(tail_.size() + piece.size());
  buffer.append(tail_).append(piece.data(), piece.size());
  const uint64_t base = offset_ - tail_.size();

  // Matches that waited for context, judged again with this piece.
  std::vector<Finding> decided;
  std::vector<UndecidedMatch> undecided;
  for (const UndecidedMatch& m : undecided_) {
    const size_t pos = static_cast<size_t>(m.offset - base);
    const Rule& rule = *scanner.database().compiled(m.rule).rule;
    switch (scanner.JudgeContext(rule, buffer, pos, m.length, input_complete)) {
      case Scanner::Verdict::kReport:
        decided.push_back(scanner.MakeFinding(m.rule, buffer, pos, m.length, base));
        break;
      case Scanner::Verdict::kUndecided:
        undecided.push_back(m);
        break;
      case Scanner::Verdict::kDrop:
        break;
    }
  }
  // Matches that reached the end of the last piece, extracted again from their
  // start: they may have grown. Then new matches. One already waiting may be
  // extracted again: keep it once.
  std::vector<UndecidedMatch> fresh;
  std::vector<UnfinishedMatch> unfinished;
  // In offset order per rule; one that starts inside the match before it, now
  // grown, was swallowed by it, as a block scan would not see it either.
  std::sort(unfinished_.begin(), unfinished_.end(), [](const auto& a, const auto& b) {
    return a.rule != b.rule ? a.rule < b.rule : a.match_offset < b.match_offset;
  });
  for (size_t i = 0; i < unfinished_.size(); ++i) {
    const UnfinishedMatch& m = unfinished_[i];
    uint64_t end =
        scanner.Reextract(m, buffer, base, input_complete, &decided, &fresh, &unfinished);
    while (i + 1 < unfinished_.size() && unfinished_[i + 1].rule == m.rule &&
           unfinished_[i + 1].match_offset < end) {
      ++i;
    }
  }
  scanner.Extract(buffer, base, input_complete, &decided, &fresh, &unfinished);
  std::sort(unfinished.begin(), unfinished.end(), [](const auto& a, const auto& b) {
    return a.rule != b.rule ? a.rule < b.rule : a.match_offset < b.match_offset;
  });
  unfinished.erase(std::unique(unfinished.begin(), unfinished.end(),
                               [](const auto& a, const auto& b) {
                                 return a.rule == b.rule && a.match_offset == b.match_offset;
                               }),
                   unfinished.end());
  unfinished_ = std::move(unfinished);
  for (const UndecidedMatch& m : fresh) {
    const bool known = std::any_of(undecided.begin(), undecided.end(), [&](const auto& u) {
      return u.rule == m.rule && SameSpan(u.offset, u.length, m.offset, m.length);
    });
    if (!known) undecided.push_back(m);
  }
  // A span with an undecided match waits whole, so that, as in a block scan,
  // the strongest rule for the span is the one reported.
  auto waits = [&](const Finding& f) {
    return std::any_of(undecided.begin(), undecided.end(), [&](const UndecidedMatch& u) {
      return SameSpan(u.offset, u.length, f.offset, f.length);
    });
  };
  for (const Finding& f : decided) {
    if (waits(f)) undecided.push_back({f.rule_index, f.offset, f.length});
  }
  // A finding in the tail may be extracted again by a later piece's cluster;
  // drop the ones already reported.
  auto reported = [&](uint64_t offset, uint32_t length) {
    return std::any_of(recent_.begin(), recent_.end(),
                       [&](const Span& r) { return SameSpan(r.offset, r.length, offset, length); });
  };
  decided.erase(
      std::remove_if(decided.begin(), decided.end(),
                     [&](const Finding& f) { return waits(f) || reported(f.offset, f.length); }),
      decided.end());
  undecided.erase(
      std::remove_if(undecided.begin(), undecided.end(),
                     [&](const UndecidedMatch& u) { return reported(u.offset, u.length); }),
      undecided.end());
  undecided_ = std::move(undecided);

  CollapseSameSpan(&decided, 0);
  FillFingerprints(&decided, 0);
  for (Finding& f : decided) {
    recent_.push_back({f.offset, f.length});
    out->push_back(std::move(f));
  }

  // Keep what a later piece needs: the stage-2 window and the context before
  // it, and every undecided match with the context before it.
  offset_ += piece.size();
  uint64_t keep_from = offset_ - std::min<uint64_t>(offset_, max_window_ + Scanner::kContextBefore);
  for (const UndecidedMatch& u : undecided_) {
    const uint64_t context_start =
        u.offset > Scanner::kContextBefore ? u.offset - Scanner::kContextBefore : 0;
    keep_from = std::min(keep_from, context_start);
  }
  for (const UnfinishedMatch& u : unfinished_) {
    const uint64_t context_start =
        u.match_offset > Scanner::kContextBefore ? u.match_offset - Scanner::kContextBefore : 0;
    keep_from = std::min(keep_from, context_start);
  }
  const size_t keep = static_cast<size_t>(std::min<uint64_t>(buffer.size(), offset_ - keep_from));
  tail_.assign(buffer, buffer.size() - keep, keep);
  const uint64_t tail_start = offset_ - tail_.size();
  recent_.erase(std::remove_if(recent_.begin(), recent_.end(),
                               [&](const Span& r) { return r.offset < tail_start; }),
                recent_.end());
}

}  // namespace leakd
