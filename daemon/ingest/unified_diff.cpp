#include "ingest/unified_diff.h"

#include <algorithm>
#include <cctype>

namespace leakd {
namespace {

// Parses the "+c" or "+c,d" part of "@@ -a,b +c,d @@". Returns 0 on failure.
uint64_t NewStartLine(std::string_view header) {
  const size_t plus = header.find(" +");
  if (plus == std::string_view::npos) return 0;
  uint64_t value = 0;
  size_t i = plus + 2;
  bool any = false;
  while (i < header.size() && std::isdigit(static_cast<unsigned char>(header[i]))) {
    if (value > (UINT64_MAX - 9) / 10) return 0;
    value = value * 10 + static_cast<uint64_t>(header[i] - '0');
    any = true;
    ++i;
  }
  return any ? value : 0;
}

}  // namespace

AddedLines AddedLines::FromPatch(std::string_view patch) {
  AddedLines out;
  uint64_t new_line = 0;  // 0: outside a hunk
  size_t pos = 0;
  while (pos < patch.size()) {
    size_t end = patch.find('\n', pos);
    if (end == std::string_view::npos) end = patch.size();
    std::string_view line = patch.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;

    if (line.rfind("@@ ", 0) == 0) {
      new_line = NewStartLine(line);
      // "+0,0" (a deleted file) is a valid header with no new lines.
      if (new_line == 0 && line.find(" +0") == std::string_view::npos) continue;
      if (new_line == 0) new_line = 1;
      continue;
    }
    if (new_line == 0 || line.empty()) continue;
    switch (line.front()) {
      case '+':
        if (line.rfind("+++ ", 0) == 0 && out.lines_.empty() && out.text_.empty()) break;
        out.lines_.push_back({out.text_.size(), new_line});
        out.text_.append(line.substr(1));
        out.text_.push_back('\n');
        ++new_line;
        break;
      case ' ':
        ++new_line;
        break;
      case '-':
      case '\\':  // "\ No newline at end of file"
        break;
      default:
        new_line = 0;  // left the hunk (e.g. the next file's "diff --git" header)
    }
  }
  return out;
}

TextPosition AddedLines::PositionOf(uint64_t offset) const {
  if (lines_.empty()) return {};
  auto it = std::upper_bound(lines_.begin(), lines_.end(), offset,
                             [](uint64_t o, const Line& l) { return o < l.text_offset; });
  const Line& line = *(it == lines_.begin() ? it : it - 1);
  // Column counts the '+' marker out: it is not in the new file.
  return {line.new_line, offset - line.text_offset + 1};
}

}  // namespace leakd
