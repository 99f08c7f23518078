// ColdMatcher against RE2 on arbitrary patterns and texts: wherever both take
// a pattern, the same match and group 1 from the same window (start and end
// taken from the input), or the matcher hands the search back (kTooBig).
// Input: pattern, a NUL byte, then the text; the text's first two bytes pick
// the window.
#include <re2/re2.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "scan/cold_matcher.h"

namespace {

// Debian 12's RE2 (20220601) misses literals of bytes over 0x7f in
// alternatives that share a prefix, in Latin-1 mode: `x\xfe\xfe|x\xfe` finds
// nothing in "ax\xfe" (the cold matcher finds "x\xfe"). Rules are ASCII;
// patterns with such a literal are left out rather than compared with that.
bool HasHighLiteral(std::string_view pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    const auto c = static_cast<unsigned char>(pattern[i]);
    if (c >= 0x80) return true;
    if (c == '\\' && i + 2 < pattern.size() && (pattern[i + 1] == 'x' || pattern[i + 1] == 'X')) {
      const char h =
          pattern[i + 2] == '{' && i + 3 < pattern.size() ? pattern[i + 3] : pattern[i + 2];
      if ((h >= '8' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')) return true;
    }
  }
  return false;
}

std::string Describe(std::string_view pattern, size_t pos, size_t end) {
  return "pattern of " + std::to_string(pattern.size()) + " bytes, window [" + std::to_string(pos) +
         ", " + std::to_string(end) + ")";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t nul = in.find('\0');
  if (nul == std::string_view::npos) return 0;
  const std::string pattern(in.substr(0, nul));
  const std::string text(in.substr(nul + 1));

  if (HasHighLiteral(pattern)) return 0;
  const auto matcher = leakd::ColdMatcher::Compile(pattern);
  if (matcher == nullptr) return 0;
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  const RE2 re(pattern, options);
  // Rules reach the matcher only as patterns RE2 compiled, with one group.
  if (!re.ok() || re.NumberOfCapturingGroups() > 1) return 0;

  const size_t pos = text.empty() ? 0 : static_cast<unsigned char>(text[0]) % (text.size() + 1);
  const size_t cut = text.size() < 2 ? 0 : static_cast<unsigned char>(text[1]) % 4;
  const size_t end = text.size() - std::min(cut, text.size() - pos);

  std::string_view cold[2];
  const auto result = matcher->Find(text, pos, end, cold);
  if (result == leakd::ColdMatcher::Result::kTooBig) return 0;
  re2::StringPiece groups[2];
  const int wanted = re.NumberOfCapturingGroups() + 1;
  const bool found = re.Match(text, pos, end, RE2::UNANCHORED, groups, wanted);
  const std::string where = Describe(pattern, pos, end);
  FUZZ_CHECK(found == (result == leakd::ColdMatcher::Result::kMatch), "match or not: " + where);
  if (!found) return 0;
  FUZZ_CHECK(cold[0].data() == groups[0].data() && cold[0].size() == groups[0].size(),
             "whole match: " + where);
  if (wanted == 2) {
    FUZZ_CHECK(cold[1].data() == groups[1].data() && cold[1].size() == groups[1].size(),
               "group 1: " + where);
  }
  return 0;
}
