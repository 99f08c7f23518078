#include "rules/keyword_led.h"

#include <cstring>

namespace leakd {

std::string KeywordLedPrefilter(const std::vector<std::string>& keywords,
                                const std::string& pattern, size_t lookback) {
  std::string alternatives;
  for (const auto& keyword : keywords) {
    if (!alternatives.empty()) alternatives += '|';
    for (const char c : keyword) {
      if (std::strchr("\\^$.|?*+()[]{}", c) != nullptr) alternatives += '\\';
      alternatives += c;
    }
  }
  return "(?i:" + alternatives + ")[\\s\\S]{0," + std::to_string(lookback) + "}(?:" + pattern + ")";
}

}  // namespace leakd
