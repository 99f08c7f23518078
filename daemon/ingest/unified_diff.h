// Unified diffs: only the lines a push adds are scanned, and a finding's line
// is its line in the new file. Pure; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/line_index.h"

namespace leakd {

// The added lines of a patch, joined with '\n', and where each came from.
class AddedLines {
 public:
  // Parses the hunks of `patch` ("@@ -a,b +c,d @@" headers, then ' ', '-', '+'
  // and '\' lines). File headers and other text outside hunks are ignored, so
  // a `git diff` with headers works too. What cannot be read is never skipped
  // silently: a malformed hunk header, an added line ('+', not a "+++"
  // file header) outside any hunk, or a '+' or ' ' line in a hunk whose
  // header places it at new line 0, makes malformed() true, and the caller
  // refuses the patch (dead letter `bad-patch`) rather than miss what it adds.
  static AddedLines FromPatch(std::string_view patch);

  bool malformed() const { return malformed_; }

  const std::string& text() const { return text_; }
  // Position in the new file of byte `offset` of text().
  TextPosition PositionOf(uint64_t offset) const;

 private:
  struct Line {
    uint64_t text_offset;  // where the line starts in text_
    uint64_t new_line;     // its line number in the new file
  };
  std::string text_;
  std::vector<Line> lines_;
  bool malformed_ = false;
};

}  // namespace leakd
