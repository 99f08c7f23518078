// The requests a process receives as signals: SIGTERM and SIGINT ask it to
// stop (drain, commit, exit), SIGHUP to reload its rules (a command without
// rules to reload leaves the flag unread, rather than dying of SIGHUP's
// default action). The flags are lock-free atomics, the only state a signal
// handler may touch; commands poll them.
#pragma once

#include <atomic>

namespace leakd {

struct ProcessSignals {
  std::atomic<bool> stop{false};
  std::atomic<bool> reload{false};
};
static_assert(std::atomic<bool>::is_always_lock_free, "a signal handler needs a lock-free flag");

// Installs the handlers; every call returns the same process-wide flags.
ProcessSignals& InstallProcessSignals();

}  // namespace leakd
