// Names the calling thread (as `top -H`, `perf` and /proc/PID/task/*/comm show
// it), so that an operator can tell which of the daemon's threads burns CPU.
// Linux keeps 15 bytes of the name; longer names are cut there.
#pragma once

namespace leakd {

void NameThisThread(const char* name);

}  // namespace leakd
