#include "forward/backoff.h"

#include <algorithm>

namespace leakd {

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds max)
    : base_(std::max<std::chrono::milliseconds>(base, std::chrono::milliseconds(1))),
      max_(std::max(max, base_)) {}

std::chrono::milliseconds Backoff::Ceiling(uint64_t attempt) const {
  // base * 2^attempt, saturating at max without overflowing.
  int64_t d = base_.count();
  for (uint64_t i = 0; i < attempt && d < max_.count(); ++i) d *= 2;
  return std::chrono::milliseconds(std::min<int64_t>(d, max_.count()));
}

std::chrono::milliseconds Backoff::Delay(uint64_t attempt, std::mt19937_64& random) const {
  const int64_t ceiling = Ceiling(attempt).count();
  std::uniform_int_distribution<int64_t> pick(ceiling / 2, ceiling);
  return std::chrono::milliseconds(pick(random));
}

}  // namespace leakd
