// Wall-clock time as text, for logs and alerts. Pure; any thread.
#pragma once

#include <string>

namespace leakd {

// Current UTC time as RFC 3339 with milliseconds, e.g. 2026-11-25T17:20:42.123Z.
std::string NowRfc3339();

}  // namespace leakd
