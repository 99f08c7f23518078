#include "ingest/unified_diff.h"

#include <algorithm>
#include <cctype>

namespace leakd {
namespace {

// Reads the new-file start line c of "@@ -a,b +c,d @@". False when the header
// has no "+c" (malformed); c may be 0 (the hunk of a deleted file).
bool ParseNewStart(std::string_view header, uint64_t* start) {
  const size_t plus = header.find(" +");
  if (plus == std::string_view::npos) return false;
  uint64_t value = 0;
  size_t i = plus + 2;
  const size_t first_digit = i;
  while (i < header.size() && std::isdigit(static_cast<unsigned char>(header[i]))) {
    if (value > (UINT64_MAX - 9) / 10) return false;
    value = value * 10 + static_cast<uint64_t>(header[i] - '0');
    ++i;
  }
  *start = value;
  return i > first_digit;
}

}  // namespace

AddedLines AddedLines::FromPatch(std::string_view patch) {
  AddedLines out;
  out.text_.reserve(patch.size());  // at most the patch: one allocation
  bool in_hunk = false;
  uint64_t new_line = 0;  // line number in the new file of the next ' ' or '+' line
  size_t pos = 0;
  while (pos < patch.size()) {
    size_t end = patch.find('\n', pos);
    if (end == std::string_view::npos) end = patch.size();
    std::string_view line = patch.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;

    if (line.rfind("@@", 0) == 0) {
      in_hunk = ParseNewStart(line, &new_line);
      out.malformed_ |= !in_hunk;
      continue;
    }
    if (!in_hunk) {  // file headers ("+++ b/x") come before any hunk
      out.malformed_ |= !line.empty() && line.front() == '+' && line.rfind("+++", 0) != 0;
      continue;
    }
    if (line.empty()) continue;
    if (new_line == 0 && (line.front() == '+' || line.front() == ' ')) {
      // A line of the new file where its header says there is none: a hunk at
      // new line 0 ("+0,0", a deleted file), or a line number that wrapped
      // past 2^64. Either way the added lines cannot be placed.
      out.malformed_ = true;
      continue;
    }
    switch (line.front()) {
      case '+':
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
        in_hunk = false;  // left the hunk (e.g. the next file's "diff --git" header)
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
