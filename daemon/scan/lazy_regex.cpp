#include "scan/lazy_regex.h"

#include <utility>

namespace leakd {

LazyRegex::LazyRegex(std::string pattern, const RE2::Options& options)
    : pattern_(std::move(pattern)), options_(options), cold_(ColdMatcher::Compile(pattern_)) {}

const RE2& LazyRegex::re2() const {
  std::call_once(once_, [this] { re2_ = std::make_unique<RE2>(pattern_, options_); });
  return *re2_;
}

bool LazyRegex::Find(std::string_view text, size_t pos, size_t end, re2::StringPiece* groups,
                     int wanted) const {
  // Counted until the switch only: after it the counter is read, not written.
  if (cold_ && searches_.load(std::memory_order_relaxed) < kColdSearches) {
    searches_.fetch_add(1, std::memory_order_relaxed);
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
        break;
    }
  }
  return re2().Match(re2::StringPiece(text.data(), text.size()), pos, end, RE2::UNANCHORED, groups,
                     wanted);
}

bool LazyRegex::FoundIn(std::string_view text) const {
  re2::StringPiece whole;
  return Find(text, 0, text.size(), &whole, 1);
}

}  // namespace leakd
