#include "scan/scanner.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "common/ascii.h"
#include "rules/rule.h"
#include "scan/allow_markers.h"
#include "scan/fingerprint.h"
#include "scan/published_samples.h"
#include "scan/validators.h"

namespace leakd {

Scanner::Scanner(std::shared_ptr<const PatternDatabase> db)
    : db_(std::move(db)), scratch_(AllocScratch(db_->block(), db_->stream())) {
  if (!scratch_) throw PatternError("cannot allocate Hyperscan scratch space");
  open_cluster_.assign(db_->size(), -1);
}

Scanner::~Scanner() = default;

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
  // Hyperscan rejects a zero-length block (an empty file maps to no memory at
  // all); an empty input has no findings.
  if (data.empty()) return;
  // Hyperscan takes an unsigned length; feed larger inputs as a stream.
  if (data.size() > 0xffffffffu) throw PatternError("input over 4 GiB: scan it as a stream");
  if (hs_scan(db_->block(), data.data(), static_cast<unsigned>(data.size()), 0, scratch_.get(),
              &Scanner::OnMatch, this) != HS_SUCCESS) {
    throw PatternError("Hyperscan scan failed");
  }
  const size_t first_new = out->size();
  Extract(data, 0, /*input_complete=*/true, out, nullptr, nullptr);
  CollapseSameSpan(out, first_new);
  FillFingerprints(out, first_new);
}

bool Scanner::PassesSecretChecks(const CompiledRule& compiled, std::string_view secret,
                                 std::string_view match_context) const {
  const Rule& rule = *compiled.rule;
  if (compiled.Allowlisted(secret)) return false;
  if (compiled.validator && !compiled.validator(secret, match_context)) return false;
  if (rule.min_entropy > 0 && ShannonEntropy(secret) < rule.min_entropy) return false;
  // A token whose checksum verified is no placeholder; the markers would only
  // fire by chance in its random part (ghp_ + "herE…" reads "_here").
  if (rule.placeholder_check && rule.confidence != Confidence::kChecksum &&
      LooksLikePlaceholder(secret) && !IsPublishedSample(secret)) {
    return false;
  }
  return true;
}

Scanner::Verdict Scanner::JudgeContext(const Rule& rule, std::string_view buffer, size_t pos,
                                       size_t length, bool input_complete) const {
  // A window is whole when the input ends inside it or the buffer holds all of it.
  bool undecided = false;
  if (!rule.keywords.empty()) {
    const size_t from = pos > kKeywordLookback ? pos - kKeywordLookback : 0;
    const size_t wanted_to = pos + length + kKeywordLookahead;
    const size_t to = std::min(buffer.size(), wanted_to);
    const std::string_view context = buffer.substr(from, to - from);
    bool any = false;
    for (const auto& keyword : rule.keywords) {
      if (ContainsIgnoringCase(context, keyword)) {
        any = true;
        break;
      }
    }
    if (!any) {
      if (input_complete || to == wanted_to) return Verdict::kDrop;
      undecided = true;
    }
  }
  // The line: back to the previous newline, on to the next, each at most
  // kLineLookaround away. A marker in part of the line is in the whole line.
  size_t begin = pos;
  const size_t begin_limit = pos > kLineLookaround ? pos - kLineLookaround : 0;
  while (begin > begin_limit && buffer[begin - 1] != '\n') --begin;
  size_t end = pos + length;
  const size_t wanted_end_limit = end + kLineLookaround;
  const size_t end_limit = std::min(buffer.size(), wanted_end_limit);
  while (end < end_limit && buffer[end] != '\n') ++end;
  const std::string_view line = buffer.substr(begin, end - begin);
  if (HasAllowMarker(line)) return Verdict::kDrop;
  const bool line_whole = input_complete || end < end_limit || end_limit == wanted_end_limit;
  if (!line_whole) undecided = true;
  return undecided ? Verdict::kUndecided : Verdict::kReport;
}

Finding Scanner::MakeFinding(uint32_t rule_index, std::string_view buffer, size_t pos,
                             size_t length, uint64_t base) const {
  const CompiledRule& compiled = db_->compiled(rule_index);
  Finding f;
  f.rule = compiled.rule;
  f.rule_index = rule_index;
  f.offset = base + pos;
  f.length = static_cast<uint32_t>(length);
  f.secret.assign(buffer.data() + pos, length);
  f.confidence = compiled.rule->confidence;
  f.fixture = IsPublishedSample(f.secret);
  return f;
}

void Scanner::Consider(uint32_t rule_index, std::string_view buffer, uint64_t base,
                       const re2::StringPiece* groups, bool input_complete,
                       std::vector<Finding>* out, std::vector<UndecidedMatch>* undecided) {
  if (groups[1].data() == nullptr || groups[1].empty()) return;
  const CompiledRule& compiled = db_->compiled(rule_index);
  const size_t whole_end = static_cast<size_t>(groups[0].data() - buffer.data()) + groups[0].size();
  const size_t secret_pos = static_cast<size_t>(groups[1].data() - buffer.data());
  const size_t length = groups[1].size();
  const size_t match_pos = static_cast<size_t>(groups[0].data() - buffer.data());
  const size_t context_pos =
      match_pos > kValidatorContextBefore ? match_pos - kValidatorContextBefore : 0;
  if (!PassesSecretChecks(compiled, buffer.substr(secret_pos, length),
                          buffer.substr(context_pos, whole_end - context_pos))) {
    return;
  }
  switch (JudgeContext(*compiled.rule, buffer, secret_pos, length, input_complete)) {
    case Verdict::kReport:
      out->push_back(MakeFinding(rule_index, buffer, secret_pos, length, base));
      break;
    case Verdict::kUndecided:
      undecided->push_back({rule_index, base + secret_pos, static_cast<uint32_t>(length)});
      break;
    case Verdict::kDrop:
      break;
  }
}

bool Scanner::Unfinished(uint32_t rule_index, std::string_view buffer, uint64_t base,
                         const re2::StringPiece& whole, bool input_complete,
                         std::vector<UnfinishedMatch>* unfinished) const {
  const size_t match_pos = static_cast<size_t>(whole.data() - buffer.data());
  // More input can change a match only while it could still reach past the
  // end: it starts less than the rule's window (its longest match) before the
  // end. Not only one that touches the end: an optional suffix cut by the
  // boundary (`glpat-…` + `.01.xxxxxxxxx`) leaves a shorter match that ends
  // before it. Waiting is bounded: the match starts in the last window.
  if (input_complete || match_pos + db_->compiled(rule_index).window <= buffer.size()) {
    return false;
  }
  unfinished->push_back({rule_index, base + match_pos});
  return true;
}

void Scanner::Extract(std::string_view buffer, uint64_t base, bool input_complete,
                      std::vector<Finding>* out, std::vector<UndecidedMatch>* undecided,
                      std::vector<UnfinishedMatch>* unfinished) {
  // Generic rules last: a generic match on the span an issuer's rule has
  // already reported would lose to it in CollapseSameSpan, so its checks (the
  // costliest of stage 3) are skipped. `TOKEN="ghp_…"` is the common leak.
  // Identifier rules (opt-in) run with the issuers': where one reports the
  // span of a generic assignment (`mapboxApiKey: 'pk.…'`), it knows what the
  // value is, the generic rule only that its name sounds secret.
  const size_t first = out->size();
  for (const bool generic : {false, true}) {
    if (generic) {
      stronger_spans_.clear();
      for (size_t i = first; i < out->size(); ++i) {
        stronger_spans_.emplace_back((*out)[i].offset, (*out)[i].length);
      }
      std::sort(stronger_spans_.begin(), stronger_spans_.end());
    }
    for (const Cluster& cluster : clusters_) {
      if ((db_->compiled(cluster.rule).rule->confidence == Confidence::kGeneric) == generic) {
        ExtractCluster(cluster, buffer, base, input_complete, out, undecided, unfinished);
      }
    }
  }
}

bool Scanner::ReportedByStrongerRule(const CompiledRule& compiled, uint64_t offset,
                                     size_t length) const {
  return compiled.rule->confidence == Confidence::kGeneric &&
         std::binary_search(stronger_spans_.begin(), stronger_spans_.end(),
                            std::make_pair(offset, static_cast<uint32_t>(length)));
}

void Scanner::ExtractCluster(const Cluster& cluster, std::string_view buffer, uint64_t base,
                             bool input_complete, std::vector<Finding>* out,
                             std::vector<UndecidedMatch>* undecided,
                             std::vector<UnfinishedMatch>* unfinished) {
  const uint64_t buffer_end = base + buffer.size();
  re2::StringPiece groups[2];
  const re2::StringPiece text(buffer.data(), buffer.size());
  const CompiledRule& compiled = db_->compiled(cluster.rule);
  const uint64_t lowest =
      cluster.first_end > compiled.window ? cluster.first_end - compiled.window : 0;
  size_t pos = static_cast<size_t>(std::max(lowest, base) - base);
  size_t end = static_cast<size_t>(std::min(cluster.last_end, buffer_end) - base);
  // Hyperscan's `$` also matches before a final newline; RE2's only at the
  // end of the text, so the newline must be inside the search for RE2 to
  // find the same match.
  if (end + 1 == buffer.size() && buffer[end] == '\n') end = buffer.size();

  while (pos < end && compiled.MatchSecret(text, pos, end, RE2::UNANCHORED, groups)) {
    const size_t whole_end =
        static_cast<size_t>(groups[0].data() - buffer.data()) + groups[0].size();
    if (!Unfinished(cluster.rule, buffer, base, groups[0], input_complete, unfinished) &&
        !(groups[1].data() != nullptr &&
          ReportedByStrongerRule(compiled,
                                 base + static_cast<uint64_t>(groups[1].data() - buffer.data()),
                                 groups[1].size()))) {
      Consider(cluster.rule, buffer, base, groups, input_complete, out, undecided);
    }
    // Continue after the secret, not after the whole match: the context
    // after a secret (a newline, a quote) may be the context before the next
    // one, and where the search starts (the cluster's window) must not
    // decide which of the two is found. An empty match still makes progress.
    const size_t secret_end =
        groups[1].data() != nullptr
            ? static_cast<size_t>(groups[1].data() - buffer.data()) + groups[1].size()
            : whole_end;
    pos = std::max(secret_end, pos + 1);
  }
}

uint64_t Scanner::Reextract(const UnfinishedMatch& match, std::string_view buffer, uint64_t base,
                            bool input_complete, std::vector<Finding>* out,
                            std::vector<UndecidedMatch>* undecided,
                            std::vector<UnfinishedMatch>* unfinished) {
  const CompiledRule& compiled = db_->compiled(match.rule);
  const size_t pos = static_cast<size_t>(match.match_offset - base);
  const size_t end = std::min(buffer.size(), pos + compiled.window);
  re2::StringPiece groups[2];
  const re2::StringPiece text(buffer.data(), buffer.size());
  if (!compiled.MatchSecret(text, pos, end, RE2::ANCHOR_START, groups)) {
    return match.match_offset;
  }
  if (!Unfinished(match.rule, buffer, base, groups[0], input_complete, unfinished)) {
    Consider(match.rule, buffer, base, groups, input_complete, out, undecided);
  }
  // Where Extract would search on from: after the secret (see there).
  const re2::StringPiece& next = groups[1].data() != nullptr ? groups[1] : groups[0];
  return base + static_cast<uint64_t>(next.data() - buffer.data()) + next.size();
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

void FillFingerprints(std::vector<Finding>* findings, size_t from) {
  for (size_t i = from; i < findings->size(); ++i) {
    (*findings)[i].fingerprint = Sha256Hex((*findings)[i].secret);
  }
}

}  // namespace leakd
