// ColdMatcher::Compile: RE2's syntax, the subset rules use, parsed into a
// tree and emitted as a backtracking program in RE2's own shapes (x{2,4} as
// xx(x(x)?)?, alternatives tried in order, lazy quantifiers preferring to
// stop). Anything the parser does not know throws Unsupported, and the rule
// keeps RE2 for its cold searches too: a refusal costs speed, never a match.
#include <cctype>
#include <string>
#include <utility>

#include "scan/cold_matcher_tree.h"

namespace leakd {
namespace cold {
namespace {

constexpr int kMaxRepeat = 1000;  // RE2's limit for a counted repetition

class Parser {
 public:
  explicit Parser(std::string_view pattern) : p_(pattern) {}

  Node Parse() {
    Node node = Alternation();
    if (i_ != p_.size()) throw Unsupported{};
    return node;
  }

 private:
  struct Flags {
    bool fold = false;    // (?i)
    bool dot_nl = false;  // (?s)
  };

  bool AtEnd() const { return i_ >= p_.size(); }
  unsigned char Peek() const { return static_cast<unsigned char>(p_[i_]); }
  unsigned char Next() {
    if (AtEnd()) throw Unsupported{};
    return static_cast<unsigned char>(p_[i_++]);
  }
  // A quantifier (or a `{` that may be one) comes next.
  bool AtQuantifier() const {
    return !AtEnd() && (Peek() == '*' || Peek() == '+' || Peek() == '?' || Peek() == '{');
  }

  Node Alternation() {
    Node alt;
    alt.kind = Node::kAlt;
    alt.kids.push_back(Concatenation());
    while (!AtEnd() && Peek() == '|') {
      ++i_;
      alt.kids.push_back(Concatenation());
    }
    return alt.kids.size() == 1 ? std::move(alt.kids[0]) : alt;
  }

  Node Concatenation() {
    Node concat;
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      Node atom = Atom();
      Quantify(&atom);
      concat.kids.push_back(std::move(atom));
    }
    return concat;
  }

  Node Set(const ByteSet& set) {
    Node node;
    node.kind = Node::kSet;
    node.set = set;
    return node;
  }
  Node Assert(Assertion assertion) {
    Node node;
    node.kind = Node::kAssert;
    node.assertion = assertion;
    return node;
  }
  // One literal byte, both ASCII cases under (?i).
  Node Literal(unsigned c) {
    ByteSet set = Of(c, c);
    Fold(&set);
    return Set(set);
  }
  // Case folding of literal members. RE2 folds Latin-1 letters by Unicode
  // rules; the parser only knows ASCII's and refuses the rest.
  void Fold(ByteSet* set) const {
    if (!flags_.fold) return;
    if ((*set)[2] | (*set)[3]) throw Unsupported{};  // a byte over 0x7f
    for (unsigned c = 'a'; c <= 'z'; ++c) {
      if (Has(*set, c) || Has(*set, c - 32)) Add(set, c, c), Add(set, c - 32, c - 32);
    }
  }

  Node Atom() {
    const unsigned char c = Next();
    switch (c) {
      case '(':
        return Group();
      case '[':
        return Set(Class());
      case '.':
        return Set(flags_.dot_nl ? Complement(ByteSet{}) : Complement(Of('\n', '\n')));
      case '^':
        return Assert(Assertion::kBeginText);
      case '$':
        return Assert(Assertion::kEndText);
      case '\\':
        return EscapeAtom();
      case '*':
      case '+':
      case '?':
        throw Unsupported{};  // a repetition of nothing: RE2 refuses it
      default:
        return Literal(c);
    }
  }

  Node EscapeAtom() {
    const unsigned char e = Next();
    if (e == 'b') return Assert(Assertion::kWordBoundary);
    if (e == 'B') return Assert(Assertion::kNotWordBoundary);
    if (e == 'A') return Assert(Assertion::kBeginText);
    if (e == 'z') return Assert(Assertion::kEndText);
    if (e == 'Q') {  // \Q…\E: literal text
      Node concat;
      while (!AtEnd() && p_.compare(i_, 2, "\\E") != 0) concat.kids.push_back(Literal(Next()));
      if (!AtEnd()) i_ += 2;
      // RE2 applies a quantifier after `\E` to the last literal only.
      if (concat.kids.size() != 1 && AtQuantifier()) throw Unsupported{};
      return concat;
    }
    ByteSet set{};
    if (EscapeSet(e, &set)) return Set(set);
    return Literal(EscapeByte(e));
  }

  // The byte an escape stands for: \xHH, \x{H…}, \n \r \t \f \v \a, or an
  // escaped punctuation character.
  unsigned EscapeByte(unsigned char e) {
    switch (e) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case 'a':
        return '\a';
      case 'x':
        return HexByte();
      default:
        if (e < 0x80 && std::ispunct(e)) return e;
        throw Unsupported{};
    }
  }

  unsigned HexByte() {
    const bool braced = !AtEnd() && Peek() == '{';
    if (braced) ++i_;
    unsigned value = 0;
    int digits = 0;
    while (!AtEnd() && std::isxdigit(Peek()) && (braced || digits < 2)) {
      const unsigned char h = Next();
      value = value * 16 +
              static_cast<unsigned>(std::isdigit(h) ? h - '0' : std::tolower(h) - 'a' + 10);
      if (value > 0xff) throw Unsupported{};  // not a Latin-1 byte
      ++digits;
    }
    if (braced && Next() != '}') throw Unsupported{};
    if (digits == 0 || (!braced && digits != 2)) throw Unsupported{};
    return value;
  }

  ByteSet Class();
  bool PosixClass(ByteSet* members, ByteSet* foldable);
  Node Group();
  void Quantify(Node* atom);
  bool CountedRepeat(int* min, int* max);

  std::string_view p_;
  size_t i_ = 0;
  Flags flags_;
  int captures_ = 0;
};

// `[` … `]` after the `[`. RE2 takes `]` first in a class and `-` first or
// last as members, `[` not followed by `:` as a member, and lets a negated
// class match a newline.
ByteSet Parser::Class() {
  const bool negated = !AtEnd() && Peek() == '^';
  if (negated) ++i_;
  ByteSet members{}, foldable{};
  for (bool first = true;; first = false) {
    const unsigned char c = Next();
    if (c == ']' && !first) break;
    if (c == '[' && !AtEnd() && Peek() == ':' && PosixClass(&members, &foldable)) continue;
    unsigned lo = c;
    if (c == '\\') {
      const unsigned char e = Next();
      ByteSet set{};
      if (EscapeSet(e, &set)) {
        Merge(&members, set);
        continue;
      }
      lo = EscapeByte(e);
    }
    unsigned hi = lo;
    if (i_ + 1 < p_.size() && Peek() == '-' && p_[i_ + 1] != ']') {
      ++i_;
      const unsigned char d = Next();
      if (d == '[') throw Unsupported{};
      hi = d == '\\' ? EscapeByte(Next()) : d;
      if (hi < lo) throw Unsupported{};
    }
    Add(&foldable, lo, hi);
  }
  Fold(&foldable);
  Merge(&members, foldable);
  return negated ? Complement(members) : members;
}

// `[:name:]` or `[:^name:]` inside a class, after its `[`. Upper and lower
// case letters fold under (?i), like literal members.
bool Parser::PosixClass(ByteSet* members, ByteSet* foldable) {
  const size_t close = p_.find(":]", i_ + 1);
  if (close == std::string_view::npos) return false;
  std::string_view name = p_.substr(i_ + 1, close - i_ - 1);
  const bool negated = !name.empty() && name[0] == '^';
  if (negated) name.remove_prefix(1);
  ByteSet set{};
  bool letters = false;
  PosixSet(name, &set, &letters);
  if (letters && negated && flags_.fold) throw Unsupported{};
  Merge(letters ? foldable : members, negated ? Complement(set) : set);
  i_ = close + 2;
  return true;
}

// After `(`: a capture, `(?:…)`, `(?flags:…)`, or `(?flags)`, whose flags
// hold to the end of the enclosing group (the caller restores them there).
Node Parser::Group() {
  const Flags saved = flags_;
  bool capture = true;
  if (!AtEnd() && Peek() == '?') {
    ++i_;
    capture = false;
    bool negate = false, any = false;
    for (unsigned char f = Next(); f != ':'; f = Next()) {
      if (f == 'i' || f == 's') {
        (f == 'i' ? flags_.fold : flags_.dot_nl) = !negate;
        any = true;
      } else if (f == '-' && !negate) {
        negate = true;
      } else if (f == ')' && any) {
        // RE2 applies a quantifier after `(?i)` to the atom before it.
        if (AtQuantifier()) throw Unsupported{};
        return Node{};
      } else {
        throw Unsupported{};  // named groups, (?m), (?U), …
      }
    }
  }
  if (capture && ++captures_ > 1) throw Unsupported{};
  Node inner = Alternation();
  if (Next() != ')') throw Unsupported{};
  flags_ = saved;
  if (!capture) return inner;
  Node group;
  group.kind = Node::kCapture;
  group.kids.push_back(std::move(inner));
  return group;
}

void Parser::Quantify(Node* atom) {
  if (AtEnd()) return;
  int min = 0, max = 0;
  const unsigned char c = Peek();
  if (c == '{') {
    if (!CountedRepeat(&min, &max)) return;  // RE2 reads a `{` that is no repeat as a literal
  } else if (c == '*' || c == '+' || c == '?') {
    ++i_;
    min = c == '+' ? 1 : 0;
    max = c == '?' ? 1 : -1;
  } else {
    return;
  }
  const bool greedy = AtEnd() || Peek() != '?';
  if (!greedy) ++i_;
  // A repeated repetition RE2 refuses; an empty iteration RE2 and a
  // backtracker treat differently, so a nullable body repeats at most once.
  if (AtQuantifier()) throw Unsupported{};
  if (atom->kind == Node::kAssert || (max != 1 && Nullable(*atom))) throw Unsupported{};
  Node repeat;
  repeat.kind = Node::kRepeat;
  repeat.min = min;
  repeat.max = max;
  repeat.greedy = greedy;
  repeat.kids.push_back(std::move(*atom));
  *atom = std::move(repeat);
}

// `{n}`, `{n,}` or `{n,m}` at i_; false (nothing read) for any other `{`.
bool Parser::CountedRepeat(int* min, int* max) {
  size_t j = i_ + 1;
  const auto number = [&](int* out) {
    const size_t from = j;
    long value = 0;
    for (; j < p_.size() && std::isdigit(static_cast<unsigned char>(p_[j])); ++j) {
      value = std::min(value * 10 + (p_[j] - '0'), 100000L);
    }
    *out = static_cast<int>(value);
    return j > from && (p_[from] != '0' || j == from + 1);  // RE2: no leading zeros
  };
  if (!number(min)) return false;
  *max = *min;
  if (j < p_.size() && p_[j] == ',') {
    ++j;
    if (j < p_.size() && p_[j] == '}') {
      *max = -1;
    } else if (!number(max)) {
      return false;
    }
  }
  if (j >= p_.size() || p_[j] != '}') return false;
  i_ = j + 1;
  if (*min > kMaxRepeat || *max > kMaxRepeat || (*max != -1 && *max < *min)) throw Unsupported{};
  return true;
}

}  // namespace

Node Parse(std::string_view pattern) {
  return Parser(pattern).Parse();
}

}  // namespace cold
}  // namespace leakd
