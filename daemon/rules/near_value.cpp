#include "rules/near_value.h"

#include "common/ascii.h"

namespace leakd {

std::string NearValuePattern(const std::vector<std::string>& near, const std::string& value) {
  std::string names;
  for (const auto& name : near) names += (names.empty() ? "" : "|") + name;
  return "(?i)(?:" + names +
         ")[^\\n]{0,40}?(?:key|token|secret)[^\\n]{0,20}?[=:\\x22\\x27 ]{1,4}(" + value +
         ")(?:[^A-Za-z0-9_-]|$)";
}

std::optional<std::vector<std::string>> NearKeywords(const std::vector<std::string>& near) {
  std::vector<std::string> keywords;
  for (const auto& name : near) {
    std::string keyword;
    for (size_t i = 0; i < name.size(); ++i) {
      const char c = name[i];
      if (c == '\\' && i + 1 < name.size() && (name[i + 1] == 'b' || name[i + 1] == '.')) {
        if (name[++i] == '.') keyword += '.';
        continue;
      }
      if (!IsAsciiIdentifierChar(c) && c != '-') return std::nullopt;
      keyword += c;
    }
    if (keyword.empty()) return std::nullopt;
    keywords.push_back(keyword);
  }
  return keywords;
}

}  // namespace leakd
