// The byte sets RE2's names stand for, in Latin-1 mode: the escapes \d \w \s
// and the POSIX classes. RE2's \s has no \v; its [:space:] has.
#include <cctype>

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
  *letters = name == "lower" || name == "upper";
  if (name == "alnum") {
    *set = Of('0', '9'), Add(set, 'A', 'Z'), Add(set, 'a', 'z');
  } else if (name == "alpha") {
    *set = Of('A', 'Z'), Add(set, 'a', 'z');
  } else if (name == "ascii") {
    *set = Of(0, 0x7f);
  } else if (name == "blank") {
    *set = Of('\t', '\t'), Add(set, ' ', ' ');
  } else if (name == "cntrl") {
    *set = Of(0, 0x1f), Add(set, 0x7f, 0x7f);
  } else if (name == "digit") {
    *set = Of('0', '9');
  } else if (name == "graph") {
    *set = Of('!', '~');
  } else if (name == "lower") {
    *set = Of('a', 'z');
  } else if (name == "print") {
    *set = Of(' ', '~');
  } else if (name == "punct") {
    *set = Of('!', '/'), Add(set, ':', '@'), Add(set, '[', '`'), Add(set, '{', '~');
  } else if (name == "space") {
    *set = Of('\t', '\r'), Add(set, ' ', ' ');
  } else if (name == "upper") {
    *set = Of('A', 'Z');
  } else if (name == "word") {
    *set = WordBytes();
  } else if (name == "xdigit") {
    *set = Of('0', '9'), Add(set, 'A', 'F'), Add(set, 'a', 'f');
  } else {
    throw Unsupported{};
  }
}

}  // namespace cold
}  // namespace leakd
