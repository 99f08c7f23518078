// Text for the scanner-based harnesses: the input's bytes, where the escape
// 0x01 followed by one byte n stands for the n-th example of the pattern
// database's rules (modulo their number), so that findings are common.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scan/pattern_database.h"

namespace leakd::fuzz {

inline const std::vector<std::string>& Examples(const PatternDatabase& db) {
  static const std::vector<std::string> examples = [&db] {
    std::vector<std::string> out;
    for (const auto& rule : db.rules().rules()) {
      for (const auto& e : rule.examples) out.push_back(e);
    }
    return out;
  }();
  return examples;
}

inline std::string ExpandText(const PatternDatabase& db, std::string_view in) {
  const auto& examples = Examples(db);
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\x01' && i + 1 < in.size() && !examples.empty()) {
      out += examples[static_cast<unsigned char>(in[i + 1]) % examples.size()];
      ++i;
    } else {
      out += in[i];
    }
  }
  return out;
}

}  // namespace leakd::fuzz
