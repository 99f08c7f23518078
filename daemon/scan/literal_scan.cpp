#include "scan/literal_scan.h"

#include <algorithm>

#include "rules/rule.h"
#include "scan/string_literals.h"

namespace leakd {
namespace {

// Chains closer than this share a window (one Scan instead of two). Larger
// than the context around a window, so that contexts add at most ~0.75x the
// input's size to what is scanned again, whatever the input.
constexpr size_t kJoinGap = 1024;
// A window grows no further once it is this long: the next chain opens another.
constexpr size_t kMaxWindowBytes = 256 * 1024;

// A piece of a window: original bytes (`chain` null: window byte k is
// text[origin + k - begin]) or a chain's decoded bytes (byte k is the
// chain's byte origin + k - begin).
struct Segment {
  size_t begin = 0, end = 0;  // in the window
  size_t origin = 0;
  const LiteralChain* chain = nullptr;
};

struct Window {
  std::string text;
  std::vector<Segment> segments;

  void AppendRaw(std::string_view source, size_t from, size_t to) {
    if (to <= from) return;
    segments.push_back({text.size(), text.size() + (to - from), from, nullptr});
    text.append(source.substr(from, to - from));
  }
  // The chain as one plain literal: its first quote, the decoded bytes, the same quote.
  void AppendChain(const LiteralChain& chain) {
    segments.push_back({text.size(), text.size() + 1, chain.begin, nullptr});
    text.push_back(chain.quote);
    segments.push_back({text.size(), text.size() + chain.bytes.size(), 0, &chain});
    text.append(chain.bytes);
    segments.push_back({text.size(), text.size() + 1, chain.end - 1, nullptr});
    text.push_back(chain.quote);
  }
  const Segment& At(size_t pos) const {
    const auto it = std::upper_bound(segments.begin(), segments.end(), pos,
                                     [](size_t p, const Segment& s) { return p < s.end; });
    return *it;
  }
  // Original [from, to) of window byte `pos`.
  std::pair<size_t, size_t> Source(size_t pos) const {
    const Segment& s = At(pos);
    if (s.chain == nullptr) return {s.origin + pos - s.begin, s.origin + pos - s.begin + 1};
    return s.chain->Source(s.origin + pos - s.begin);
  }
  // The first chain whose decoded bytes window[pos, pos + length) touches;
  // null: none. From the segment holding `pos` on, not all of them: a window
  // of many chains holds many findings.
  const LiteralChain* FirstChainTouched(size_t pos, size_t length) const {
    auto it = std::upper_bound(segments.begin(), segments.end(), pos,
                               [](size_t p, const Segment& s) { return p < s.end; });
    for (; it != segments.end() && it->begin < pos + length; ++it) {
      if (it->chain != nullptr) return it->chain;
    }
    return nullptr;
  }
};

// Where the original context before a chain at `pos` starts: its keyword window.
size_t ContextStart(size_t pos) {
  return pos - std::min(pos, kKeywordLookback);
}

// Where the original context after a chain ending at `pos` ends.
size_t ContextEnd(std::string_view text, size_t pos) {
  const size_t ceiling = std::min(text.size(), pos + kLiteralContextAfter);
  const size_t keywords = std::min(text.size(), pos + kKeywordLookahead);
  const size_t newline = text.substr(pos, ceiling - pos).find('\n');
  const size_t line = newline == std::string_view::npos ? ceiling : pos + newline;
  return std::max(keywords, line);
}

void ScanWindow(Scanner& scanner, const Window& window, std::vector<Finding>* out) {
  std::vector<Finding> found;
  scanner.Scan(window.text, &found);
  for (Finding& f : found) {
    const size_t pos = f.offset;
    if (f.length == 0) continue;
    const LiteralChain* chain = window.FirstChainTouched(pos, f.length);
    if (chain == nullptr) continue;  // the plain scan's
    const size_t begin = window.Source(pos).first;
    const size_t end = window.Source(pos + f.length - 1).second;
    if (begin < chain->report_from || begin >= chain->report_to) continue;  // another part's
    f.offset = begin;
    f.length = static_cast<uint32_t>(end - begin);
    out->push_back(std::move(f));
  }
}

// The window of a group of chains: each with the original bytes before it and
// between them, and after the last one.
Window MakeWindow(std::string_view text, const std::vector<LiteralChain>& group) {
  Window window;
  window.AppendRaw(text, ContextStart(group.front().begin), group.front().begin);
  for (size_t i = 0; i < group.size(); ++i) {
    if (i > 0) window.AppendRaw(text, group[i - 1].end, group[i].begin);
    window.AppendChain(group[i]);
  }
  window.AppendRaw(text, group.back().end, ContextEnd(text, group.back().end));
  return window;
}

}  // namespace

void ScanLiterals(Scanner& scanner, std::string_view text, std::vector<Finding>* out,
                  size_t close_open_before) {
  const size_t first = out->size();
  LiteralChainFinder finder(text, close_open_before);
  LiteralChain next;
  bool more = finder.Next(&next);
  std::vector<LiteralChain> group;  // the chains of one window
  while (more) {
    group.clear();
    size_t bytes = 0;
    do {
      bytes += next.end - next.begin;
      group.push_back(std::move(next));
      more = finder.Next(&next);
    } while (more && next.begin >= group.back().end && next.begin - group.back().end <= kJoinGap &&
             bytes < kMaxWindowBytes);
    ScanWindow(scanner, MakeWindow(text, group), out);
  }
  std::stable_sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
                   [](const Finding& a, const Finding& b) { return a.offset < b.offset; });
}

}  // namespace leakd
