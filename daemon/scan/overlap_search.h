// AnyOverlapping: whether one of a list of spans sorted by offset overlaps a
// given span and passes a test, looking only at those that can reach it. The
// decoders merge findings with findings this way, so that an input of many
// findings (a credentials dump) costs n log n, not n².
#pragma once

#include <algorithm>
#include <cstdint>

namespace leakd {

// `items`: sorted by offset_of(item); no item is longer than `longest` (the
// search starts that far before `offset`). Pure; any thread.
template <typename Items, typename OffsetOf, typename LengthOf, typename Test>
bool AnyOverlapping(const Items& items, OffsetOf offset_of, LengthOf length_of, uint64_t longest,
                    uint64_t offset, uint64_t length, Test test) {
  const uint64_t from = offset > longest ? offset - longest : 0;
  auto it = std::lower_bound(items.begin(), items.end(), from,
                             [&](const auto& item, uint64_t at) { return offset_of(item) < at; });
  for (; it != items.end() && offset_of(*it) < offset + length; ++it) {
    if (offset < offset_of(*it) + length_of(*it) && test(*it)) return true;
  }
  return false;
}

}  // namespace leakd
