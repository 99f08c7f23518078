#include "scan/cold_matcher.h"

#include <utility>

#include "common/ascii.h"
#include "scan/cold_matcher_tree.h"

namespace leakd {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

using cold::Has;

// The assertions read the whole text, as RE2::Match(text, pos, end) does.
bool Holds(ColdMatcher::Assertion assertion, std::string_view text, size_t p) {
  switch (assertion) {
    case ColdMatcher::Assertion::kBeginText:
      return p == 0;
    case ColdMatcher::Assertion::kEndText:
      return p == text.size();
    case ColdMatcher::Assertion::kWordBoundary:
    case ColdMatcher::Assertion::kNotWordBoundary:
      break;
  }
  // RE2's \b is ASCII's: a word byte is a letter, a digit or `_`.
  const bool before = p > 0 && IsAsciiIdentifierChar(text[p - 1]);
  const bool after = p < text.size() && IsAsciiIdentifierChar(text[p]);
  return (before != after) == (assertion == ColdMatcher::Assertion::kWordBoundary);
}

// A backtracking job: run from instruction pc at byte p, or (pc == kRestore)
// put a capture slot back to p when the branch that set it fails.
struct Job {
  static constexpr uint32_t kRestore = UINT32_MAX;
  uint32_t pc;
  uint32_t slot;
  size_t p;
};

}  // namespace

ColdMatcher::ColdMatcher(std::vector<Inst> program, std::vector<ByteSet> sets)
    : program_(std::move(program)), sets_(std::move(sets)) {
  // The bytes a match can start with: the sets reachable from the start
  // without consuming a byte (assertions let everything through, which only
  // widens the set). A reachable Match means an empty match is possible.
  std::vector<bool> seen(program_.size());
  std::vector<uint32_t> todo{0};
  while (!todo.empty()) {
    const uint32_t pc = todo.back();
    todo.pop_back();
    if (seen[pc]) continue;
    seen[pc] = true;
    const Inst& inst = program_[pc];
    switch (inst.op) {
      case Op::kByte:
        cold::Merge(&first_bytes_, sets_[inst.x]);
        break;
      case Op::kMatch:
        may_start_any_ = true;
        break;
      case Op::kSplit:
        todo.push_back(inst.y);
        todo.push_back(inst.x);
        break;
      case Op::kJmp:
        todo.push_back(inst.x);
        break;
      case Op::kSave:
      case Op::kAssert:
        todo.push_back(pc + 1);
        break;
    }
  }
}

ColdMatcher::Result ColdMatcher::Find(std::string_view text, size_t pos, size_t end,
                                      std::string_view groups[2]) const {
  const size_t width = end - pos + 1;
  if (program_.size() * width > kMaxVisitedBits) return Result::kTooBig;
  // A state (instruction, byte) that failed fails again from any later start:
  // the outcome does not depend on the captures. So one map serves all starts
  // and a search visits each state at most once.
  thread_local std::vector<uint64_t> visited;
  visited.assign((program_.size() * width + 63) / 64, 0);
  for (size_t start = pos; start <= end; ++start) {
    if (!may_start_any_) {
      while (start < end && !Has(first_bytes_, static_cast<unsigned char>(text[start]))) ++start;
      if (start == end) break;
    }
    if (TryFrom(text, pos, end, start, &visited, groups)) return Result::kMatch;
  }
  return Result::kNoMatch;
}

bool ColdMatcher::TryFrom(std::string_view text, size_t pos, size_t end, size_t start,
                          std::vector<uint64_t>* visited, std::string_view groups[2]) const {
  thread_local std::vector<Job> stack;
  stack.clear();
  stack.push_back(Job{0, 0, start});
  size_t slots[4] = {kNone, kNone, kNone, kNone};
  const size_t width = end - pos + 1;
  while (!stack.empty()) {
    const Job job = stack.back();
    stack.pop_back();
    if (job.pc == Job::kRestore) {
      slots[job.slot] = job.p;
      continue;
    }
    uint32_t pc = job.pc;
    size_t p = job.p;
    for (bool alive = true; alive;) {
      const size_t bit = pc * width + (p - pos);
      uint64_t& word = (*visited)[bit >> 6];
      const uint64_t mask = uint64_t{1} << (bit & 63);
      if (word & mask) break;
      word |= mask;
      const Inst& inst = program_[pc];
      switch (inst.op) {
        case Op::kByte:
          alive = p < end && Has(sets_[inst.x], static_cast<unsigned char>(text[p]));
          ++pc, ++p;
          break;
        case Op::kSplit:
          stack.push_back(Job{inst.y, 0, p});
          pc = inst.x;
          break;
        case Op::kJmp:
          pc = inst.x;
          break;
        case Op::kSave:
          stack.push_back(Job{Job::kRestore, inst.arg, slots[inst.arg]});
          slots[inst.arg] = p;
          ++pc;
          break;
        case Op::kAssert:
          alive = Holds(static_cast<Assertion>(inst.arg), text, p);
          ++pc;
          break;
        case Op::kMatch:
          groups[0] = text.substr(slots[0], slots[1] - slots[0]);
          groups[1] = slots[2] == kNone || slots[3] == kNone
                          ? std::string_view()
                          : text.substr(slots[2], slots[3] - slots[2]);
          return true;
      }
    }
  }
  return false;
}

}  // namespace leakd
