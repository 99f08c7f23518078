// The byte sets RE2's names stand for, in Latin-1 mode: the escapes \d \w \s
// and the POSIX classes. RE2's \s has no \v; its [:space:] has.
#include <cctype>
#include <string_view>

#include "scan/cold_matcher_tree.h"

namespace leakd {
namespace cold {

ByteSet WordBytes() {
  ByteSet set = Of('0', '9');
  Add(&set, 'A', 'Z');
  Add(&set, 'a', 'z');
  Add(&set, '_', '_');
  return set;
}

bool EscapeSet(unsigned char e, ByteSet* set) {
  switch (std::tolower(e)) {
    case 'd':
      *set = Of('0', '9');
      break;
    case 'w':
      *set = WordBytes();
      break;
    case 's':
      *set = Of('\t', '\n');
      Add(set, '\f', '\r');
      Add(set, ' ', ' ');
      break;
    default:
      return false;
  }
  if (std::isupper(e)) *set = Complement(*set);
  return true;
}

void PosixSet(std::string_view name, ByteSet* set, bool* letters) {
  using std::literals::string_view_literals::operator""sv;
  // Each class as pairs of bytes: the first and last of a range.
  struct Named {
    std::string_view name, ranges;
  };
  static constexpr Named kClasses[] = {
      {"alnum", "09AZaz"},
      {"alpha", "AZaz"},
      {"ascii", "\x00\x7f"sv},
      {"blank", "\t\t  "},
      {"cntrl", "\x00\x1f\x7f\x7f"sv},
      {"digit", "09"},
      {"graph", "!~"},
      {"lower", "az"},
      {"print", " ~"},
      {"punct", "!/:@[`{~"},
      {"space", "\t\r  "},
      {"upper", "AZ"},
      {"word", "09AZaz__"},
      {"xdigit", "09AFaf"},
  };
  for (const Named& named : kClasses) {
    if (named.name != name) continue;
    *set = ByteSet{};
    for (size_t i = 0; i + 1 < named.ranges.size(); i += 2) {
      Add(set, static_cast<unsigned char>(named.ranges[i]),
          static_cast<unsigned char>(named.ranges[i + 1]));
    }
    *letters = name == "lower" || name == "upper";
    return;
  }
  throw Unsupported{};
}

}  // namespace cold
}  // namespace leakd
