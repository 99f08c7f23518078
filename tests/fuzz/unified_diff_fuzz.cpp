// AddedLines::FromPatch and PositionOf on hostile patches.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "ingest/unified_diff.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view patch(reinterpret_cast<const char*>(data), size);
  const leakd::AddedLines added = leakd::AddedLines::FromPatch(patch);
  const std::string& text = added.text();

  // Parsing is deterministic.
  const leakd::AddedLines again = leakd::AddedLines::FromPatch(patch);
  FUZZ_CHECK(again.text() == text && again.malformed() == added.malformed(), "deterministic");

  // The text is whole lines, each ending in '\n', and no longer than the patch
  // (each added line gives up its '+' for the '\n').
  FUZZ_CHECK(text.empty() || text.back() == '\n', "text ends mid-line");
  FUZZ_CHECK(text.size() <= patch.size() + 1, "text longer than the patch");
  // Every added line is one '+' line of the patch.
  const size_t plus_lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  size_t patch_plus = 0;
  for (size_t pos = 0; pos < patch.size();) {
    size_t end = patch.find('\n', pos);
    if (end == std::string_view::npos) end = patch.size();
    if (patch[pos] == '+') ++patch_plus;
    pos = end + 1;
  }
  FUZZ_CHECK(plus_lines <= patch_plus, "more added lines than '+' lines");

  // Every byte of text has a position: a line >= 1, and a column that puts it
  // in the added line it is in (the column restarts at 1 after each '\n').
  uint64_t expected_column = 1;
  uint64_t current_line = 0;
  const size_t step = text.size() > 4096 ? text.size() / 4096 : 1;  // bound the work per input
  for (size_t offset = 0; offset < text.size(); ++offset) {
    if (expected_column == 1 || offset % step == 0) {
      const leakd::TextPosition p = added.PositionOf(offset);
      FUZZ_CHECK(p.line >= 1, "line 0 for offset " + std::to_string(offset));
      FUZZ_CHECK(p.column == expected_column, "column for offset " + std::to_string(offset));
      if (expected_column == 1) {
        current_line = p.line;
      } else {
        FUZZ_CHECK(p.line == current_line, "line changed inside an added line");
      }
    }
    expected_column = text[offset] == '\n' ? 1 : expected_column + 1;
  }
  // Offsets past the text (a finding never has one) still answer without UB.
  (void)added.PositionOf(text.size());
  (void)added.PositionOf(UINT64_MAX);
  return 0;
}
