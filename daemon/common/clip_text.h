// Text that pushers choose (a repository name, a path) kept to a bounded
// size. Git stores paths of any length and a Kafka header holds megabytes;
// whatever leakd keeps per upload or puts in an alert must not grow with them.
// Pure; any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace leakd {

// The most bytes of a repository name, commit id or path that leakd keeps
// (per upload) or writes (alerts and their log lines).
constexpr size_t kMaxLocationBytes = 4096;

// `value`, or when longer than `max` bytes (at least 4) its first bytes up to
// `max` - 3, cut where a UTF-8 character starts, followed by "…" (3 bytes).
std::string ClipText(std::string_view value, size_t max = kMaxLocationBytes);

}  // namespace leakd
