#include "scan/lazy_regex.h"

#include <utility>

namespace leakd {

LazyRegex::LazyRegex(std::string pattern, const RE2::Options& options)
    : pattern_(std::move(pattern)), options_(options), cold_(ColdMatcher::Compile(pattern_)) {}

const RE2& LazyRegex::re2() const {
  std::call_once(re2_once_, [this] { re2_ = std::make_unique<RE2>(pattern_, options_); });
  return *re2_;
}

// Non-capturing and lazy: the prefix takes as little as it can, so the match
// is the leftmost one, as an unanchored search finds it.
const RE2& LazyRegex::anchored() const {
  std::call_once(anchored_once_, [this] {
    anchored_ = std::make_unique<RE2>("(?s:.*?)(" + pattern_ + ")", options_);
  });
  return *anchored_;
}

bool LazyRegex::SearchesWarm() const {
  return searches_.load(std::memory_order_relaxed) >= kColdSearches;
}

bool LazyRegex::Find(std::string_view text, size_t pos, size_t end, re2::StringPiece* groups,
                     int wanted) const {
  // Counted until the switch only: after it the counter is read, not written.
  if (!SearchesWarm()) {
    searches_.fetch_add(1, std::memory_order_relaxed);
    return FindCold(text, pos, end, groups, wanted);
  }
  return re2().Match(re2::StringPiece(text.data(), text.size()), pos, end, RE2::UNANCHORED, groups,
                     wanted);
}

bool LazyRegex::FindCold(std::string_view text, size_t pos, size_t end, re2::StringPiece* groups,
                         int wanted) const {
  const re2::StringPiece piece(text.data(), text.size());
  if (!cold_) {
    re2::StringPiece sub[3];
    if (!anchored().Match(piece, pos, end, RE2::ANCHOR_START, sub, wanted + 1)) return false;
    for (int i = 0; i < wanted; ++i) groups[i] = sub[i + 1];
    return true;
  }
  std::string_view found[2];
  switch (cold_->Find(text, pos, end, found)) {
    case ColdMatcher::Result::kMatch:
      for (int i = 0; i < wanted && i < 2; ++i) {
        groups[i] = re2::StringPiece(found[i].data(), found[i].size());
      }
      return true;
    case ColdMatcher::Result::kNoMatch:
      return false;
    case ColdMatcher::Result::kTooBig:
      break;  // a window too long for the visited map
  }
  return re2().Match(piece, pos, end, RE2::UNANCHORED, groups, wanted);
}

bool LazyRegex::FoundIn(std::string_view text) const {
  re2::StringPiece whole;
  return Find(text, 0, text.size(), &whole, 1);
}

std::string LazyRegex::Error() const {
  if (!re2().ok()) return re2().error();
  if (!cold_ && !anchored().ok()) return anchored().error();
  return {};
}

}  // namespace leakd
