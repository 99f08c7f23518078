#include "ingest/upload_streams.h"

#include <algorithm>

namespace leakd {

void UploadStreams::Scan(Scanner& scanner, Upload& u, std::string_view bytes, bool finish,
                         std::vector<LocatedStreamFinding>* out) {
  const uint64_t piece_start = u.stream.bytes_seen();
  std::vector<Finding> found;
  if (!bytes.empty()) u.stream.Feed(scanner, bytes, &found);
  if (finish) u.stream.Finish(scanner, &found);

  // Text from recent_start to the end of this piece, to turn offsets into lines.
  std::string view = u.recent;
  view.append(bytes.data(), bytes.size());
  const size_t piece_rel = static_cast<size_t>(piece_start - u.recent_start);
  for (auto& f : found) {
    TextPosition pos{0, 0};  // unknown: cannot happen while recent covers the stream window
    if (f.offset >= u.recent_start) {
      const size_t rel = static_cast<size_t>(f.offset - u.recent_start);
      // Lines: count the newlines between the finding and the piece start.
      const auto first = view.begin() + static_cast<std::ptrdiff_t>(std::min(rel, piece_rel));
      const auto last = view.begin() + static_cast<std::ptrdiff_t>(std::max(rel, piece_rel));
      const uint64_t between = static_cast<uint64_t>(std::count(first, last, '\n'));
      pos.line = (rel < piece_rel ? u.newlines - between : u.newlines + between) + 1;
      const size_t nl = rel == 0 ? std::string::npos : view.rfind('\n', rel - 1);
      const uint64_t line_start =
          nl == std::string::npos ? u.last_line_start : u.recent_start + nl + 1;
      pos.column = f.offset - line_start + 1;
    }
    out->push_back({std::move(f), pos, u.label, u.owners.empty() ? 0 : u.owners.back()});
  }

  // Advance the line state past this piece and keep the last window of text.
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (bytes[i] == '\n') {
      ++u.newlines;
      u.last_line_start = piece_start + i + 1;
    }
  }
  const size_t keep = std::min(view.size(), db_->max_window());
  u.recent.assign(view, view.size() - keep, keep);
  u.recent_start = piece_start + bytes.size() - keep;
}

UploadStreams::ChunkResult UploadStreams::Feed(Scanner& scanner, const std::string& upload_id,
                                               const UploadLabel& label, uint64_t chunk, bool final,
                                               std::string_view bytes, uint64_t owner,
                                               std::vector<LocatedStreamFinding>* out,
                                               std::vector<uint64_t>* finished_owners,
                                               Clock::time_point now) {
  auto it = uploads_.find(upload_id);
  if (it == uploads_.end()) {
    // A later chunk with no open upload lost its start (expired, or a
    // redelivery of an upload that already finished).
    if (chunk != 0) return ChunkResult::kGap;
    it = uploads_.emplace(upload_id, std::make_unique<Upload>(*db_)).first;
    it->second->label = label;
  }
  Upload& u = *it->second;
  if (chunk < u.next_chunk) return ChunkResult::kDuplicate;
  if (chunk > u.next_chunk) {  // a gap: close the upload with what it saw
    Scan(scanner, u, {}, true, out);
    *finished_owners = std::move(u.owners);
    uploads_.erase(it);
    return ChunkResult::kGap;
  }
  u.last_activity = now;
  u.owners.push_back(owner);
  ++u.next_chunk;
  Scan(scanner, u, bytes, final, out);
  if (!final) return ChunkResult::kScanned;
  *finished_owners = std::move(u.owners);
  uploads_.erase(it);
  return ChunkResult::kFinished;
}

std::vector<uint64_t> UploadStreams::Expire(Scanner& scanner,
                                            std::vector<LocatedStreamFinding>* out,
                                            Clock::time_point now) {
  std::vector<uint64_t> owners;
  for (auto it = uploads_.begin(); it != uploads_.end();) {
    Upload& u = *it->second;
    if (now - u.last_activity <= idle_timeout_) {
      ++it;
      continue;
    }
    Scan(scanner, u, {}, true, out);
    owners.insert(owners.end(), u.owners.begin(), u.owners.end());
    it = uploads_.erase(it);
  }
  return owners;
}

size_t UploadStreams::open_uploads() const {
  return uploads_.size();
}

}  // namespace leakd
