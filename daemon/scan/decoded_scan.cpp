#include "scan/decoded_scan.h"

#include <algorithm>

#include "common/base64.h"
#include "common/base64_run.h"
#include "scan/literal_scan.h"
#include "scan/overlap_search.h"

namespace leakd {
namespace {

constexpr int kMaxDepth = 2;
// Decoded bytes tried before the rest of a run is decoded: enough to tell
// text from binary, cheap when a long run (an inlined image) is binary.
constexpr size_t kSniffChars = 64;

bool IsText(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c >= 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == '\t';
  });
}

// What `run` decodes to, if it is text.
std::optional<std::string> DecodedText(std::string_view run) {
  const size_t sniff = std::min(run.size(), kSniffChars) & ~size_t{3};
  const auto head = DecodeBase64(run.substr(0, sniff));
  if (!head || !IsText(*head)) return std::nullopt;
  auto all = DecodeBase64(run);
  if (!all || !IsText(*all)) return std::nullopt;
  return all;
}

void ScanLevels(Scanner& scanner, std::string_view text, int levels, std::vector<Finding>* out);

// The findings in the bytes of every qualifying base64 run of `text`, each
// reported at its run; `levels`: base64 levels still to decode inside them.
void ScanRuns(Scanner& scanner, std::string_view text, int levels, std::vector<Finding>* out) {
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  Base64RunFinder runs(begin, end, kMinBase64Run);  // reads every byte
  const char* p = begin;
  while (p < end) {
    const char* run_start = runs.Next(&p);
    if (run_start == nullptr) break;
    const size_t chars = static_cast<size_t>(p - run_start);
    while (p < end && *p == '=' && static_cast<size_t>(p - run_start) < chars + 2) ++p;
    const size_t length = static_cast<size_t>(p - run_start);
    // Encoders pad to a multiple of 4; identifiers and words rarely are one.
    if (length % 4 != 0) continue;
    const std::string_view run(run_start, length);
    const auto decoded = DecodedText(run);
    if (!decoded) continue;
    std::vector<Finding> inner;
    ScanLevels(scanner, *decoded, levels, &inner);
    for (Finding& f : inner) {
      f.offset = static_cast<uint64_t>(run_start - begin);  // the run that holds it, in this text
      f.length = static_cast<uint32_t>(length);
      out->push_back(std::move(f));
    }
  }
}

bool Overlap(const Finding& a, const Finding& b) {
  return a.offset < b.offset + b.length && b.offset < a.offset + a.length;
}

// The findings of the base64 runs: one per (run, secret), the strongest rule.
void CollapseRuns(std::vector<Finding>* decoded) {
  std::sort(decoded->begin(), decoded->end(), [](const Finding& a, const Finding& b) {
    if (a.offset != b.offset) return a.offset < b.offset;
    if (a.secret != b.secret) return a.secret < b.secret;
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    return a.rule_index < b.rule_index;
  });
  const auto same = [](const Finding& a, const Finding& b) {
    return a.offset == b.offset && a.length == b.length && a.secret == b.secret;
  };
  decoded->erase(std::unique(decoded->begin(), decoded->end(), same), decoded->end());
}

// Findings of one vector (by index), sorted by offset, for "does any that
// overlaps this span pass this test" without looking at all of them: an input
// with many findings (a credentials dump) must not cost n² to merge.
class SpanIndex {
 public:
  explicit SpanIndex(const std::vector<Finding>& findings) : findings_(findings) {}
  // Adds findings[i]: in offset order, or Sort() once all are added.
  void Add(size_t i) {
    order_.push_back(i);
    longest_ = std::max<uint64_t>(longest_, findings_[i].length);
  }
  void Sort() {
    std::stable_sort(order_.begin(), order_.end(),
                     [&](size_t a, size_t b) { return findings_[a].offset < findings_[b].offset; });
  }
  template <typename Test>
  bool AnyOverlapping(const Finding& f, Test test) const {
    return leakd::AnyOverlapping(
        order_, [&](size_t i) { return findings_[i].offset; },
        [&](size_t i) { return findings_[i].length; }, longest_, f.offset, f.length,
        [&](size_t i) { return test(findings_[i]); });
  }

 private:
  const std::vector<Finding>& findings_;
  std::vector<size_t> order_;
  uint64_t longest_ = 0;
};

// Merges decoded findings into the plain ones, out[first..]. A plain finding
// that a decoded one covers (`covers`, which implies they overlap) is the same
// credential as written (encoded, escaped, cut into literals): the decoded one
// replaces it unless the plain one is the stronger claim. A decoded finding
// whose secret a plain finding, or a decoded one kept before it, already
// reports at the same place is dropped.
template <typename Covers>
void Merge(std::vector<Finding>* out, size_t first, std::vector<Finding> decoded, Covers covers) {
  std::stable_sort(decoded.begin(), decoded.end(),
                   [](const Finding& a, const Finding& b) { return a.offset < b.offset; });
  SpanIndex by_decoded(decoded);
  for (size_t i = 0; i < decoded.size(); ++i) by_decoded.Add(i);
  const auto superseded = [&](const Finding& plain) {
    return by_decoded.AnyOverlapping(plain, [&](const Finding& d) {
      return covers(d, plain) && d.confidence >= plain.confidence;
    });
  };
  const auto plain_begin = out->begin() + static_cast<std::ptrdiff_t>(first);
  out->erase(std::remove_if(plain_begin, out->end(), superseded), out->end());
  SpanIndex plain(*out), kept(*out);
  for (size_t i = first; i < out->size(); ++i) plain.Add(i);
  plain.Sort();
  for (Finding& f : decoded) {
    const auto same_secret = [&](const Finding& g) { return g.secret == f.secret; };
    if (plain.AnyOverlapping(f, same_secret) || kept.AnyOverlapping(f, same_secret)) continue;
    out->push_back(std::move(f));
    kept.Add(out->size() - 1);  // in offset order: decoded is sorted
  }
}

// Adds to out[first..] (the plain findings of `text`, if any) what its base64
// runs (`levels` deep) and its literals decode to, merged as described in the
// header, and orders out[first..] by offset.
void AddDecoded(Scanner& scanner, std::string_view text, int levels, size_t first,
                std::vector<Finding>* out, size_t close_open_before = 0) {
  std::vector<Finding> runs;
  if (levels > 0) ScanRuns(scanner, text, levels - 1, &runs);
  std::vector<Finding> literals;
  ScanLiterals(scanner, text, &literals, close_open_before);
  if (runs.empty() && literals.empty()) return;
  // One run may hold several secrets (a base64 .env): they share its span, so
  // they are told apart by the secret; the strongest rule per secret wins.
  CollapseRuns(&runs);
  // A generic `KEY: <base64>` is the run itself.
  Merge(out, first, std::move(runs), [](const Finding& d, const Finding& plain) {
    return d.offset == plain.offset && d.length == plain.length;
  });
  // A key written with escapes (`\n`) is matched as written too (the PEM
  // rules allow it): the decoded finding overlaps it.
  CollapseSameSpan(&literals, 0);
  Merge(out, first, std::move(literals), Overlap);
  std::stable_sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
                   [](const Finding& a, const Finding& b) { return a.offset < b.offset; });
}

// The plain scan of `text`, its base64 runs (`levels` deep) and its literals.
void ScanLevels(Scanner& scanner, std::string_view text, int levels, std::vector<Finding>* out) {
  const size_t first = out->size();
  scanner.Scan(text, out);
  AddDecoded(scanner, text, levels, first, out);
}

}  // namespace

void ScanWithDecoding(Scanner& scanner, std::string_view text, std::vector<Finding>* out) {
  ScanLevels(scanner, text, kMaxDepth, out);
}

void ScanEncoded(Scanner& scanner, std::string_view text, std::vector<Finding>* out,
                 size_t close_open_before) {
  AddDecoded(scanner, text, kMaxDepth, out->size(), out, close_open_before);
}

}  // namespace leakd
