// Turns byte offsets into 1-based line and column numbers (columns in bytes).
// Built lazily over one buffer; only as far as the largest offset asked for.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace leakd {

struct TextPosition {
  uint64_t line = 1;
  uint64_t column = 1;
};

class LineIndex {
 public:
  explicit LineIndex(std::string_view text) : text_(text) {}
  TextPosition At(uint64_t offset);

 private:
  std::string_view text_;
  std::vector<uint64_t> line_starts_{0};
  uint64_t scanned_ = 0;  // newlines before this offset are in line_starts_
};

}  // namespace leakd
