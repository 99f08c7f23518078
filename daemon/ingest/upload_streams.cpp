#include "ingest/upload_streams.h"

#include <algorithm>

namespace leakd {
namespace {

// Upload ids remembered after their upload ended, per open upload allowed.
constexpr size_t kEndedPerOpen = 4;

}  // namespace

UploadStreams::UploadStreams(std::shared_ptr<const PatternDatabase> db, UploadLimits limits)
    : db_(std::move(db)), limits_(limits) {
  size_t state = 0;
  if (db_->stream()) hs_stream_size(db_->stream(), &state);
  // Hyperscan's stream state, StreamScan's tail, the decoders' window, our own
  // window of text, and the bookkeeping around them.
  bytes_per_upload_ = state + db_->max_window() + DecodedStreamScan::MaxStateBytes() +
                      RecentBytes() + sizeof(Upload) + 256;
}

void UploadStreams::Scan(Scanner& scanner, Upload& u, std::string_view bytes, bool finish,
                         std::vector<LocatedStreamFinding>* out) {
  const uint64_t piece_start = u.stream.bytes_seen();
  std::vector<Finding> found;
  if (!bytes.empty()) u.stream.Feed(scanner, bytes, &found);
  if (finish) u.stream.Finish(scanner, &found);

  // Text from recent_start to the end of this piece, to decode across the
  // piece's start and to turn offsets into lines.
  std::string view = u.recent;
  view.append(bytes.data(), bytes.size());
  const size_t piece_rel = static_cast<size_t>(piece_start - u.recent_start);
  std::vector<Finding> decoded;
  u.decoded.Feed(scanner, view, u.recent_start, piece_rel, finish, found, &decoded);
  for (Finding& f : decoded) found.push_back(std::move(f));
  for (auto& f : found) {
    TextPosition pos{0, 0};  // unknown: cannot happen while recent covers the stream window
    if (f.offset >= u.recent_start) {
      const size_t rel = static_cast<size_t>(f.offset - u.recent_start);
      // Lines: count the newlines between the finding and the piece start.
      const auto first = view.begin() + static_cast<std::ptrdiff_t>(std::min(rel, piece_rel));
      const auto last = view.begin() + static_cast<std::ptrdiff_t>(std::max(rel, piece_rel));
      const uint64_t between = static_cast<uint64_t>(std::count(first, last, '\n'));
      pos.line = (rel < piece_rel ? u.newlines - between : u.newlines + between) + 1;
      // The line starts after the last newline before the finding; with none
      // in the window, it is the line that held the window's first byte.
      const size_t nl = rel == 0 ? std::string::npos : view.rfind('\n', rel - 1);
      const uint64_t line_start =
          nl == std::string::npos ? u.recent_line_start : u.recent_start + nl + 1;
      pos.column = f.offset - line_start + 1;
    }
    out->push_back({std::move(f), pos, u.label, u.tag});
  }

  // Advance the line state past this piece and keep the last window of text,
  // with the start of the line its first byte is on.
  u.newlines += static_cast<uint64_t>(std::count(bytes.begin(), bytes.end(), '\n'));
  const size_t keep = std::min(view.size(), RecentBytes());
  const size_t cut = view.size() - keep;  // index in `view` of the new window's start
  const size_t nl = cut == 0 ? std::string::npos : view.rfind('\n', cut - 1);
  if (nl != std::string::npos) u.recent_line_start = u.recent_start + nl + 1;
  u.recent.assign(view, cut, keep);
  u.recent_start += cut;
}

void UploadStreams::RememberEnd(const std::string& key, UploadEnd end) {
  if (ended_.insert_or_assign(key, end).second) ended_order_.push_back(key);
  const size_t cap = std::max<size_t>(1024, limits_.max_open * kEndedPerOpen);
  while (ended_order_.size() > cap) {
    ended_.erase(ended_order_.front());
    ended_order_.pop_front();
  }
}

UploadStreams::UploadMap::iterator UploadStreams::Close(Scanner& scanner, UploadMap::iterator it,
                                                        UploadEnd end,
                                                        std::vector<LocatedStreamFinding>* findings,
                                                        std::vector<ClosedUpload>* closed) {
  Scan(scanner, *it->second, {}, true, findings);
  closed->push_back({it->second->tag, end});
  RememberEnd(it->first, end);
  return uploads_.erase(it);
}

void UploadStreams::MakeRoom(Scanner& scanner, ChunkOutcome* outcome) {
  while (!uploads_.empty() && (uploads_.size() >= limits_.max_open ||
                               open_bytes() + bytes_per_upload_ > limits_.max_bytes)) {
    auto oldest =
        std::min_element(uploads_.begin(), uploads_.end(), [](const auto& a, const auto& b) {
          return a.second->last_activity < b.second->last_activity;
        });
    Close(scanner, oldest, UploadEnd::kEvicted, &outcome->findings, &outcome->closed);
  }
}

UploadStreams::ChunkOutcome UploadStreams::Feed(Scanner& scanner, const std::string& key,
                                                const UploadLabel& label, uint64_t chunk,
                                                bool final, std::string_view bytes,
                                                uint64_t new_tag, Clock::time_point now) {
  using Kind = ChunkOutcome::Kind;
  ChunkOutcome outcome;
  auto it = uploads_.find(key);
  if (it == uploads_.end()) {
    if (chunk != 0) {
      if (auto ended = ended_.find(key); ended != ended_.end()) {
        outcome.kind = ended->second == UploadEnd::kFinished ? Kind::kDuplicate : Kind::kGap;
        return outcome;
      }
      outcome.orphan = true;
    } else if (auto ended = ended_.find(key);
               ended != ended_.end() && ended->second == UploadEnd::kFinished) {
      outcome.kind = Kind::kDuplicate;  // the whole finished upload, delivered again
      return outcome;
    }
    MakeRoom(scanner, &outcome);
    it = uploads_.emplace(key, std::make_unique<Upload>(*db_)).first;
    it->second->label = label;
    it->second->tag = new_tag;
    it->second->next_chunk = chunk;
    ended_.erase(key);
  }
  Upload& u = *it->second;
  if (chunk < u.next_chunk) {
    outcome.kind = Kind::kDuplicate;
    return outcome;
  }
  if (chunk > u.next_chunk) {  // a gap: close the upload with what it saw
    Close(scanner, it, UploadEnd::kGap, &outcome.findings, &outcome.closed);
    outcome.kind = Kind::kGap;
    return outcome;
  }
  u.last_activity = now;
  ++u.next_chunk;
  outcome.tag = u.tag;
  if (!final) {
    Scan(scanner, u, bytes, false, &outcome.findings);
    outcome.kind = Kind::kScanned;
    return outcome;
  }
  Scan(scanner, u, bytes, false, &outcome.findings);
  Close(scanner, it, UploadEnd::kFinished, &outcome.findings, &outcome.closed);
  outcome.kind = Kind::kFinished;
  return outcome;
}

UploadStreams::ExpiryOutcome UploadStreams::Expire(Scanner& scanner, Clock::time_point now) {
  ExpiryOutcome outcome;
  for (auto it = uploads_.begin(); it != uploads_.end();) {
    if (now - it->second->last_activity <= limits_.idle_timeout) {
      ++it;
    } else {
      it = Close(scanner, it, UploadEnd::kExpired, &outcome.findings, &outcome.closed);
    }
  }
  return outcome;
}

}  // namespace leakd
