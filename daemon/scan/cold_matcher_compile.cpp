// ColdMatcher::Compile: the parse tree emitted as a backtracking program in
// RE2's own shapes: alternatives tried in order, x{2,4} as xx(x(x)?)? (once
// one optional copy is skipped, the rest are), a lazy quantifier preferring
// to stop. The whole match is slots 0-1, capture group 1 slots 2-3.
#include <utility>

#include "scan/cold_matcher.h"
#include "scan/cold_matcher_tree.h"

namespace leakd {
namespace cold {

bool Nullable(const Node& node) {
  switch (node.kind) {
    case Node::kSet:
      return false;
    case Node::kAssert:
      return true;
    case Node::kRepeat:
      return node.min == 0 || Nullable(node.kids[0]);
    case Node::kCapture:
      return Nullable(node.kids[0]);
    case Node::kAlt:
      for (const Node& kid : node.kids) {
        if (Nullable(kid)) return true;
      }
      return false;
    case Node::kConcat:
      break;
  }
  for (const Node& kid : node.kids) {
    if (!Nullable(kid)) return false;
  }
  return true;
}

namespace {

using Inst = ColdMatcher::Inst;
using Op = ColdMatcher::Op;

class Emitter {
 public:
  std::vector<Inst> program;
  std::vector<ByteSet> sets;

  uint32_t Emit(Op op, uint8_t arg = 0, uint32_t x = 0) {
    if (program.size() >= ColdMatcher::kMaxInstructions) throw Unsupported{};
    program.push_back(Inst{op, arg, x, 0});
    return static_cast<uint32_t>(program.size() - 1);
  }
  uint32_t Here() const { return static_cast<uint32_t>(program.size()); }

  void Tree(const Node& node) {
    switch (node.kind) {
      case Node::kSet:
        Emit(Op::kByte, 0, SetIndex(node.set));
        break;
      case Node::kAssert:
        Emit(Op::kAssert, static_cast<uint8_t>(node.assertion));
        break;
      case Node::kConcat:
        for (const Node& kid : node.kids) Tree(kid);
        break;
      case Node::kCapture:
        Emit(Op::kSave, 2);
        Tree(node.kids[0]);
        Emit(Op::kSave, 3);
        break;
      case Node::kAlt:
        Alternatives(node);
        break;
      case Node::kRepeat:
        Repeat(node);
        break;
    }
  }

 private:
  uint32_t SetIndex(const ByteSet& set) {
    for (size_t i = 0; i < sets.size(); ++i) {
      if (sets[i] == set) return static_cast<uint32_t>(i);
    }
    sets.push_back(set);
    return static_cast<uint32_t>(sets.size() - 1);
  }

  void Alternatives(const Node& node) {
    std::vector<uint32_t> to_end;
    for (size_t i = 0; i + 1 < node.kids.size(); ++i) {
      const uint32_t split = Emit(Op::kSplit);
      program[split].x = Here();
      Tree(node.kids[i]);
      to_end.push_back(Emit(Op::kJmp));
      program[split].y = Here();
    }
    Tree(node.kids.back());
    for (uint32_t jump : to_end) program[jump].x = Here();
  }

  void Branch(uint32_t split, uint32_t take, uint32_t skip, bool greedy) {
    program[split].x = greedy ? take : skip;
    program[split].y = greedy ? skip : take;
  }

  void Repeat(const Node& node) {
    const Node& body = node.kids[0];
    for (int i = 0; i < node.min; ++i) Tree(body);
    if (node.max == -1) {
      const uint32_t loop = Emit(Op::kSplit);
      Tree(body);
      Emit(Op::kJmp, 0, loop);
      Branch(loop, loop + 1, Here(), node.greedy);
      return;
    }
    std::vector<uint32_t> optional;
    for (int i = node.min; i < node.max; ++i) {
      optional.push_back(Emit(Op::kSplit));
      Tree(body);
    }
    for (uint32_t split : optional) Branch(split, split + 1, Here(), node.greedy);
  }
};

}  // namespace
}  // namespace cold

std::unique_ptr<ColdMatcher> ColdMatcher::Compile(std::string_view pattern) {
  try {
    const cold::Node tree = cold::Parse(pattern);
    cold::Emitter emitter;
    emitter.Emit(Op::kSave, 0);
    emitter.Tree(tree);
    emitter.Emit(Op::kSave, 1);
    emitter.Emit(Op::kMatch);
    return std::make_unique<ColdMatcher>(std::move(emitter.program), std::move(emitter.sets));
  } catch (const cold::Unsupported&) {
    return nullptr;
  }
}

}  // namespace leakd
