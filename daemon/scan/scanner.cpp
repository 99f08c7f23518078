#include "scan/scanner.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "common/ascii.h"
#include "scan/fingerprint.h"
#include "scan/validators.h"

namespace leakd {
namespace {

// How far before and after a secret its rule's keywords may stand.
constexpr size_t kKeywordLookback = 256;
constexpr size_t kKeywordLookahead = 128;
// How far stage 3 looks for the end of the line holding an inline allow marker.
constexpr size_t kLineLookaround = 4096;
constexpr std::string_view kAllowMarker = "leakd:allow";

std::string_view LineAround(std::string_view buffer, size_t pos, size_t length) {
  size_t begin = pos;
  const size_t begin_limit = pos > kLineLookaround ? pos - kLineLookaround : 0;
  while (begin > begin_limit && buffer[begin - 1] != '\n') --begin;
  size_t end = pos + length;
  const size_t end_limit = std::min(buffer.size(), end + kLineLookaround);
  while (end < end_limit && buffer[end] != '\n') ++end;
  return buffer.substr(begin, end - begin);
}

}  // namespace

Scanner::Scanner(std::shared_ptr<const PatternDatabase> db) : db_(std::move(db)) {
  if (hs_alloc_scratch(db_->block(), &scratch_) != HS_SUCCESS ||
      (db_->stream() && hs_alloc_scratch(db_->stream(), &scratch_) != HS_SUCCESS)) {
    throw PatternError("cannot allocate Hyperscan scratch space");
  }
  open_cluster_.assign(db_->size(), -1);
}

Scanner::~Scanner() {
  hs_free_scratch(scratch_);
}

int Scanner::OnMatch(unsigned id, unsigned long long /*from*/, unsigned long long to,
                     unsigned /*flags*/, void* context) {
  auto* self = static_cast<Scanner*>(context);
  const size_t window = self->db_->compiled(id).window;
  const int64_t open = self->open_cluster_[id];
  if (open >= 0) {
    Cluster& c = self->clusters_[static_cast<size_t>(open)];
    if (to + window >= c.last_end && to <= c.last_end + window) {
      c.first_end = std::min<uint64_t>(c.first_end, to);
      c.last_end = std::max<uint64_t>(c.last_end, to);
      return 0;
    }
  }
  self->open_cluster_[id] = static_cast<int64_t>(self->clusters_.size());
  self->clusters_.push_back({id, to, to});
  return 0;
}

void Scanner::ResetClusters() {
  for (const auto& c : clusters_) open_cluster_[c.rule] = -1;
  clusters_.clear();
}

void Scanner::Scan(std::string_view data, std::vector<Finding>* out) {
  ResetClusters();
  // Hyperscan takes an unsigned length; feed larger inputs as a stream.
  if (data.size() > 0xffffffffu) throw PatternError("input over 4 GiB: scan it as a stream");
  if (hs_scan(db_->block(), data.data(), static_cast<unsigned>(data.size()), 0, scratch_,
              &Scanner::OnMatch, this) != HS_SUCCESS) {
    throw PatternError("Hyperscan scan failed");
  }
  Extract(data, 0, 0, out);
}

bool Scanner::Accept(const CompiledRule& compiled, std::string_view buffer, size_t pos,
                     size_t length) const {
  const Rule& rule = *compiled.rule;
  const std::string_view secret = buffer.substr(pos, length);
  for (const auto& allow : compiled.allowlist) {
    if (RE2::PartialMatch(secret, *allow)) return false;
  }
  if (!rule.validator.empty() && !RunValidator(rule.validator, secret)) return false;
  if (rule.min_entropy > 0 && ShannonEntropy(secret) < rule.min_entropy) return false;
  if (rule.placeholder_check && LooksLikePlaceholder(secret)) return false;
  if (!rule.keywords.empty()) {
    const size_t from = pos > kKeywordLookback ? pos - kKeywordLookback : 0;
    const size_t to = std::min(buffer.size(), pos + length + kKeywordLookahead);
    const std::string_view context = buffer.substr(from, to - from);
    bool any = false;
    for (const auto& keyword : rule.keywords) {
      if (ContainsIgnoringCase(context, keyword)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  const std::string_view line = LineAround(buffer, pos, length);
  if (line.find(kAllowMarker) != std::string_view::npos) return false;
  return true;
}

void Scanner::Extract(std::string_view buffer, uint64_t base, uint64_t min_offset,
                      std::vector<Finding>* out) {
  const size_t first_new = out->size();
  const uint64_t buffer_end = base + buffer.size();
  re2::StringPiece groups[2];
  const re2::StringPiece text(buffer.data(), buffer.size());

  for (const Cluster& cluster : clusters_) {
    const CompiledRule& compiled = db_->compiled(cluster.rule);
    const uint64_t lowest =
        cluster.first_end > compiled.window ? cluster.first_end - compiled.window : 0;
    size_t pos = static_cast<size_t>(std::max(lowest, base) - base);
    const size_t end = static_cast<size_t>(std::min(cluster.last_end, buffer_end) - base);

    while (pos < end && compiled.regex->Match(text, pos, end, RE2::UNANCHORED, groups, 2)) {
      const size_t whole_end =
          static_cast<size_t>(groups[0].data() - buffer.data()) + groups[0].size();
      if (groups[1].data() != nullptr && !groups[1].empty()) {
        const size_t secret_pos = static_cast<size_t>(groups[1].data() - buffer.data());
        const uint64_t absolute = base + secret_pos;
        if (absolute >= min_offset && Accept(compiled, buffer, secret_pos, groups[1].size())) {
          Finding f;
          f.rule = compiled.rule;
          f.rule_index = cluster.rule;
          f.offset = absolute;
          f.length = static_cast<uint32_t>(groups[1].size());
          f.secret.assign(groups[1].data(), groups[1].size());
          f.confidence = compiled.rule->confidence;
          out->push_back(std::move(f));
        }
      }
      // Continue after this match; an empty match must still make progress.
      pos = std::max(whole_end, pos + 1);
    }
  }
  CollapseSameSpan(out, first_new);
  for (size_t i = first_new; i < out->size(); ++i) {
    (*out)[i].fingerprint = Sha256Hex((*out)[i].secret);
  }
}

void CollapseSameSpan(std::vector<Finding>* findings, size_t from) {
  auto begin = findings->begin() + static_cast<std::ptrdiff_t>(from);
  std::sort(begin, findings->end(), [](const Finding& a, const Finding& b) {
    if (a.offset != b.offset) return a.offset < b.offset;
    if (a.length != b.length) return a.length < b.length;
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    return a.rule_index < b.rule_index;
  });
  auto last = std::unique(begin, findings->end(), [](const Finding& a, const Finding& b) {
    return a.offset == b.offset && a.length == b.length;
  });
  findings->erase(last, findings->end());
}

}  // namespace leakd
