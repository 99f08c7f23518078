// Turns byte offsets into 1-based line and column numbers (columns in bytes).
//
// Findings are few and scattered over inputs of up to gigabytes, so nothing is
// indexed up front: each answer is counted from the nearest earlier answer (a
// checkpoint), newlines counted in wide lanes. Asking in increasing order (the
// order findings come in) reads the text once; asking backwards starts from
// the nearest checkpoint before the offset. Not thread-safe.
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
  struct Checkpoint {
    uint64_t offset;      // an offset answered before
    uint64_t line;        // its line
    uint64_t line_start;  // the offset where that line starts
  };
  std::string_view text_;
  std::vector<Checkpoint> checkpoints_{{0, 1, 0}};  // sorted by offset
};

// The number of '\n' bytes in [p, end).
uint64_t CountNewlines(const char* p, const char* end);

}  // namespace leakd
